"""Removing a resident (PIPL's right to deletion): the record is anonymised, not deleted.

What identifies them goes: name, phone, family contact, birth year (kept only as its decade), room, the
resident number (a new random one), every card (the version is bumped), the free text of their requests,
request notes, audit events, messages and asks, the one-time codes sent to their phone, and their photos.
What stays is what the de-identified figures count: the row itself with its community, grid, building,
channel, needs-help flags and dates, every booking and request with its channel, category and state.

Future appointments are cancelled first through the booking service (the usual message, the place given
back). Those messages are still waiting to be sent; the outbox sender blanks each one once it has gone
(outbox_delivery.record_outcome). Future activity sign-ups are cancelled, and places on waiting lists
left, through the activities service's own cancel path: a freed place goes to the first person waiting,
who is told as usual. Past sign-ups stay for the attendance figures, without a call-list entry (the
grid worker no longer phones them). Notices read hold no free text and stay, for the read counts.
Their topic supports are withdrawn; the topics they suggested stay, with no name.
The removal is audited with who confirmed it, and nothing of what was removed.
"""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update

from ..models import (
    Activity,
    ActivitySignup,
    AidCall,
    AidMatch,
    AidPost,
    AuditEvent,
    Booking,
    DataRequest,
    OneTimeCode,
    OutboxMessage,
    Request,
    RequestEvent,
    Resident,
    Slot,
    Topic,
)
from .activities import SignupRefused, end_signup
from .audit import record_event
from .booking import BookingRefused, cancel_booking
from .data_requests import mark_removal_applied
from .photos import remove_photo
from .residents import new_resident_number
from .slots import as_utc_naive
from .topics import withdraw_all_supports
from .volunteers import remove_entry_of_resident

REMOVED_NAME = "—"


def cancel_future_bookings(session, resident: Resident, *, now: datetime, tz: ZoneInfo, actor) -> int:
    ids = session.scalars(
        select(Booking.id)
        .join(Slot, Booking.slot_id == Slot.id)
        .where(Booking.resident_id == resident.id, Booking.status == "booked", Slot.starts_at > as_utc_naive(now))
    ).all()
    cancelled = 0
    for booking_id in ids:
        try:
            cancel_booking(session, booking_id=booking_id, now=now, tz=tz, actor=actor, origin={"channel": "staff"})
        except BookingRefused:  # cancelled meanwhile by the resident or the nurse
            continue
        cancelled += 1
    return cancelled


def cancel_future_signups(session, resident: Resident, *, now: datetime, actor) -> int:
    """Cancel the sign-ups and leave the waiting lists of activities still to start, one unit of work each."""
    ids = session.scalars(
        select(ActivitySignup.id)
        .join(Activity, ActivitySignup.activity_id == Activity.id)
        .where(
            ActivitySignup.resident_id == resident.id,
            ActivitySignup.state.in_(("signed_up", "waiting")),
            Activity.starts_at > as_utc_naive(now),
        )
        .order_by(ActivitySignup.id)
    ).all()
    cancelled = 0
    for signup_id in ids:
        try:
            end_signup(session, signup_id=signup_id, now=now, actor=actor, origin={"channel": "staff"})
        except SignupRefused:  # cancelled meanwhile by the resident or the staff
            continue
        cancelled += 1
    return cancelled


def anonymise_resident(session, resident_id: int, *, now: datetime, photo_folder: Path | None) -> None:
    """Blank everything that identifies the resident, in the current transaction (no commit)."""
    resident = session.get(Resident, resident_id)
    old_phone = resident.phone
    request_ids = select(Request.id).where(Request.resident_id == resident_id)
    if photo_folder is not None:
        for name in session.scalars(select(Request.photo_path).where(Request.resident_id == resident_id)):
            remove_photo(photo_folder, name)
    quiet = {"synchronize_session": False}
    session.execute(
        update(Resident)
        .where(Resident.id == resident_id)
        .values(
            name=REMOVED_NAME,
            phone=None,
            family_contact="",
            birth_year=Resident.birth_year - Resident.birth_year % 10,
            room="",
            number=new_resident_number(),
            card_version=Resident.card_version + 1,
            removed_at=as_utc_naive(now),
        )
        .execution_options(**quiet)
    )
    session.execute(
        update(Request)
        .where(Request.resident_id == resident_id)
        .values(description="", location_text="", photo_path=None)
        .execution_options(**quiet)
    )
    session.execute(
        update(RequestEvent).where(RequestEvent.request_id.in_(request_ids)).values(note="").execution_options(**quiet)
    )
    # The audit log is append-only for the ORM (models/audit.py); anonymising is the one change allowed.
    session.execute(
        update(AuditEvent)
        .where(AuditEvent.resident_id == resident_id)
        .values(reason="", detail="")
        .execution_options(**quiet)
    )
    sent = OutboxMessage.status.in_(("sent", "failed"))
    session.execute(
        update(OutboxMessage)
        .where(sent, (OutboxMessage.resident_id == resident_id) | (OutboxMessage.recipient == (old_phone or "-")))
        .values(text="", recipient="")
        .execution_options(**quiet)
    )
    session.execute(
        update(ActivitySignup)
        .where(ActivitySignup.resident_id == resident_id)
        .values(call_reason=None, call_done_at=None)
        .execution_options(**quiet)
    )
    session.execute(
        update(DataRequest)
        .where(DataRequest.resident_id == resident_id)
        .values(what_is_wrong="", should_be="", outcome_note="")
        .execution_options(**quiet)
    )
    # Topics and meetings (议事会): their supports are withdrawn (the counts go down with them); the topics
    # they suggested stay for the neighbours, with no name.
    withdraw_all_supports(session, resident_id, now)
    session.execute(
        update(Topic).where(Topic.resident_id == resident_id).values(resident_id=None).execution_options(**quiet)
    )
    # Volunteer register (活地图): their entry and their answers to call-outs are deleted.
    remove_entry_of_resident(session, resident_id)
    # Mutual aid (邻里互助): their open or matched posts close, and every post they made stays with no name;
    # their answers still waiting in the queue are declined; the calls to make to them are dropped.
    session.execute(
        update(AidPost)
        .where(AidPost.resident_id == resident_id, AidPost.state.in_(("open", "matched")))
        .values(state="closed", state_reason="", closed_at=as_utc_naive(now))
        .execution_options(**quiet)
    )
    session.execute(
        update(AidPost).where(AidPost.resident_id == resident_id).values(resident_id=None).execution_options(**quiet)
    )
    session.execute(
        update(AidMatch)
        .where(AidMatch.resident_id == resident_id, AidMatch.state == "proposed")
        .values(state="declined", decline_reason="", decided_at=as_utc_naive(now))
        .execution_options(**quiet)
    )
    session.execute(delete(AidCall).where(AidCall.resident_id == resident_id).execution_options(**quiet))
    if old_phone:
        session.execute(delete(OneTimeCode).where(OneTimeCode.phone == old_phone).execution_options(**quiet))


def remove_resident(
    session, resident: Resident, *, actor, now: datetime, tz: ZoneInfo, photo_folder: Path | None, ask=None
) -> int | None:
    """Cancel the future appointments and activity sign-ups, then (with `ask`, only if this staff member is the one who marks it
    applied) anonymise, audit and commit together. The number of appointments cancelled, or None when
    someone else had already dealt with the ask."""
    resident_id = resident.id
    cancelled = cancel_future_bookings(session, resident, now=now, tz=tz, actor=actor)
    cancel_future_signups(session, session.get(Resident, resident_id), now=now, actor=actor)
    if ask is not None and not mark_removal_applied(session, ask, actor=actor, now=as_utc_naive(now)):
        session.rollback()
        return None
    anonymise_resident(session, resident_id, now=now, photo_folder=photo_folder)
    record_event(session, "resident.remove", actor=actor, resident=session.get(Resident, resident_id), channel="staff")
    session.commit()
    session.expire_all()
    return cancelled
