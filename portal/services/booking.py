"""Booking, changing, cancelling and walk-ins, with capacity enforced by the database (check-in and no-shows:
services/checkin.py).

Every place is taken with a conditional UPDATE in the same transaction as the booking row:

    UPDATE slot SET booked = booked + 1
     WHERE id = :id AND booked < capacity AND NOT closed AND starts_at > :booking_closes

and CHECK (booked <= capacity) backs it up. When the UPDATE changes no row the booking is refused and
the slot is read only to say why. One active booking per resident, service and day is a partial unique
index; a clash rolls the whole transaction back, place included. Nothing is checked first and inserted
after, so any number of people booking the last place at once leaves exactly `capacity` bookings.

Each function here is one unit of work: it commits on success and rolls back on refusal, and writes its
outbox message and audit event in the same transaction. `now` is a parameter, so tests set the clock.
"""

import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..models import Booking, QueueCounter, Resident, Slot
from .appointment_text import booking_message
from .audit import record_event
from .outbox import queue_message
from .slots import as_utc_naive, insert_ignoring_conflicts

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed without mistakes
REFERENCE_LENGTH = 8


class BookingRefused(Exception):
    """A rule said no. `reason`: full, closed, past, cutoff, duplicate, unknown_slot, not_active,
    same_slot, wrong_service."""

    def __init__(self, reason: str, slot: Slot | None = None):
        super().__init__(reason)
        self.reason = reason
        self.slot = slot


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalise_reference(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def booking_closes_at(slot: Slot) -> datetime:
    return slot.starts_at - timedelta(minutes=slot.service.booking_cutoff_minutes)


def is_changeable(booking: Booking, now: datetime) -> bool:
    """A resident may cancel or move a booking that is still booked and has not started."""
    return booking.status == "booked" and booking.slot.starts_at > as_utc_naive(now)


def why_not_offered(slot: Slot, now: datetime) -> str:
    """Why a time of the chosen check is not among those offered: past, closed, or full."""
    if slot.starts_at <= as_utc_naive(now):
        return "past"
    return "closed" if slot.closed else "full"


def _refusal_for(session, slot_id: int, now_utc: datetime, walk_in: bool = False) -> BookingRefused:
    """Why the conditional UPDATE took no place (read after the fact, only to choose the words)."""
    session.rollback()
    slot = session.get(Slot, slot_id)
    if slot is None:
        return BookingRefused("unknown_slot")
    if slot.closed:
        return BookingRefused("closed", slot)
    if not walk_in and slot.starts_at <= now_utc:
        return BookingRefused("past", slot)
    if not walk_in and booking_closes_at(slot) <= now_utc:
        return BookingRefused("cutoff", slot)
    return BookingRefused("full", slot)


def _take_place(session, slot: Slot, now_utc: datetime, *, walk_in: bool = False, over_capacity: bool = False) -> bool:
    """The conditional UPDATE that takes one place. True when it did."""
    conditions = [Slot.id == slot.id, Slot.closed.is_(False)]
    if over_capacity:
        # Only through a walk-in the nurse confirmed: counted apart, so `booked <= capacity` still holds.
        values = {"overbooked": Slot.overbooked + 1}
    else:
        conditions.append(Slot.booked < Slot.capacity)
        values = {"booked": Slot.booked + 1}
    if not walk_in:
        conditions.append(Slot.starts_at > now_utc + timedelta(minutes=slot.service.booking_cutoff_minutes))
    statement = update(Slot).where(*conditions).values(**values)
    return session.execute(statement, execution_options={"synchronize_session": False}).rowcount == 1


def cancel_if_booked(session, booking: Booking, now_utc: datetime) -> bool:
    """Cancel `booking` if it is still booked and give its place back; False when someone else got there
    first (a second tap, a closure, the nurse). Does not commit."""
    done = session.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.status == "booked")
        .values(status="cancelled", cancelled_at=now_utc),
        execution_options={"synchronize_session": False},
    ).rowcount
    if done != 1:
        return False
    release_place(session, booking.slot_id, booking.over_capacity)
    session.refresh(booking)
    return True


def release_place(session, slot_id: int, over_capacity: bool) -> None:
    column = Slot.overbooked if over_capacity else Slot.booked
    session.execute(
        update(Slot).where(Slot.id == slot_id, column > 0).values({column: column - 1}),
        execution_options={"synchronize_session": False},
    )


def _next_queue_number(session, service_id: int, day) -> int:
    insert_ignoring_conflicts(
        session,
        QueueCounter.__table__,
        [{"service_id": service_id, "day": day, "last_number": 0}],
        ["service_id", "day"],
    )
    return session.execute(
        update(QueueCounter)
        .where(QueueCounter.service_id == service_id, QueueCounter.day == day)
        .values(last_number=QueueCounter.last_number + 1)
        .returning(QueueCounter.last_number)
    ).scalar_one()


def _has_active_booking(session, resident_id: int, service_id: int, day, other_than: int | None = None) -> bool:
    query = select(Booking.id).where(
        Booking.resident_id == resident_id,
        Booking.service_id == service_id,
        Booking.day == day,
        Booking.status.in_(("booked", "checked_in")),
    )
    if other_than is not None:
        query = query.where(Booking.id != other_than)
    return session.scalars(query).first() is not None


def own_bookings_by_day(
    session, *, resident_id: int, service_id: int, first_day, last_day, other_than: int | None = None
) -> dict:
    """The resident's active bookings of one service between two days, by day (one a day at most: the
    partial unique index). `other_than`: the booking being changed, whose own day stays open to it."""
    query = (
        select(Booking)
        .options(joinedload(Booking.slot))
        .where(
            Booking.resident_id == resident_id,
            Booking.service_id == service_id,
            Booking.day >= first_day,
            Booking.day <= last_day,
            Booking.status.in_(("booked", "checked_in")),
        )
    )
    if other_than is not None:
        query = query.where(Booking.id != other_than)
    return {booking.day: booking for booking in session.scalars(query)}


def mark_own_bookings(
    session, days: list[dict], *, resident_id: int, service_id: int, other_than: int | None = None
) -> list[dict]:
    """The day picker's days (slots.day_availability) with the resident's own bookings marked: such a
    day is in state "booked" and carries its booking, because a second booking there would be refused."""
    if not days:
        return days
    booked = own_bookings_by_day(
        session,
        resident_id=resident_id,
        service_id=service_id,
        first_day=days[0]["day"],
        last_day=days[-1]["day"],
        other_than=other_than,
    )
    return [
        {**entry, "state": "booked", "booking": booked[entry["day"]]} if entry["day"] in booked else entry
        for entry in days
    ]


def book_slot(
    session,
    *,
    slot_id: int,
    resident: Resident,
    now: datetime,
    tz: ZoneInfo,
    origin: dict | None = None,
    actor=None,
    locale: str = "zh_Hans_CN",
    walk_in: bool = False,
    over_capacity: bool = False,
    reason: str = "",
    announce: bool = True,
) -> Booking:
    """Book one place in a slot for a resident, or raise BookingRefused. Commits.

    Walk-ins (the nurse, at the station) skip the booking-time rules, start checked in and send no
    SMS; `over_capacity=True` is only for a walk-in the nurse explicitly confirmed. `announce=False`
    (loading demo data only) writes neither the outbox message nor the audit event.
    """
    if over_capacity and not walk_in:
        raise ValueError("only a confirmed walk-in may go over capacity")
    now_utc = as_utc_naive(now)
    origin = origin or {"channel": "online", "entered_by_id": None, "kiosk_id": None}
    resident_id = resident.id
    slot = session.get(Slot, slot_id)
    if slot is None:
        raise BookingRefused("unknown_slot")
    if not _take_place(session, slot, now_utc, walk_in=walk_in, over_capacity=over_capacity):
        raise _refusal_for(session, slot_id, now_utc, walk_in=walk_in)
    try:
        booking = Booking(
            reference=new_reference(),
            slot_id=slot.id,
            service_id=slot.service_id,
            day=slot.day,
            resident_id=resident_id,
            queue_number=_next_queue_number(session, slot.service_id, slot.day),
            status="checked_in" if walk_in else "booked",
            walk_in=walk_in,
            over_capacity=over_capacity,
            checked_in_at=now_utc if walk_in else None,
            locale=locale,
            channel=origin["channel"],
            entered_by_id=origin.get("entered_by_id"),
            kiosk_id=origin.get("kiosk_id"),
            created_at=now_utc,
        )
        session.add(booking)
        session.flush()
    except IntegrityError:
        session.rollback()
        if _has_active_booking(session, resident_id, slot.service_id, slot.day):
            raise BookingRefused("duplicate", slot) from None
        raise
    if not announce:
        session.commit()
        return booking
    resident = session.get(Resident, resident_id)
    if walk_in:
        action = "booking.walk_in_over_capacity" if over_capacity else "booking.walk_in"
    else:
        action = "booking.create"
        queue_message(
            session,
            kind="booking.created",
            text=booking_message("booking.created", booking, tz),
            recipient=resident.phone or "",
            resident=resident,
            locale=locale,
        )
    return _audited(session, booking, action, resident, actor, reason, origin)


def change_booking_time(
    session,
    *,
    booking_id: int,
    new_slot_id: int,
    now: datetime,
    tz: ZoneInfo,
    actor=None,
    origin: dict | None = None,
    reason: str = "",
) -> Booking:
    """Move a booking to another slot of the same service, atomically. Commits.

    The old place is given back only in the same transaction that takes the new one, so a refused
    change leaves the resident exactly where they were.
    """
    now_utc = as_utc_naive(now)
    booking = session.get(Booking, booking_id)
    new_slot = session.get(Slot, new_slot_id)
    if booking is None or booking.status != "booked":
        raise BookingRefused("not_active")
    if new_slot is None:
        raise BookingRefused("unknown_slot")
    if new_slot.id == booking.slot_id:
        raise BookingRefused("same_slot", new_slot)
    if new_slot.service_id != booking.service_id:
        raise BookingRefused("wrong_service", new_slot)
    if actor is None and booking.slot.starts_at <= now_utc:
        raise BookingRefused("past", booking.slot)
    old_slot_id, was_over = booking.slot_id, booking.over_capacity
    # Locks are taken in one order everywhere (booking row, slot rows by id, queue counter), so
    # concurrent bookings, changes and cancellations wait for each other but never deadlock.
    moved = session.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.status == "booked", Booking.slot_id == old_slot_id)
        .values(slot_id=new_slot.id, over_capacity=False),
        execution_options={"synchronize_session": False},
    ).rowcount
    if moved != 1:  # a concurrent cancel or change of the same booking got there first
        session.rollback()
        raise BookingRefused("not_active")
    release_first = old_slot_id < new_slot.id
    if release_first:
        release_place(session, old_slot_id, was_over)
    if not _take_place(session, new_slot, now_utc):
        raise _refusal_for(session, new_slot_id, now_utc)
    if not release_first:
        release_place(session, old_slot_id, was_over)
    number = _next_queue_number(session, new_slot.service_id, new_slot.day)
    try:
        session.execute(
            update(Booking).where(Booking.id == booking_id).values(day=new_slot.day, queue_number=number),
            execution_options={"synchronize_session": False},
        )
    except IntegrityError:  # one active booking per service and day: the new day already has one
        session.rollback()
        raise BookingRefused("duplicate", new_slot) from None
    session.expire_all()
    booking = session.get(Booking, booking_id)
    queue_message(
        session,
        kind="booking.changed",
        text=booking_message("booking.changed", booking, tz),
        recipient=booking.resident.phone or "",
        resident=booking.resident,
        locale=booking.locale,
    )
    return _audited(session, booking, "booking.change", booking.resident, actor, reason, origin)


def cancel_booking(
    session,
    *,
    booking_id: int,
    now: datetime,
    tz: ZoneInfo,
    actor=None,
    origin: dict | None = None,
    reason: str = "",
    kind: str = "booking.cancelled",
) -> Booking:
    """Cancel a booked appointment and give its place back. Commits.

    A resident may cancel until the slot starts; staff (an `actor`) at any time.
    """
    now_utc = as_utc_naive(now)
    booking = session.get(Booking, booking_id)
    if booking is None or booking.status != "booked":
        raise BookingRefused("not_active")
    if actor is None and booking.slot.starts_at <= now_utc:
        raise BookingRefused("past", booking.slot)
    if not cancel_if_booked(session, booking, now_utc):
        session.rollback()
        raise BookingRefused("not_active")
    announce_cancellation(session, booking, tz, kind, reason)
    return _audited(session, booking, "booking.cancel", booking.resident, actor, reason, origin)


def _audited(session, booking: Booking, action: str, resident, actor, reason: str, origin: dict | None) -> Booking:
    """Record who did `action` to `booking`, for whom, by which channel, and commit it with the booking."""
    origin = origin or {"channel": "online", "kiosk_id": None}
    record_event(
        session,
        action,
        actor=actor,
        resident=resident,
        reason=reason,
        detail=booking.reference,
        channel=origin["channel"],
        kiosk_id=origin.get("kiosk_id"),
    )
    session.commit()
    return booking


def announce_cancellation(session, booking: Booking, tz: ZoneInfo, kind: str, reason: str) -> None:
    queue_message(
        session,
        kind=kind,
        text=booking_message(kind, booking, tz, reason=reason),
        recipient=booking.resident.phone or "",
        resident=booking.resident,
        locale=booking.locale,
    )
