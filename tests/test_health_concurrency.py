"""The heart of the health-station issue: at least 50 people booking the last places of a 5-place slot at
the same moment, from threads and from separate processes, on SQLite and on PostgreSQL. Exactly 5 get
in; everyone else hears "full"; nobody gets an error. The same for changing the time and for walk-ins."""

import multiprocessing
import os
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import time, timedelta

import pytest

from portal.extensions import db
from portal.models import Booking, Slot

from tests.support.health import NOW, TOMORROW, TZ, make_residents, make_slot, make_station
from tests.support.health_workers import attempt, attempt_in_process

PEOPLE = 50
PLACES = 5


def run_threads(app, kind, residents, slot_id, booking_ids=None):
    gate = threading.Barrier(len(residents))

    def one(index):
        with app.app_context():
            try:
                gate.wait(timeout=60)
                return attempt(kind, residents[index], slot_id, booking_ids[index] if booking_ids else None)
            except Exception as error:
                return f"error: {error!r}"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(residents)) as pool:
        return list(pool.map(one, range(len(residents))))


_context = None


def process_context(database_url):
    """forkserver: each worker is forked from a clean server process that has already imported and built
    the app (tests/support/health_workers.py), so fifty processes start fast, and a process with threads is
    never forked. The server starts once per test run, with this run's database URL."""
    global _context
    if _context is None:
        os.environ["LINLI_WORKER_DATABASE_URL"] = database_url
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(["tests.support.health_workers"])
    return _context


def run_processes(database_url, kind, residents, slot_id, booking_ids=None):
    ctx = process_context(database_url)
    gate, results = ctx.Barrier(len(residents)), ctx.Queue()
    workers = [
        ctx.Process(
            target=attempt_in_process,
            args=(database_url, kind, resident_id, slot_id, booking_ids[i] if booking_ids else None, gate, results),
        )
        for i, resident_id in enumerate(residents)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120)[1] for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    return outcomes


@pytest.fixture
def contested(app):
    """A 5-place slot tomorrow and 50 residents who all want it."""
    with app.app_context():
        station = make_station(places=PLACES)
        slot = make_slot(station.services[0], TOMORROW, time(9), capacity=PLACES)
        residents = [r.id for r in make_residents(PEOPLE)]
        yield {"service": station.services[0], "slot_id": slot.id, "residents": residents}


def assert_exactly_capacity(outcomes, slot_id, places=PLACES):
    assert Counter(outcomes) == {"ok": places, "full": len(outcomes) - places}, Counter(outcomes)
    db.session.expire_all()
    slot = db.session.get(Slot, slot_id)
    assert slot.booked == places and slot.overbooked == 0
    active = db.session.scalars(
        db.select(Booking).where(Booking.slot_id == slot_id, Booking.status.in_(("booked", "checked_in")))
    ).all()
    assert len(active) == places
    numbers = db.session.scalars(
        db.select(Booking.queue_number).where(Booking.day == slot.day, Booking.service_id == slot.service_id)
    ).all()
    assert len(numbers) == len(set(numbers))


@pytest.mark.parametrize("kind", ["book", "walk_in"])
def test_fifty_threads_booking_five_places(app, contested, kind):
    outcomes = run_threads(app, kind, contested["residents"], contested["slot_id"])
    assert_exactly_capacity(outcomes, contested["slot_id"])


@pytest.mark.parametrize("kind", ["book", "walk_in"])
def test_fifty_processes_booking_five_places(app, database_url, contested, kind):
    outcomes = run_processes(database_url, kind, contested["residents"], contested["slot_id"])
    assert_exactly_capacity(outcomes, contested["slot_id"])


@pytest.fixture
def movers(app, contested):
    """All 50 residents booked into a roomy slot tomorrow; each now wants the 5-place slot the day after."""
    from portal.models import Resident
    from portal.services.booking import book_slot

    service = contested["service"]
    roomy = make_slot(service, TOMORROW, time(10), capacity=PEOPLE)
    wanted = make_slot(service, TOMORROW + timedelta(days=1), time(9), capacity=PLACES)
    bookings = [
        book_slot(db.session, slot_id=roomy.id, resident=db.session.get(Resident, rid), now=NOW, tz=TZ).id
        for rid in contested["residents"]
    ]
    return {"from": roomy.id, "to": wanted.id, "bookings": bookings, "residents": contested["residents"]}


def assert_moved_exactly_capacity(outcomes, movers):
    assert_exactly_capacity(outcomes, movers["to"])
    db.session.expire_all()
    assert db.session.get(Slot, movers["from"]).booked == PEOPLE - PLACES
    stayed = db.session.scalars(db.select(Booking).where(Booking.slot_id == movers["from"])).all()
    # Everyone refused kept their original place, still booked.
    assert len(stayed) == PEOPLE - PLACES and {b.status for b in stayed} == {"booked"}


def test_fifty_threads_changing_into_five_places(app, movers):
    outcomes = run_threads(app, "change", movers["residents"], movers["to"], movers["bookings"])
    assert_moved_exactly_capacity(outcomes, movers)


def test_fifty_processes_changing_into_five_places(app, database_url, movers):
    outcomes = run_processes(database_url, "change", movers["residents"], movers["to"], movers["bookings"])
    assert_moved_exactly_capacity(outcomes, movers)


def test_one_resident_double_booking_from_many_threads_gets_one_booking(app, contested):
    """The partial unique index holds under a burst of the same person's taps."""
    one = contested["residents"][:1] * 20
    outcomes = run_threads(app, "book", one, contested["slot_id"])
    assert Counter(outcomes) == {"ok": 1, "duplicate": 19}, Counter(outcomes)
    db.session.expire_all()
    assert db.session.get(Slot, contested["slot_id"]).booked == 1
