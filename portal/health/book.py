"""The resident's booking flow, one choice per page: service, day, time, who you are (/identify), confirm.

The station page (where the station's QR poster points) is the start. Answers live in the session
(portal/flow.py), so Back and a refused booking never lose what was chosen.
"""

from datetime import date

from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from ..auth.loaders import booking_or_404
from ..channels import record_origin
from ..extensions import db
from ..flow import Flow
from ..identify import current_resident, own_slip_or_staff
from ..models import Service, Slot, Station
from ..page_cache import public_page
from ..pages import render_page
from ..services.booking import BookingRefused, book_slot, mark_own_bookings, why_not_offered
from ..services.inputs import int_in_range
from ..services.masking import mask_name
from ..services.permissions import can_see_community
from ..services.qr import qr_svg
from ..services.slots import bookable_slots, day_availability, ensure_slots
from . import bp
from .common import (
    DAYS_SHOWN,
    assisted_reason,
    clock,
    clock_filter,
    for_resident,
    full_date,
    locale,
    refusal,
    today,
    zone,
)
from .poster import count_poster_booking

flow = Flow("health-book", ["service", "day", "time"], "health.book_step", "health.book_confirm")


def restart(station_id: int, **answers) -> None:
    """Start the answers again from a changed choice: a new service needs a new day and time."""
    flow.start(station_id=station_id)
    for step in ("service", "day", "time"):
        if step in answers:
            flow.save(step, answers[step])


# The flow's station and its chosen service in one SELECT (the day and time pickers and the booking
# check run it on every view), built once.
STATION_AND_SERVICE = (
    select(Station, Service)
    .join(Service, Service.station_id == Station.id)
    .where(Station.id == bindparam("station_id"), Service.id == bindparam("service_id"))
)


def flow_choices() -> tuple[Station | None, Service | None]:
    station_id = flow.context.get("station_id") if flow.active() else None
    if not station_id:
        return None, None
    service_id = int_in_range(flow.answer("service") or "", 1)
    found = (
        db.session.execute(STATION_AND_SERVICE, {"station_id": station_id, "service_id": service_id}).first()
        if service_id
        else None
    )
    station, service = found if found is not None else (db.session.get(Station, station_id), None)
    if station is None or not station.active:
        return None, None
    if service is not None and not service.active:
        service = None
    return station, service


def changing() -> bool:
    return request.args.get("change") == "1"


@bp.route("/")
@public_page
def stations():
    rows = db.session.scalars(
        db.select(Station).where(Station.active.is_(True)).order_by(Station.community_id, Station.id)
    ).all()
    return render_page("health/stations.html", stations=rows)


@bp.route("/stations/<int:station_id>", methods=["GET", "POST"])
def station(station_id):
    station = db.session.get(Station, station_id)
    if station is None or not station.active:
        abort(404)
    ensure_slots(db.session, station, now=clock(), tz=zone())
    if not flow.active() or flow.context.get("station_id") != station.id:
        flow.start(station_id=station.id)
    services = [s for s in station.services if s.active]
    errors = {}
    if request.method == "POST":
        chosen = next((s for s in services if str(s.id) == request.form.get("service")), None)
        if chosen is None:
            errors["service"] = _("Choose the check you would like to book.")
        elif chosen.id == flow.answer("service") and changing():
            return redirect(flow.check_url(), code=303)
        else:
            if chosen.id != flow.answer("service"):
                restart(station.id, service=chosen.id)
            return redirect(flow.step_url("day"), code=303)
    return render_page(
        "health/station.html",
        station=station,
        services=services,
        chosen=flow.answer("service"),
        form_errors=errors,
        changing=changing(),
    )


@bp.route("/book/<step>", methods=["GET", "POST"])
def book_step(step):
    station, service = flow_choices()
    if station is None:
        return redirect(url_for("health.stations"), code=303)
    if step == "service" or service is None:
        return redirect(
            url_for("health.station", station_id=station.id, **({"change": 1} if changing() else {})), code=303
        )
    if step not in ("day", "time"):
        abort(404)
    if not flow.may_visit(step):
        return redirect(flow.step_url(flow.first_unanswered()), code=303)
    if step == "day":
        return choose_day(station, service)
    return choose_time(station, service)


def day_choices(service, other_than: int | None = None) -> list[dict]:
    """The days offered, with the identified resident's own bookings of this check marked ("booked")."""
    days = day_availability(db.session, service, today(), DAYS_SHOWN, clock())
    resident = current_resident()
    if resident is None:
        return days
    return mark_own_bookings(db.session, days, resident_id=resident.id, service_id=service.id, other_than=other_than)


def day_refusal(entry) -> str:
    day = full_date(entry["day"])
    if entry["state"] == "booked":
        return _(
            "You already have this check on %(day)s at %(time)s. To change or cancel it, go to My appointments.",
            day=day,
            time=clock_filter(entry["booking"].slot.starts_at),
        )
    if entry["state"] == "full":
        return _("Sorry, %(day)s is now full. Please choose another day.", day=day)
    if entry["state"] == "closed":
        return _("The health station is closed on %(day)s. Please choose another day.", day=day)
    if entry["state"] == "late":
        return _("Booking for %(day)s has closed. Please choose a later day.", day=day)
    return _("There are no appointments on %(day)s. Please choose another day.", day=day)


def choose_day(station, service):
    days = day_choices(service)
    errors = {}
    if request.method == "POST":
        wanted = request.form.get("day", "")
        entry = next((d for d in days if d["day"].isoformat() == wanted), None)
        if entry is None:
            errors["day"] = _("Choose a day.")
        elif entry["state"] != "open":
            errors["day"] = day_refusal(entry)
        elif wanted == flow.answer("day") and changing():
            return redirect(flow.check_url(), code=303)
        else:
            if wanted != flow.answer("day"):
                restart(station.id, service=service.id, day=wanted)
            return redirect(flow.step_url("time"), code=303)
    return render_page(
        "health/day.html",
        station=station,
        service=service,
        days=days,
        chosen=flow.answer("day"),
        form_errors=errors,
        back=flow.back_url("day", changing(), url_for("health.station", station_id=station.id)),
        action=request.full_path,
    )


def choose_time(station, service):
    day = date.fromisoformat(flow.answer("day"))
    slots = bookable_slots(db.session, service, day, clock())
    errors = {}
    if request.method == "POST":
        wanted = request.form.get("slot", "")
        chosen = next((s for s in slots if str(s.id) == wanted), None)
        if chosen is not None:
            flow.save("time", chosen.id)
            return redirect(flow.check_url(), code=303)
        slot_id = int_in_range(wanted, 1)
        slot = db.session.get(Slot, slot_id) if slot_id else None
        if slot is None or slot.service_id != service.id:
            errors["slot"] = _("Choose a time.")
        else:
            errors["slot"] = refusal(BookingRefused(why_not_offered(slot, clock()), slot), service)[1]
    return render_page(
        "health/time.html",
        station=station,
        service=service,
        day=day,
        slots=slots,
        chosen=flow.answer("time"),
        form_errors=errors,
        back=flow.step_url("day"),
        action=request.full_path,
    )


@bp.route("/book/confirm", methods=["GET", "POST"])
@for_resident
def book_confirm():
    station, service = flow_choices()
    if station is None or service is None:
        return redirect(url_for("health.stations"), code=303)
    if not flow.complete():
        return redirect(flow.step_url(flow.first_unanswered()), code=303)
    slot = db.session.get(Slot, flow.answer("time"))
    if slot is None or slot.service_id != service.id:
        restart(station.id, service=service.id, day=flow.answer("day"))
        return redirect(flow.step_url("time"), code=303)
    resident = current_resident()
    errors = {}
    if request.method == "POST":
        try:
            booking = book_slot(
                db.session,
                slot_id=slot.id,
                resident=resident,
                now=clock(),
                tz=zone(),
                origin=record_origin("online"),
                actor=g.get("account"),
                locale=locale(),
                reason=assisted_reason(),
            )
        except BookingRefused as refused:
            field, message = refusal(refused, service)
            errors[field] = message
            slot, resident = db.session.get(Slot, slot.id), current_resident()
        else:
            flow.clear()
            count_poster_booking(station.id)
            return redirect(url_for("health.booking", reference=booking.reference, new=1), code=303)
    return render_page(
        "health/confirm.html",
        station=station,
        service=service,
        slot=slot,
        resident_name=mask_name(resident.name),
        form_errors=errors,
        flow=flow,
    )


@bp.route("/bookings/<reference>")
def booking(reference):
    """The confirmation and printable slip: for its own (identified) resident, or staff of the community."""
    booking = booking_or_404(reference)
    refused = own_slip_or_staff(
        booking.resident_id, can_see_community(g.get("account"), booking.service.station.community_id)
    )
    if refused is not None:
        return refused
    label = _("QR code of the booking reference %(reference)s, for check-in", reference=booking.reference)
    return render_page(
        "health/booking.html",
        booking=booking,
        slot=booking.slot,
        service=booking.service,
        station=booking.service.station,
        qr=qr_svg(booking.reference, label=label),
        just_booked=request.args.get("new") == "1",
        changed=request.args.get("changed") == "1",
    )
