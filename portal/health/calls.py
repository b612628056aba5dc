"""The grid worker's call list: tomorrow's appointments of their grids' residents who get no SMS (no
mobile) or who need help, with the family contact, so a person phones or visits. Items are ticked off.

Residents with a phone get the outbox reminder; these people get a person instead."""

from datetime import timedelta

from flask import g, redirect, request, url_for
from sqlalchemy import or_

from ..auth.guards import require_role
from ..auth.loaders import grid_booking_or_404
from ..channels import account_channel
from ..extensions import db, htmx
from ..models import Booking, Resident, Slot, utcnow
from ..pages import render_page
from ..services.audit import record_event
from ..services.masking import mask_name
from ..services.permissions import CALL_ROLES, visible_grids
from . import bp
from .common import today


def call_grids() -> list:
    """Grid workers: their own grids. Staff: their community's. Admins: every grid."""
    return visible_grids(db.session, g.account)


def needs_a_person():
    return or_(
        Resident.phone.is_(None),
        Resident.lives_alone.is_(True),
        Resident.difficulty_walking.is_(True),
        Resident.no_smartphone.is_(True),
    )


def call_rows(grids, day) -> list[Booking]:
    grid_ids = [grid.id for grid in grids]
    if not grid_ids:
        return []
    return db.session.scalars(
        db.select(Booking)
        .join(Resident, Booking.resident_id == Resident.id)
        .join(Slot, Booking.slot_id == Slot.id)
        .where(Resident.grid_id.in_(grid_ids), Booking.day == day, Booking.status == "booked", needs_a_person())
        .order_by(Resident.grid_id, Slot.starts_at, Booking.id)
    ).all()


def reasons(resident: Resident) -> list[str]:
    from flask_babel import gettext as _

    found = []
    if resident.phone is None:
        found.append(_("No mobile phone: gets no text message"))
    if resident.lives_alone:
        found.append(_("Lives alone"))
    if resident.difficulty_walking:
        found.append(_("Finds walking hard"))
    if resident.no_smartphone:
        found.append(_("No smartphone"))
    return found


def render_calls(grids, day, block=None):
    rows = call_rows(grids, day)
    return render_page(
        "health/calls.html",
        block=block,
        rows=rows,
        day=day,
        grids=grids,
        mask_name=mask_name,
        reasons=reasons,
        done=sum(1 for b in rows if b.call_done_at),
    )


@bp.route("/calls")
@require_role(*CALL_ROLES)
def calls():
    grids = call_grids()
    day = today() + timedelta(days=1)
    rows = call_rows(grids, day)
    # The list shows phone numbers and family contacts in full, so every view is in the audit log.
    for booking in rows:
        record_event(
            db.session,
            "resident.contact_view",
            actor=g.account,
            resident=booking.resident,
            reason="appointment reminder call list",
            detail=booking.reference,
            channel=account_channel(g.account),
        )
    db.session.commit()
    return render_calls(grids, day)


@bp.route("/calls/<reference>", methods=["POST"])
@require_role(*CALL_ROLES)
def call_done(reference):
    booking = grid_booking_or_404(reference)
    done = request.form.get("done") == "1"
    booking.call_done_at = utcnow() if done else None
    booking.call_done_by_id = g.account.id if done else None
    record_event(
        db.session,
        "booking.reminder_call" if done else "booking.reminder_call_undone",
        actor=g.account,
        resident=booking.resident,
        detail=booking.reference,
        channel=account_channel(g.account),
    )
    db.session.commit()
    if htmx and not htmx.boosted:
        return render_calls(call_grids(), today() + timedelta(days=1), block="calls")
    return redirect(url_for("health.calls"), code=303)
