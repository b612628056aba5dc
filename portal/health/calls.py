"""The grid worker's call list: tomorrow's appointments of their grids' residents who get no SMS (no
mobile) or who need help, with the family contact, so a person phones or visits. Items are ticked off.

Residents with a phone get the outbox reminder; these people get a person instead."""

from datetime import timedelta

from flask import g, redirect, request, url_for
from sqlalchemy import func, or_
from sqlalchemy.orm import contains_eager, joinedload

from ..auth.guards import require_role
from ..auth.loaders import grid_booking_or_404
from ..channels import account_channel
from ..extensions import db, htmx
from ..models import AuditEvent, Booking, Resident, Service, Slot, utcnow
from ..pages import render_page
from ..services.audit import record_event
from ..services.dates import local_day_bounds
from ..services.masking import mask_name
from ..services.paging import Page, fetch_page, page_number
from ..services.permissions import CALL_ROLES, visible_grids
from . import bp
from .common import today, zone


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


def calls_query(grids, day):
    return (
        db.select(Booking)
        .join(Resident, Booking.resident_id == Resident.id)
        .join(Slot, Booking.slot_id == Slot.id)
        .where(
            Resident.grid_id.in_([grid.id for grid in grids]),
            Booking.day == day,
            Booking.status == "booked",
            needs_a_person(),
        )
    )


def call_page(grids, day, number: int) -> tuple[Page, int, int]:
    """One page of the list (each card's resident, building, grid, time and station loaded with it), and
    how many calls there are and how many are done, in one more SELECT."""
    if not grids:
        return Page([], 1, False), 0, 0
    query = calls_query(grids, day)
    listed = query.order_by(Resident.grid_id, Slot.starts_at, Booking.id).options(
        contains_eager(Booking.slot),
        joinedload(Booking.resident).joinedload(Resident.building),
        joinedload(Booking.resident).joinedload(Resident.grid),
        joinedload(Booking.service).joinedload(Service.station),
    )
    page = fetch_page(db.session, listed, number)
    counted = query.with_only_columns(func.count(), func.count(Booking.call_done_at)).order_by(None)
    total, done = db.session.execute(counted).one()
    return page, total, done


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


def render_calls(page: Page, total: int, done: int, day, block=None):
    return render_page(
        "health/calls.html",
        block=block,
        rows=page.items,
        page=page,
        day=day,
        mask_name=mask_name,
        reasons=reasons,
        total=total,
        done=done,
    )


def log_contact_views(bookings: list[Booking]) -> None:
    """The list shows phone numbers and family contacts in full, so each card a person sees is in the
    audit log: once a day per booking and viewer (opening the list again that day adds nothing)."""
    if not bookings:
        return
    since = local_day_bounds(today(), zone())[0]
    logged = set(
        db.session.scalars(
            db.select(AuditEvent.detail).where(
                AuditEvent.actor_id == g.account.id,
                AuditEvent.action == "resident.contact_view",
                AuditEvent.at >= since,
                AuditEvent.detail.in_([b.reference for b in bookings]),
            )
        )
    )
    fresh = [b for b in bookings if b.reference not in logged]
    for booking in fresh:
        record_event(
            db.session,
            "resident.contact_view",
            actor=g.account,
            resident=booking.resident,
            reason="appointment reminder call list",
            detail=booking.reference,
            channel=account_channel(g.account),
        )
    if fresh:
        db.session.commit()


@bp.route("/calls")
@require_role(*CALL_ROLES)
def calls():
    day = today() + timedelta(days=1)
    page, total, done = call_page(call_grids(), day, page_number(request.args))
    log_contact_views(page.items)
    return render_calls(page, total, done, day)


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
    number = page_number(request.args)
    if htmx and not htmx.boosted:
        day = today() + timedelta(days=1)
        return render_calls(*call_page(call_grids(), day, number), day, block="calls")
    return redirect(url_for("health.calls", page=number if number > 1 else None), code=303)
