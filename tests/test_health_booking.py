"""The booking rules, each one, with the clock set by the test (services/booking.py)."""

from datetime import time, timedelta

from portal.extensions import db
from portal.models import AuditEvent, Booking, OutboxMessage, Service, Slot
from portal.services.booking import (
    REFERENCE_ALPHABET,
    book_slot,
    cancel_booking,
    change_booking_time,
)

from tests.support.health import NOW, TODAY, TOMORROW, TZ, count, make_residents, make_slot, refused


def test_a_booking_takes_a_place_and_gets_a_number_a_reference_an_sms_and_an_audit_event(slot, resident):
    booking = book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).booked == 1
    assert booking.status == "booked" and booking.queue_number == 1 and booking.day == TOMORROW
    assert len(booking.reference) == 8 and set(booking.reference) <= set(REFERENCE_ALPHABET)
    message = db.session.scalars(db.select(OutboxMessage)).one()
    assert message.kind == "booking.created" and message.recipient == resident.phone
    assert "2026年3月3日星期二" in message.text and "09:00" in message.text and "排队号1" in message.text
    assert "社保卡" in message.text
    assert count(AuditEvent, action="booking.create", resident_id=resident.id) == 1


def test_the_sms_is_in_the_language_the_resident_booked_in(app, slot, resident):
    with app.test_request_context("/?lang=zh"):
        book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ, locale="en")
    message = db.session.scalars(db.select(OutboxMessage)).one()
    assert message.locale == "en"
    assert "Tuesday, March 3, 2026 at 09:00" in message.text and "Queue number 1" in message.text
    assert "Your social security card" in message.text


def test_no_sms_for_a_resident_without_a_mobile(slot, station):
    (no_phone,) = make_residents(1, phone=False)
    book_slot(db.session, slot_id=slot.id, resident=no_phone, now=NOW, tz=TZ)
    assert count(OutboxMessage) == 0
    assert count(Booking, resident_id=no_phone.id) == 1


def test_queue_numbers_count_up_per_service_and_day(service, station):
    first, second = make_slot(service, TOMORROW, time(9)), make_slot(service, TOMORROW, time(10))
    people = make_residents(3)
    numbers = [
        book_slot(db.session, slot_id=s.id, resident=r, now=NOW, tz=TZ).queue_number
        for s, r in [(second, people[0]), (first, people[1]), (second, people[2])]
    ]
    assert numbers == [1, 2, 3]
    other_day = make_slot(service, TOMORROW + timedelta(days=1), time(9))
    assert book_slot(db.session, slot_id=other_day.id, resident=people[0], now=NOW, tz=TZ).queue_number == 1


def test_a_full_slot_says_full_and_changes_nothing(slot, station):
    people = make_residents(3)
    for person in people[:2]:
        book_slot(db.session, slot_id=slot.id, resident=person, now=NOW, tz=TZ)
    refused("full", book_slot, db.session, slot_id=slot.id, resident=people[2], now=NOW, tz=TZ)
    assert db.session.get(Slot, slot.id).booked == 2
    assert count(Booking, resident_id=people[2].id) == 0


def test_one_active_booking_per_resident_per_service_per_day(service, slot, resident):
    book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)
    same_day = make_slot(service, TOMORROW, time(10, 30))
    refused("duplicate", book_slot, db.session, slot_id=same_day.id, resident=resident, now=NOW, tz=TZ)
    refused("duplicate", book_slot, db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)
    # The refused attempts gave their places back in the same rollback.
    assert db.session.get(Slot, same_day.id).booked == 0 and db.session.get(Slot, slot.id).booked == 1
    # Another day, or another service on the same day, is fine.
    next_day = make_slot(service, TOMORROW + timedelta(days=1), time(9))
    assert book_slot(db.session, slot_id=next_day.id, resident=resident, now=NOW, tz=TZ)
    sugar = Service(station_id=service.station_id, name="血糖检测", slot_minutes=30, places_per_slot=4)
    db.session.add(sugar)
    db.session.commit()
    assert book_slot(db.session, slot_id=make_slot(sugar, TOMORROW, time(9)).id, resident=resident, now=NOW, tz=TZ)


def test_after_cancelling_the_resident_may_book_that_day_again(slot, resident):
    booking = book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)
    cancel_booking(db.session, booking_id=booking.id, now=NOW, tz=TZ)
    again = book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)
    assert again.status == "booked" and db.session.get(Slot, slot.id).booked == 1


def test_booking_closes_the_configured_minutes_before_the_start(service, resident):
    soon = make_slot(service, TODAY, time(9, 45))  # 45 minutes after NOW; booking closes 60 minutes before
    error = refused("cutoff", book_slot, db.session, slot_id=soon.id, resident=resident, now=NOW, tz=TZ)
    assert error.slot.id == soon.id
    just_open = make_slot(service, TODAY, time(10, 30))
    assert book_slot(db.session, slot_id=just_open.id, resident=resident, now=NOW, tz=TZ)


def test_no_booking_in_the_past(service, resident):
    earlier = make_slot(service, TODAY, time(8, 0))
    refused("past", book_slot, db.session, slot_id=earlier.id, resident=resident, now=NOW, tz=TZ)
    assert db.session.get(Slot, earlier.id).booked == 0


def test_closed_slots_cannot_be_booked(slot, resident):
    slot.closed = True
    db.session.commit()
    refused("closed", book_slot, db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)


def test_an_unknown_slot_is_refused(resident):
    refused("unknown_slot", book_slot, db.session, slot_id=999999, resident=resident, now=NOW, tz=TZ)


def test_changing_the_time_moves_the_place_and_tells_the_resident(service, slot, resident):
    booking = book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)
    later = make_slot(service, TOMORROW + timedelta(days=1), time(11))
    moved = change_booking_time(db.session, booking_id=booking.id, new_slot_id=later.id, now=NOW, tz=TZ)
    db.session.expire_all()
    assert moved.slot_id == later.id and moved.day == later.day and moved.reference == booking.reference
    assert db.session.get(Slot, slot.id).booked == 0 and db.session.get(Slot, later.id).booked == 1
    assert count(OutboxMessage, kind="booking.changed") == 1
    assert count(AuditEvent, action="booking.change") == 1


def test_a_refused_change_keeps_the_old_place(service, slot, station):
    owner, others = make_residents(1)[0], make_residents(2, start=10)
    booking = book_slot(db.session, slot_id=slot.id, resident=owner, now=NOW, tz=TZ)
    full = make_slot(service, TOMORROW + timedelta(days=1), time(9), capacity=2)
    for person in others:
        book_slot(db.session, slot_id=full.id, resident=person, now=NOW, tz=TZ)
    refused("full", change_booking_time, db.session, booking_id=booking.id, new_slot_id=full.id, now=NOW, tz=TZ)
    db.session.expire_all()
    kept = db.session.get(Booking, booking.id)
    assert kept.slot_id == slot.id and kept.status == "booked"
    assert db.session.get(Slot, slot.id).booked == 1 and db.session.get(Slot, full.id).booked == 2
    assert count(OutboxMessage, kind="booking.changed") == 0


def test_a_change_onto_a_day_already_booked_is_refused(service, slot, resident):
    first = book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)
    other_day = make_slot(service, TOMORROW + timedelta(days=1), time(9))
    book_slot(db.session, slot_id=other_day.id, resident=resident, now=NOW, tz=TZ)
    another_time = make_slot(service, TOMORROW + timedelta(days=1), time(10))
    refused(
        "duplicate", change_booking_time, db.session, booking_id=first.id, new_slot_id=another_time.id, now=NOW, tz=TZ
    )
    db.session.expire_all()
    assert db.session.get(Booking, first.id).slot_id == slot.id
    assert db.session.get(Slot, slot.id).booked == 1 and db.session.get(Slot, another_time.id).booked == 0


def test_a_change_within_the_same_day_is_allowed(service, slot, resident):
    booking = book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)
    later_same_day = make_slot(service, TOMORROW, time(11))
    assert (
        change_booking_time(db.session, booking_id=booking.id, new_slot_id=later_same_day.id, now=NOW, tz=TZ).slot_id
        == later_same_day.id
    )


def test_a_change_to_the_same_slot_or_a_past_time_is_refused(service, slot, resident):
    booking = book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)
    refused("same_slot", change_booking_time, db.session, booking_id=booking.id, new_slot_id=slot.id, now=NOW, tz=TZ)
    earlier = make_slot(service, TODAY, time(8, 30))
    refused("past", change_booking_time, db.session, booking_id=booking.id, new_slot_id=earlier.id, now=NOW, tz=TZ)
    assert db.session.get(Slot, slot.id).booked == 1


def test_cancelling_gives_the_place_back_once(slot, resident):
    booking = book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)
    cancel_booking(db.session, booking_id=booking.id, now=NOW, tz=TZ)
    assert db.session.get(Slot, slot.id).booked == 0
    refused("not_active", cancel_booking, db.session, booking_id=booking.id, now=NOW, tz=TZ)
    assert db.session.get(Slot, slot.id).booked == 0
    assert count(OutboxMessage, kind="booking.cancelled") == 1


def test_residents_cannot_cancel_once_the_time_has_started_but_staff_can(app, slot, resident):
    from portal.models import Account

    booking = book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)
    after_start = NOW + timedelta(days=1, minutes=5)
    refused("past", cancel_booking, db.session, booking_id=booking.id, now=after_start, tz=TZ)
    nurse = db.session.scalars(db.select(Account).filter_by(username="nurse")).one()
    cancel_booking(db.session, booking_id=booking.id, now=after_start, tz=TZ, actor=nurse, reason="phoned in")
    event = db.session.scalars(db.select(AuditEvent).filter_by(action="booking.cancel")).one()
    assert event.actor_id == nurse.id and event.reason == "phoned in"
