"""The nurse's rules at a health station: which days can be marked, what a scanned slip or card checks
in, which times a walk-in can take, and adding a walk-in (over the places only when the nurse
confirmed it, which the audit event records). The roster pages (health/roster.py) say the words."""

from datetime import date, datetime

from sqlalchemy import select, update

from ..models import Booking, Slot, Station
from .audit import record_event
from .booking import BookingRefused, book_slot
from .slots import as_utc_naive

# A booking can still be checked in while it is booked, or after it was marked "did not come".
CHECKABLE_STATES = ("booked", "no_show")
OVER_CAPACITY_REASON = "over capacity, confirmed by the nurse"


class CheckInRefused(LookupError):
    """reason: unknown_code (no booking at this station has that code), other_day (the slip is for
    `booking.day`), already (it is checked in or cancelled), no_appointment (`resident` has nothing
    to check in today)."""

    def __init__(self, reason: str, *, booking: Booking | None = None, resident=None):
        super().__init__(reason)
        self.reason, self.booking, self.resident = reason, booking, resident


def may_mark(day: date, today: date) -> bool:
    """Check-in and "did not come" are for today and days gone, never for a day still to come."""
    return day <= today


def station_service_ids(station: Station, active_only: bool = False) -> list[int]:
    return [s.id for s in station.services if s.active or not active_only]


def slip_to_check_in(station: Station, booking: Booking | None, day: date) -> Booking:
    """The booking a slip's reference names, if it can be checked in at this station on `day`."""
    if booking is None or booking.service_id not in station_service_ids(station):
        raise CheckInRefused("unknown_code")
    if booking.day != day:
        raise CheckInRefused("other_day", booking=booking)
    if booking.status not in CHECKABLE_STATES:
        raise CheckInRefused("already", booking=booking)
    return booking


def resident_bookings_to_check_in(session, station: Station, resident, day: date) -> list[Booking]:
    """Everything the resident (identified by their card) has at this station on `day` still to check in."""
    bookings = list(
        session.scalars(
            select(Booking).where(
                Booking.resident_id == resident.id,
                Booking.service_id.in_(station_service_ids(station)),
                Booking.day == day,
                Booking.status.in_(CHECKABLE_STATES),
            )
        )
    )
    if not bookings:
        raise CheckInRefused("no_appointment", resident=resident)
    return bookings


def walk_in_slots(session, station: Station, day: date) -> list[Slot]:
    """The times of `day` a walk-in can be added to: every open time of the station's active services,
    times with a place left first, then full ones (still choices: see add_walk_in), each group by time."""
    service_ids = station_service_ids(station, active_only=True)
    if not service_ids:
        return []
    slots = session.scalars(
        select(Slot)
        .where(Slot.service_id.in_(service_ids), Slot.day == day, Slot.closed.is_(False))
        .order_by(Slot.starts_at, Slot.service_id)
    )
    return sorted(slots, key=lambda slot: slot.places_left == 0)  # a stable sort keeps the time order


def add_walk_in(session, *, slot: Slot, resident, over_capacity_confirmed: bool, **booking) -> Booking:
    """Book and check in a walk-in. A full time is refused (BookingRefused "full") unless the nurse
    confirmed going over the places. `booking` is the rest of book_slot's arguments."""
    common = {"slot_id": slot.id, "resident": resident, "walk_in": True, **booking}
    try:
        return book_slot(session, **common)
    except BookingRefused as refused:
        if refused.reason != "full" or not over_capacity_confirmed:
            raise
    return book_slot(session, over_capacity=True, reason=OVER_CAPACITY_REASON, **common)


def _move_status(
    session, booking_id: int, from_states: tuple, values: dict, action: str, actor, origin: dict | None
) -> Booking:
    """One conditional UPDATE from `from_states`, audited; a second tap or another nurse's tap is refused."""
    done = session.execute(
        update(Booking).where(Booking.id == booking_id, Booking.status.in_(from_states)).values(**values),
        execution_options={"synchronize_session": False},
    ).rowcount
    if done != 1:
        session.rollback()
        raise BookingRefused("not_active")
    booking = session.get(Booking, booking_id)
    session.refresh(booking)
    record_event(
        session,
        action,
        actor=actor,
        resident=booking.resident,
        detail=booking.reference,
        channel=(origin or {}).get("channel", "staff"),
    )
    session.commit()
    return booking


def check_in(session, *, booking_id: int, now: datetime, actor, origin: dict | None = None) -> Booking:
    """Mark a resident as arrived (also after a no-show, for someone who came late). Commits."""
    return _move_status(
        session,
        booking_id,
        ("booked", "no_show"),
        {"status": "checked_in", "checked_in_at": as_utc_naive(now)},
        "booking.check_in",
        actor,
        origin,
    )


def mark_no_show(session, *, booking_id: int, actor, origin: dict | None = None) -> Booking:
    return _move_status(session, booking_id, ("booked",), {"status": "no_show"}, "booking.no_show", actor, origin)
