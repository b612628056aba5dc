"""The nurse's day roster: who is booked, per service and time; check-in with one tap or by scanning the
resident card or the slip; no-shows; cancelling for a resident; walk-ins (over capacity only when the
nurse confirms it, which is recorded)."""

from collections import Counter
from datetime import date, timedelta
from functools import cache
from types import SimpleNamespace

from flask import abort, current_app, g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from ..auth.guards import require_role
from ..auth.loaders import station_booking_or_404, station_or_404
from ..channels import record_origin
from ..extensions import client_ip, db, htmx
from ..identify import resident_from_desk_card, year_now
from ..models import Booking, Resident, Slot, Station
from ..pages import addresses, render_page
from ..services.booking import BookingRefused, cancel_booking, normalise_reference
from ..services.cards import normalise_token
from ..services.checkin import (
    CheckInRefused,
    add_walk_in,
    check_in,
    mark_no_show,
    may_mark,
    resident_bookings_to_check_in,
    slip_to_check_in,
    walk_in_slots,
)
from ..services.identity import ChooseCommunity, IdentifyError, identify_resident, message
from ..services.inputs import date_in_range, text_errors
from ..services.masking import mask_name, mask_phone
from ..services.permissions import ROSTER_ROLES, visible_stations
from ..services.slots import ensure_slots
from . import bp
from .common import clock, clock_filter, full_date, locale, loctext, today, zone
from .words import booking_channel_label, status_label


def roster_day_arg() -> date:
    return date_in_range(request.args.get("day", "")) or today()


# Only what a row shows, as plain rows: a busy day is about 50 to 100 bookings, and making each booking,
# its slot and its resident into ORM objects took a third of the page's time. Built once, with the
# services and the day as bound parameters.
DAY_ROWS = (
    select(
        Booking.reference,
        Booking.service_id,
        Booking.status,
        Booking.queue_number,
        Booking.walk_in,
        Booking.over_capacity,
        Booking.channel,
        Slot.starts_at,
        Resident.name,
        Resident.phone,
    )
    .join(Slot, Booking.slot_id == Slot.id)
    .join(Resident, Booking.resident_id == Resident.id)
    .where(Booking.service_id.in_(bindparam("service_ids", expanding=True)), Booking.day == bindparam("day"))
    .order_by(Booking.service_id, Slot.starts_at, Booking.queue_number)
)


def roster_context(station: Station, day: date) -> dict:
    service_ids = [s.id for s in station.services]
    bookings = db.session.execute(DAY_ROWS, {"service_ids": service_ids, "day": day}).all() if service_ids else []
    # Each row's three addresses, from one url_for each for the whole roster.
    check_in = addresses("health.roster_action", "reference", station_id=station.id, action="check-in")
    no_show = addresses("health.roster_action", "reference", station_id=station.id, action="no-show")
    cancel = addresses("health.roster_cancel", "reference", station_id=station.id)

    walk_in, number_word = _("Walk-in"), _("No.")
    # A day has a few statuses, channels and times and many rows: each word once per view.
    status_text, channel_text, time_text = cache(status_label), cache(booking_channel_label), cache(clock_filter)

    def row(b) -> SimpleNamespace:
        # Everything a row shows, worked out here once: a template spends several times as long on a
        # lookup, a call or a joined string, and a busy day has 50 to 100 rows.
        name = mask_name(b.name)
        return SimpleNamespace(
            status=b.status,
            number=b.queue_number,
            over_capacity=b.over_capacity,
            name=name,
            phone=mask_phone(b.phone),
            time=time_text(b.starts_at),
            booked_by=walk_in if b.walk_in else channel_text(b.channel),
            status_text=status_text(b.status),
            check_in=check_in(b.reference),
            no_show=no_show(b.reference),
            cancel=cancel(b.reference),
            # Said after each button's words to a screen reader: whose row it is.
            who=f": {name}, {number_word} {b.queue_number}",
        )

    # One pass over the rows: reading each service's id from its ORM object once per row and service
    # cost more than making the row.
    by_service: dict[int, list] = {}
    for b in bookings:
        by_service.setdefault(b.service_id, []).append(row(b))
    sections = [
        {"service": service, "rows": by_service[service_id]}
        for service, service_id in zip(station.services, service_ids, strict=True)
        if service_id in by_service
    ]
    tally = Counter(b.status for b in bookings)
    counts = {status: tally[status] for status in ("booked", "checked_in", "no_show", "cancelled")}
    return {
        "station": station,
        "day": day,
        "sections": sections,
        "counts": counts,
        "today": today(),
        "actions_allowed": may_mark(day, today()),
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
    }


def render_roster(station, day, *, message="", errors=None, code="", status=200):
    block = "roster" if htmx and not htmx.boosted else None
    return render_page(
        "health/roster.html",
        block=block,
        status=status,
        message=message,
        form_errors=errors or {},
        code=code,
        **roster_context(station, day),
    )


@bp.route("/roster")
@require_role(*ROSTER_ROLES)
def roster():
    stations = visible_stations(db.session, g.account)
    if len(stations) == 1:
        return redirect(url_for("health.roster_day", station_id=stations[0].id), code=303)
    return render_page("health/roster_stations.html", stations=stations)


@bp.route("/roster/<int:station_id>")
@require_role(*ROSTER_ROLES)
def roster_day(station_id):
    station = station_or_404(station_id)
    ensure_slots(db.session, station, now=clock(), tz=zone())
    day = roster_day_arg()
    message = ""
    done = request.args.get("done")
    if done:
        booking = db.session.scalars(
            db.select(Booking).filter_by(reference=normalise_reference(request.args.get("ref", "")))
        ).first()
        if booking is not None and booking.service.station_id == station.id:
            message = done_message(done, booking)
    return render_roster(station, day, message=message)


def done_message(action: str, booking: Booking) -> str:
    values = {
        "name": mask_name(booking.resident.name),
        "number": booking.queue_number,
        "service": loctext(booking.service),
    }
    if action == "check-in":
        return _("Checked in: %(name)s, queue number %(number)s, %(service)s.", **values)
    if action == "no-show":
        return _("Marked as did not come: %(name)s, queue number %(number)s.", **values)
    if action == "cancel":
        return _("Cancelled: %(name)s, queue number %(number)s. The place is free again.", **values)
    if action == "walk-in":
        return _("Walk-in added and checked in: %(name)s, queue number %(number)s, %(service)s.", **values)
    return ""


def after_action(station, booking, action):
    """htmx swaps the roster in place; without JavaScript, Post/Redirect/Get back to the roster."""
    if htmx and not htmx.boosted:
        return render_roster(station, booking.day, message=done_message(action, booking))
    return redirect(
        url_for(
            "health.roster_day", station_id=station.id, day=booking.day.isoformat(), done=action, ref=booking.reference
        ),
        code=303,
    )


@bp.route("/roster/<int:station_id>/bookings/<reference>/<any('check-in', 'no-show'):action>", methods=["POST"])
@require_role(*ROSTER_ROLES)
def roster_action(station_id, reference, action):
    station = station_or_404(station_id)
    booking = station_booking_or_404(station, reference)
    if not may_mark(booking.day, today()):
        abort(400)
    try:
        if action == "check-in":
            booking = check_in(
                db.session, booking_id=booking.id, now=clock(), actor=g.account, origin=record_origin("staff")
            )
        else:
            booking = mark_no_show(db.session, booking_id=booking.id, actor=g.account, origin=record_origin("staff"))
    except BookingRefused:
        # Someone else changed it a moment ago (two nurses, or a double tap): show the roster as it is now.
        booking = station_booking_or_404(station, reference)
    return after_action(station, booking, action)


@bp.route("/roster/<int:station_id>/scan", methods=["POST"])
@require_role(*ROSTER_ROLES)
def roster_scan(station_id):
    """Check in by the resident card's token or the slip's booking reference (a scanner types either)."""
    station = station_or_404(station_id)
    day = today()
    code = request.form.get("code", "")
    try:
        bookings = bookings_for_code(station, day, code)
    except LookupError as problem:
        return render_roster(station, day, errors={"code": str(problem)}, code=code)
    messages = []
    for booking in bookings:
        try:
            booking = check_in(
                db.session, booking_id=booking.id, now=clock(), actor=g.account, origin=record_origin("staff")
            )
        except BookingRefused:
            continue
        messages.append(done_message("check-in", booking))
    return render_roster(station, day, message=" ".join(messages))


def bookings_for_code(station: Station, day: date, code: str) -> list[Booking]:
    """Today's bookings to check in for a scanned or typed code; LookupError says why there are none."""
    if not code.strip():
        raise LookupError(_("Scan the resident card or the QR code on the slip, or type its code."))
    try:
        if normalise_token(code).startswith("LC1"):
            resident = resident_from_desk_card(code, station.community_id)
            return resident_bookings_to_check_in(db.session, station, resident, day)
        booking = db.session.scalars(db.select(Booking).filter_by(reference=normalise_reference(code))).first()
        return [slip_to_check_in(station, booking, day)]
    except CheckInRefused as refused:
        raise LookupError(check_in_problem(refused)) from None


def check_in_problem(refused: CheckInRefused) -> str:
    if refused.reason == "no_appointment":
        return _(
            "%(name)s has no appointment to check in today. If there is room, add them as a walk-in.",
            name=mask_name(refused.resident.name),
        )
    if refused.reason == "other_day":
        return _("This slip is for %(day)s, not today.", day=full_date(refused.booking.day))
    if refused.reason == "already":
        return _(
            "This appointment is already marked: %(status)s.",
            status=_("checked in") if refused.booking.status == "checked_in" else _("cancelled"),
        )
    return _("No appointment at this station has that code. Check the code and try again.")


@bp.route("/roster/<int:station_id>/bookings/<reference>/cancel", methods=["GET", "POST"])
@require_role(*ROSTER_ROLES)
def roster_cancel(station_id, reference):
    station = station_or_404(station_id)
    booking = station_booking_or_404(station, reference)
    back = url_for("health.roster_day", station_id=station.id, day=booking.day.isoformat())
    if booking.status != "booked":
        return redirect(back, code=303)
    reason = request.form.get("reason", "").strip()
    errors = text_errors({"reason": reason}, lengths={"reason": 200})
    if request.method == "POST" and not errors:
        try:
            cancel_booking(
                db.session,
                booking_id=booking.id,
                now=clock(),
                tz=zone(),
                actor=g.account,
                origin=record_origin("staff"),
                reason=reason,
            )
        except BookingRefused:
            pass  # already cancelled or changed by someone else: the roster shows how it stands
        return redirect(
            url_for(
                "health.roster_day",
                station_id=station.id,
                day=booking.day.isoformat(),
                done="cancel",
                ref=booking.reference,
            ),
            code=303,
        )
    return render_page(
        "health/cancel.html",
        booking=booking,
        form_errors=errors,
        back=back,
        staff_cancel=True,
        reason=reason,
        action=url_for("health.roster_cancel", station_id=station.id, reference=booking.reference),
    )


@bp.route("/roster/<int:station_id>/walk-in", methods=["GET", "POST"])
@require_role(*ROSTER_ROLES)
def walk_in(station_id):
    station = station_or_404(station_id)
    day = today()
    slots = walk_in_slots(db.session, station, day)
    form = {key: request.form.get(key, "") for key in ("token", "phone", "birth_year", "slot", "over_capacity")}
    errors = {}
    if request.method == "POST":
        resident = None
        try:
            # The nurse sees the person: phone plus birth year needs no code sent by SMS.
            resident = identify_resident(
                db.session,
                current_app.config["SECRET_KEY"],
                token=form["token"],
                phone=form["phone"],
                birth_year=form["birth_year"],
                year_now=year_now(),
                community_id=station.community_id,
                address=client_ip(),
                origin=record_origin("staff"),
                actor=g.account,
            )
        except IdentifyError as refused:
            db.session.commit()  # a counted failure and its audit event stay
            errors.update({field: message(code) for field, code in refused.errors.items()})
        except ChooseCommunity:  # cannot happen inside one community; never guess if it did
            errors["phone"] = message("no_match")
        slot = next((s for s in slots if str(s.id) == form["slot"]), None)
        if slot is None:
            errors["slot"] = _("Choose the time and check for the walk-in.")
        if not errors:
            try:
                booking = add_walk_in(
                    db.session,
                    slot=slot,
                    resident=resident,
                    over_capacity_confirmed=form["over_capacity"] == "yes",
                    now=clock(),
                    tz=zone(),
                    actor=g.account,
                    origin=record_origin("staff"),
                    locale=locale(),
                )
            except BookingRefused as refused:
                errors["slot"] = walk_in_problem(refused.reason)
                slots = walk_in_slots(db.session, station, day)
            else:
                return redirect(
                    url_for("health.roster_day", station_id=station.id, done="walk-in", ref=booking.reference), code=303
                )
    return render_page("health/walk_in.html", station=station, day=day, slots=slots, form=form, form_errors=errors)


def walk_in_problem(reason: str) -> str:
    if reason == "full":
        return _('That time is full. Choose another time, or tick "Add over capacity" to see them anyway.')
    if reason == "duplicate":
        return _("This resident already has an appointment for that check today. Check them in instead.")
    if reason == "closed":
        return _("That time is closed. Choose another time.")
    return _("That time can no longer be booked. Choose another time.")
