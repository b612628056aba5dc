"""My appointments: the identified resident lists, cancels, or changes the time of their bookings."""

from datetime import date

from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager, joinedload

from ..auth.loaders import own_booking_or_404
from ..channels import record_origin
from ..extensions import db
from ..identify import current_resident
from ..models import Booking, Service, Slot
from ..pages import render_page
from ..services.booking import BookingRefused, cancel_booking, change_booking_time, is_changeable
from ..services.inputs import int_in_range
from ..services.masking import mask_name
from ..services.slots import bookable_slots, ensure_slots
from . import bp
from .book import day_choices, day_refusal
from .common import assisted_reason, clock, for_resident, refusal, today, zone


def changeable(booking: Booking) -> bool:
    return is_changeable(booking, clock())


# Built once, with the resident and the day as bound parameters (building it took longer than running it).
OWN_BOOKINGS = (
    select(Booking)
    .join(Slot, Booking.slot_id == Slot.id)
    .where(Booking.resident_id == bindparam("resident_id"), Booking.day >= bindparam("first_day"))
    .order_by(Slot.starts_at, Booking.id)
    .options(contains_eager(Booking.slot), joinedload(Booking.service).joinedload(Service.station))
)


@bp.route("/my")
@for_resident
def mine():
    resident = current_resident()
    bookings = db.session.scalars(OWN_BOOKINGS, {"resident_id": resident.id, "first_day": today()}).all()
    upcoming = [b for b in bookings if b.status in ("booked", "checked_in")]
    others = [b for b in bookings if b.status not in ("booked", "checked_in")]
    return render_page(
        "health/mine.html",
        upcoming=upcoming,
        others=others,
        resident_name=mask_name(resident.name),
        changeable=changeable,
        cancelled=request.args.get("cancelled") == "1",
    )


@bp.route("/my/<reference>/cancel", methods=["GET", "POST"])
@for_resident
def cancel(reference):
    booking = own_booking_or_404(reference)
    errors = {}
    if request.method == "POST":
        try:
            cancel_booking(
                db.session,
                booking_id=booking.id,
                now=clock(),
                tz=zone(),
                actor=g.get("account"),
                origin=record_origin("online"),
                reason=assisted_reason(),
            )
        except BookingRefused as refused:
            errors["cancel"] = (
                refusal(refused)[1]
                if refused.reason != "past"
                else _("This appointment has already started, so it cannot be cancelled here. Please tell the nurse.")
            )
            booking = own_booking_or_404(reference)
        else:
            return redirect(url_for("health.mine", cancelled=1), code=303)
    return render_page(
        "health/cancel.html",
        booking=booking,
        form_errors=errors,
        back=url_for("health.mine"),
        action=url_for("health.cancel", reference=booking.reference),
    )


@bp.route("/my/<reference>/change", methods=["GET", "POST"])
@for_resident
def change_day(reference):
    booking = own_booking_or_404(reference)
    if not changeable(booking):
        return redirect(url_for("health.mine"), code=303)
    service = booking.service
    ensure_slots(db.session, service.station, now=clock(), tz=zone())
    days = day_choices(service, other_than=booking.id)
    errors = {}
    if request.method == "POST":
        wanted = request.form.get("day", "")
        entry = next((d for d in days if d["day"].isoformat() == wanted), None)
        if entry is None:
            errors["day"] = _("Choose a day.")
        elif entry["state"] != "open":
            errors["day"] = day_refusal(entry)
        else:
            return redirect(url_for("health.change_time", reference=booking.reference, day=wanted), code=303)
    return render_page(
        "health/day.html",
        station=service.station,
        service=service,
        days=days,
        chosen=booking.day.isoformat(),
        form_errors=errors,
        back=url_for("health.mine"),
        action=url_for("health.change_day", reference=booking.reference),
    )


@bp.route("/my/<reference>/change/<day>", methods=["GET", "POST"])
@for_resident
def change_time(reference, day):
    booking = own_booking_or_404(reference)
    if not changeable(booking):
        return redirect(url_for("health.mine"), code=303)
    try:
        chosen_day = date.fromisoformat(day)
    except ValueError:
        abort(404)
    service = booking.service
    slots = [s for s in bookable_slots(db.session, service, chosen_day, clock()) if s.id != booking.slot_id]
    errors = {}
    if request.method == "POST":
        wanted = request.form.get("slot", "")
        wanted = str(int_in_range(wanted, 1) or "")
        if not wanted or db.session.get(Slot, int(wanted)) is None:
            errors["slot"] = _("Choose a time.")
        else:
            try:
                change_booking_time(
                    db.session,
                    booking_id=booking.id,
                    new_slot_id=int(wanted),
                    now=clock(),
                    tz=zone(),
                    actor=g.get("account"),
                    origin=record_origin("online"),
                    reason=assisted_reason(),
                )
            except BookingRefused as refused:
                errors["slot"] = refusal(refused, service)[1]
                booking = own_booking_or_404(reference)
                slots = [s for s in bookable_slots(db.session, service, chosen_day, clock()) if s.id != booking.slot_id]
            else:
                return redirect(url_for("health.booking", reference=booking.reference, changed=1), code=303)
    return render_page(
        "health/time.html",
        station=service.station,
        service=service,
        day=chosen_day,
        slots=slots,
        chosen=None,
        form_errors=errors,
        back=url_for("health.change_day", reference=reference),
        action=url_for("health.change_time", reference=booking.reference, day=day),
    )
