"""A station closure (a holiday, a nurse away): close the slots it covers and cancel their bookings, telling
each resident why. Capacity moves through services/booking.py, like any other cancellation."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from ..models import Booking, Slot
from .audit import record_event
from .booking import announce_cancellation, cancel_if_booked
from .place_names import place_name
from .slots import as_utc_naive, slots_in_closure


def apply_closure(session, closure, *, now: datetime, tz: ZoneInfo, actor=None) -> list[Booking]:
    """Close every slot a closure covers, cancel their bookings and queue a notice for each resident.

    Two commits: first the slots close (so nobody can book them any more), then each booking is
    cancelled in the same lock order as a resident's own cancellation. Returns the cancelled bookings."""
    now_utc = as_utc_naive(now)
    session.execute(
        update(Slot).where(slots_in_closure(closure)).values(closed=True),
        execution_options={"synchronize_session": False},
    )
    session.commit()
    affected = session.scalars(
        select(Booking)
        .join(Slot, Booking.slot_id == Slot.id)
        .where(slots_in_closure(closure), Booking.status == "booked")
        .order_by(Booking.id)
    ).all()
    cancelled = []
    for booking in affected:
        if not cancel_if_booked(session, booking, now_utc):
            continue
        reason = place_name(closure, booking.locale, "reason")
        announce_cancellation(session, booking, tz, "booking.closure", reason)
        record_event(
            session,
            "booking.cancel_closure",
            actor=actor,
            resident=booking.resident,
            reason=closure.reason,
            detail=booking.reference,
            channel="staff",
        )
        cancelled.append(booking)
    session.commit()
    return cancelled
