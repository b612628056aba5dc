"""Walk-ins, check-in and no-show, and the database's own limits on places and bookings per day, with
the clock set by the test (services/booking.py)."""

from datetime import time, timedelta

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import AuditEvent, Booking, OutboxMessage, Slot
from portal.services.booking import book_slot, cancel_booking
from portal.services.checkin import check_in, mark_no_show

from tests.support.health import NOW, TOMORROW, TZ, count, make_residents, make_slot, refused


def test_walk_ins_start_checked_in_send_no_sms_and_respect_capacity(slot, station):
    from portal.models import Account

    nurse = db.session.scalars(db.select(Account).filter_by(username="nurse")).one()
    people = make_residents(3)
    after_start = NOW + timedelta(days=1, minutes=10)  # walk-ins may join a time already running
    for person in people[:2]:
        booking = book_slot(
            db.session, slot_id=slot.id, resident=person, now=after_start, tz=TZ, actor=nurse, walk_in=True
        )
        assert booking.status == "checked_in" and booking.walk_in and booking.checked_in_at is not None
    refused(
        "full",
        book_slot,
        db.session,
        slot_id=slot.id,
        resident=people[2],
        now=after_start,
        tz=TZ,
        actor=nurse,
        walk_in=True,
    )
    assert count(OutboxMessage) == 0
    assert count(AuditEvent, action="booking.walk_in") == 2


def test_over_capacity_only_as_a_confirmed_walk_in_and_it_is_recorded(slot, station):
    from portal.models import Account

    nurse = db.session.scalars(db.select(Account).filter_by(username="nurse")).one()
    people = make_residents(3)
    for person in people[:2]:
        book_slot(db.session, slot_id=slot.id, resident=person, now=NOW, tz=TZ)
    with pytest.raises(ValueError):
        book_slot(db.session, slot_id=slot.id, resident=people[2], now=NOW, tz=TZ, over_capacity=True)
    extra = book_slot(
        db.session,
        slot_id=slot.id,
        resident=people[2],
        now=NOW,
        tz=TZ,
        actor=nurse,
        walk_in=True,
        over_capacity=True,
        reason="over capacity, confirmed by the nurse",
    )
    db.session.expire_all()
    full_slot = db.session.get(Slot, slot.id)
    assert (full_slot.booked, full_slot.capacity, full_slot.overbooked) == (2, 2, 1)
    assert db.session.get(Booking, extra.id).over_capacity
    event = db.session.scalars(db.select(AuditEvent).filter_by(action="booking.walk_in_over_capacity")).one()
    assert event.actor_id == nurse.id and event.resident_id == people[2].id and "confirmed" in event.reason
    # Cancelling the extra one gives back the over-capacity count, not a normal place.
    cancel_booking(db.session, booking_id=extra.id, now=NOW, tz=TZ, actor=nurse) if extra.status == "booked" else None
    assert db.session.get(Slot, slot.id).booked == 2


def test_check_in_and_no_show_are_audited_and_guarded(slot, resident):
    from portal.models import Account

    nurse = db.session.scalars(db.select(Account).filter_by(username="nurse")).one()
    booking = book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)
    mark_no_show(db.session, booking_id=booking.id, actor=nurse)
    refused("not_active", mark_no_show, db.session, booking_id=booking.id, actor=nurse)
    late = check_in(db.session, booking_id=booking.id, now=NOW, actor=nurse)  # came late after all
    assert late.status == "checked_in"
    refused("not_active", check_in, db.session, booking_id=booking.id, now=NOW, actor=nurse)
    actions = db.session.scalars(
        db.select(AuditEvent.action).filter_by(resident_id=resident.id).order_by(AuditEvent.id)
    ).all()
    assert actions == ["booking.create", "booking.no_show", "booking.check_in"]


def test_the_database_itself_refuses_more_bookings_than_places(slot):
    with pytest.raises(IntegrityError):
        db.session.execute(update(Slot).where(Slot.id == slot.id).values(booked=slot.capacity + 1))
        db.session.commit()
    db.session.rollback()


def test_the_database_itself_refuses_two_active_bookings_per_day(service, slot, resident):
    first = book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)
    other = make_slot(service, TOMORROW, time(11))
    with pytest.raises(IntegrityError):
        db.session.execute(
            text(
                "INSERT INTO booking (reference, slot_id, service_id, day, resident_id, queue_number, status, walk_in, "
                "over_capacity, locale, channel, created_at) VALUES ('TESTTEST', :slot, :service, :day, :resident, 99, "
                "'booked', false, false, 'zh_Hans_CN', 'online', CURRENT_TIMESTAMP)"
            ),
            {"slot": other.id, "service": service.id, "day": TOMORROW, "resident": resident.id},
        )
        db.session.commit()
    db.session.rollback()
    # A cancelled booking does not count as active.
    db.session.execute(update(Booking).where(Booking.id == first.id).values(status="cancelled"))
    db.session.commit()
    db.session.execute(
        text(
            "INSERT INTO booking (reference, slot_id, service_id, day, resident_id, queue_number, status, walk_in, "
            "over_capacity, locale, channel, created_at) VALUES ('TESTTEST', :slot, :service, :day, :resident, 99, "
            "'booked', false, false, 'zh_Hans_CN', 'online', CURRENT_TIMESTAMP)"
        ),
        {"slot": other.id, "service": service.id, "day": TOMORROW, "resident": resident.id},
    )
    db.session.commit()
