"""Slot generation: local time in the configured zone, a rolling window, idempotency, closures."""

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from portal.extensions import db
from portal.models import AuditEvent, Booking, Closure, OutboxMessage, Slot, WeeklySchedule
from portal.services.booking import book_slot
from portal.services.closures import apply_closure
from portal.services.slots import (
    as_utc_naive,
    day_availability,
    generate_slots,
    insert_ignoring_conflicts,
    local_today,
    reopen_after_closure,
)

from tests.support.health import NOW, TODAY, TOMORROW, TZ, make_residents, make_station


def slots_of(service):
    return db.session.scalars(db.select(Slot).where(Slot.service_id == service.id).order_by(Slot.starts_at)).all()


def test_slots_are_made_in_local_time_for_the_window(service):
    counts = generate_slots(db.session, now=NOW, tz=TZ, days=7, station_ids=[service.station_id])
    db.session.commit()
    slots = slots_of(service)
    # Monday 09:00 now: Monday keeps 09:30..11:30 (5), Tuesday to Friday have 8 each; no weekend.
    assert counts["created"] == len(slots) == 5 + 4 * 8
    first_tuesday = next(s for s in slots if s.day == TOMORROW)
    assert first_tuesday.starts_at == datetime(2026, 3, 3, 0, 0)  # 08:00 in Shanghai is 00:00 UTC
    assert first_tuesday.ends_at - first_tuesday.starts_at == timedelta(minutes=30)
    assert {s.day.weekday() for s in slots} == {0, 1, 2, 3, 4}
    assert all(s.capacity == 5 and s.booked == 0 and not s.closed for s in slots)
    assert max(s.day for s in slots) == TODAY + timedelta(days=4)


def test_the_local_day_is_stored_even_when_utc_is_still_the_day_before(app):
    with app.app_context():
        station = make_station(name="早班健康站", weekdays=[1], start=time(7, 0), end=time(8, 0))
        generate_slots(db.session, now=NOW, tz=TZ, days=7, station_ids=[station.id])
        slots = slots_of(station.services[0])
        assert [s.starts_at for s in slots] == [datetime(2026, 3, 2, 23, 0), datetime(2026, 3, 2, 23, 30)]
        assert {s.day for s in slots} == {TOMORROW}  # Tuesday in Shanghai, Monday in UTC


def test_another_configured_zone_moves_the_stored_times(app):
    with app.app_context():
        station = make_station(name="远方健康站", weekdays=[1], start=time(8), end=time(8, 30))
        generate_slots(db.session, now=NOW, tz=ZoneInfo("Europe/Berlin"), days=7, station_ids=[station.id])
        (slot,) = slots_of(station.services[0])
        assert slot.starts_at == datetime(2026, 3, 3, 7, 0)  # 08:00 in Berlin (UTC+1 in March)


def test_generation_is_idempotent(service):
    generate_slots(db.session, now=NOW, tz=TZ, station_ids=[service.station_id])
    db.session.commit()
    before = [(s.id, s.starts_at) for s in slots_of(service)]
    again = generate_slots(db.session, now=NOW, tz=TZ, station_ids=[service.station_id])
    db.session.commit()
    assert again == {"created": 0, "removed": 0, "resized": 0}
    assert [(s.id, s.starts_at) for s in slots_of(service)] == before


def test_a_second_generator_racing_the_first_adds_nothing(service):
    generate_slots(db.session, now=NOW, tz=TZ, days=2, station_ids=[service.station_id])
    slot = slots_of(service)[0]
    row = {
        "service_id": service.id,
        "day": slot.day,
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "capacity": 5,
        "booked": 0,
        "overbooked": 0,
        "closed": False,
    }
    assert insert_ignoring_conflicts(db.session, Slot.__table__, [row], ["service_id", "starts_at"]) == 0


def test_the_window_rolls_forward_with_the_clock(service):
    generate_slots(db.session, now=NOW, tz=TZ, days=7, station_ids=[service.station_id])
    later = NOW + timedelta(days=7)
    counts = generate_slots(db.session, now=later, tz=TZ, days=7, station_ids=[service.station_id])
    assert counts["created"] == 5 * 8 - 3  # next week, less Monday 08:00, 08:30 and 09:00 (not after 09:00)
    assert local_today(later, TZ) == TODAY + timedelta(days=7)


def test_removing_a_schedule_never_deletes_slots_with_bookings(service):
    generate_slots(db.session, now=NOW, tz=TZ, days=7, station_ids=[service.station_id])
    (resident,) = make_residents(1)
    tuesday = [s for s in slots_of(service) if s.day == TOMORROW]
    booking = book_slot(db.session, slot_id=tuesday[0].id, resident=resident, now=NOW, tz=TZ)
    cancelled_slot = tuesday[1]
    other = book_slot(db.session, slot_id=cancelled_slot.id, resident=make_residents(1, start=50)[0], now=NOW, tz=TZ)
    from portal.services.booking import cancel_booking

    cancel_booking(db.session, booking_id=other.id, now=NOW, tz=TZ)
    for row in list(service.schedules):
        if row.weekday == 1:
            db.session.delete(row)
    db.session.commit()
    db.session.expire_all()
    counts = generate_slots(db.session, now=NOW, tz=TZ, days=7, station_ids=[service.station_id])
    db.session.commit()
    remaining = [s for s in slots_of(service) if s.day == TOMORROW]
    # The booked slot and the slot whose booking was cancelled stay; the six empty ones go.
    assert {s.id for s in remaining} == {booking.slot_id, cancelled_slot.id}
    assert counts["removed"] == 6
    assert db.session.get(Booking, booking.id).status == "booked"


def test_fewer_places_never_go_below_the_places_already_taken(service):
    generate_slots(db.session, now=NOW, tz=TZ, days=2, station_ids=[service.station_id])
    slot = [s for s in slots_of(service) if s.day == TOMORROW][0]
    for resident in make_residents(4):
        book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)
    service.places_per_slot = 2
    db.session.commit()
    generate_slots(db.session, now=NOW, tz=TZ, days=2, station_ids=[service.station_id])
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).capacity == 4
    assert {s.capacity for s in slots_of(service) if s.id != slot.id} == {2}


def test_closed_days_are_generated_closed_and_shown_closed(service, station):
    db.session.add(Closure(station_id=station.id, start_date=TOMORROW, end_date=TOMORROW, reason="护士休假"))
    db.session.commit()
    db.session.expire_all()
    generate_slots(db.session, now=NOW, tz=TZ, days=7, station_ids=[service.station_id])
    by_day = {}
    for slot in slots_of(service):
        by_day.setdefault(slot.day, set()).add(slot.closed)
    assert by_day[TOMORROW] == {True}
    assert by_day[TODAY] == {False}
    states = {d["day"]: d["state"] for d in day_availability(db.session, service, TODAY, 7, NOW)}
    assert states[TOMORROW] == "closed"
    assert states[TODAY + timedelta(days=2)] == "open"
    assert states[TODAY + timedelta(days=5)] == "none"  # Saturday


def test_a_closure_cancels_bookings_and_tells_each_resident(app, service, station):
    generate_slots(db.session, now=NOW, tz=TZ, days=3, station_ids=[service.station_id])
    slot = [s for s in slots_of(service) if s.day == TOMORROW][2]
    with_phone, without_phone = make_residents(1)[0], make_residents(1, phone=False, start=9)[0]
    english = book_slot(db.session, slot_id=slot.id, resident=with_phone, now=NOW, tz=TZ, locale="en")
    book_slot(db.session, slot_id=slot.id, resident=without_phone, now=NOW, tz=TZ)
    later = [s for s in slots_of(service) if s.day == TODAY + timedelta(days=2)][0]
    untouched = book_slot(db.session, slot_id=later.id, resident=make_residents(1, start=20)[0], now=NOW, tz=TZ)
    closure = Closure(
        station_id=station.id,
        start_date=TOMORROW,
        end_date=TOMORROW,
        reason="护士休假",
        reason_en="the nurse is on leave",
    )
    db.session.add(closure)
    db.session.flush()
    with app.test_request_context():
        cancelled = apply_closure(db.session, closure, now=NOW, tz=TZ)
    assert len(cancelled) == 2
    assert {b.status for b in cancelled} == {"cancelled"}
    assert db.session.get(Slot, slot.id).booked == 0 and db.session.get(Slot, slot.id).closed
    assert db.session.get(Booking, untouched.id).status == "booked"
    notices = db.session.scalars(db.select(OutboxMessage).filter_by(kind="booking.closure")).all()
    # Only the resident with a mobile gets a text, in the language they booked in; the other is on the call list.
    assert [(m.resident_id, m.locale) for m in notices] == [(english.resident_id, "en")]
    assert "closed" in notices[0].text and "the nurse is on leave" in notices[0].text
    assert (
        db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).filter_by(action="booking.cancel_closure"))
        == 2
    )
    # Opening the days again lets residents book them.
    reopen_after_closure(db.session, closure)
    db.session.delete(closure)
    db.session.commit()
    assert not db.session.get(Slot, slot.id).closed


def test_times_are_naive_utc_whatever_clock_form_is_passed():
    aware = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
    assert as_utc_naive(aware) == datetime(2026, 3, 2, 1, 0)
    assert as_utc_naive(datetime(2026, 3, 2, 1, 0)) == datetime(2026, 3, 2, 1, 0)
    assert local_today(datetime(2026, 3, 1, 17, 0, tzinfo=timezone.utc), TZ) == TODAY  # 01:00 next day locally


def test_generate_slots_command_is_safe_to_repeat(runner, app):
    first = runner.invoke(args=["generate-slots", "--days", "3"])
    second = runner.invoke(args=["generate-slots", "--days", "3"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert "0 added, 0 removed" in second.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(WeeklySchedule)) > 0
