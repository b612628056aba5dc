"""The grid worker's call list: tomorrow's appointments of their grids' residents who get no SMS (no
mobile) or who need help, with the family contact, so a person phones or visits. Items are ticked off.

Residents with a phone get the outbox reminder; these people get a person instead."""

from datetime import timedelta
from functools import cache
from types import SimpleNamespace

from flask import g, redirect, request, url_for
from sqlalchemy import bindparam, func, or_, select

from ..auth.guards import require_role
from ..auth.loaders import grid_booking_or_404
from ..channels import account_channel
from ..extensions import db, htmx
from ..models import AuditEvent, Booking, Building, Grid, Resident, Service, Slot, Station, utcnow
from ..pages import addresses, render_page
from ..services.audit import record_event
from ..services.dates import is_english, local_day_bounds
from ..services.masking import mask_name
from ..services.paging import Page, fetch_page, page_number
from ..services.permissions import CALL_ROLES, visible_grids
from ..services.place_names import joined_name, name_columns
from . import bp
from .common import clock_filter, locale, today, zone


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


CARD_COLUMNS = (
    Booking.reference,
    Booking.queue_number,
    Booking.call_done_at,
    Booking.resident_id,
    Slot.starts_at,
    Resident.name,
    Resident.phone,
    Resident.family_contact,
    Resident.room,
    Resident.lives_alone,
    Resident.difficulty_walking,
    Resident.no_smartphone,
    *name_columns(Grid, "grid"),
    *name_columns(Building, "building"),
    *name_columns(Service, "service"),
    *name_columns(Station, "station"),
)

# Built once, with the grids and the day as bound parameters: building these joins anew (and their cache
# keys) on every view took longer than running them.
CALLS = (
    select(Booking)
    .join(Resident, Booking.resident_id == Resident.id)
    .join(Slot, Booking.slot_id == Slot.id)
    .where(
        Resident.grid_id.in_(bindparam("grid_ids", expanding=True)),
        Booking.day == bindparam("day"),
        Booking.status == "booked",
        needs_a_person(),
    )
)
CALL_CARDS = (
    CALLS.join(Building, Resident.building_id == Building.id)
    .join(Grid, Resident.grid_id == Grid.id)
    .join(Service, Booking.service_id == Service.id)
    .join(Station, Service.station_id == Station.id)
    .with_only_columns(*CARD_COLUMNS)
    .order_by(Resident.grid_id, Slot.starts_at, Booking.id)
)
CALL_COUNTS = CALLS.with_only_columns(func.count(), func.count(Booking.call_done_at))


def call_page(grids, day, number: int) -> tuple[Page, int, int]:
    """One page of the list as plain rows (what a card shows, its station, service, grid and building
    joined in), and how many calls there are and how many are done, in one more SELECT. A card is read
    as columns, not as seven ORM objects (booking, slot, resident, building, grid, service, station):
    making those was most of the page's time at city size."""
    if not grids:
        return Page([], 1, False), 0, 0
    values = {"grid_ids": [grid.id for grid in grids], "day": day}
    page = fetch_page(db.session, CALL_CARDS, number, rows=True, params=values)
    total, done = db.session.execute(CALL_COUNTS, values).one()
    return page, total, done


def reasons(no_phone: bool, lives_alone: bool, difficulty_walking: bool, no_smartphone: bool) -> str:
    """Why this resident gets a person and not a text message, as one line."""
    from flask_babel import gettext as _

    found = []
    if no_phone:
        found.append(_("No mobile phone: gets no text message"))
    if lives_alone:
        found.append(_("Lives alone"))
    if difficulty_walking:
        found.append(_("Finds walking hard"))
    if no_smartphone:
        found.append(_("No smartphone"))
    return " · ".join(found)


def cards(rows, number: int) -> list[SimpleNamespace]:
    """What each card shows, worked out once in Python rather than looked up in the template."""
    english = is_english(locale())
    address = addresses("health.call_done", "reference", page=number if number > 1 else None)
    # Cards share a few sets of reasons and times: each is worded once per page.
    why, time_text = cache(reasons), cache(clock_filter)
    found = []
    for row in rows:
        found.append(
            SimpleNamespace(
                done=row.call_done_at is not None,
                name=mask_name(row.name),
                grid=joined_name(row, "grid", english),
                building=joined_name(row, "building", english),
                room=row.room,
                time=time_text(row.starts_at),
                service=joined_name(row, "service", english),
                station=joined_name(row, "station", english),
                queue_number=row.queue_number,
                phone=row.phone,
                family_contact=row.family_contact,
                reasons=why(
                    row.phone is None, bool(row.lives_alone), bool(row.difficulty_walking), bool(row.no_smartphone)
                ),
                url=address(row.reference),
            )
        )
    return found


def render_calls(page: Page, total: int, done: int, day, block=None):
    return render_page(
        "health/calls.html",
        block=block,
        rows=cards(page.items, page.number),
        page=page,
        day=day,
        total=total,
        done=done,
    )


# Which of these cards this viewer has already seen today (built once, with bound parameters).
CONTACTS_VIEWED = select(AuditEvent.detail).where(
    AuditEvent.actor_id == bindparam("actor_id"),
    AuditEvent.action == "resident.contact_view",
    AuditEvent.at >= bindparam("since"),
    AuditEvent.detail.in_(bindparam("references", expanding=True)),
)


def log_contact_views(bookings) -> None:
    """The list shows phone numbers and family contacts in full, so each card a person sees is in the
    audit log: once a day per booking and viewer (opening the list again that day adds nothing)."""
    if not bookings:
        return
    since = local_day_bounds(today(), zone())[0]
    values = {"actor_id": g.account.id, "since": since, "references": [b.reference for b in bookings]}
    logged = set(db.session.scalars(CONTACTS_VIEWED, values))
    fresh = [b for b in bookings if b.reference not in logged]
    for booking in fresh:
        record_event(
            db.session,
            "resident.contact_view",
            actor=g.account,
            resident_id=booking.resident_id,
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
