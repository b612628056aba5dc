"""`flask --app portal seed-scale` at 2,000 residents (2% of the city), on a database of its own so the
shared snapshot stays the demo: the figures in proportion, a second run that changes nothing, the
booking invariants, and the demo accounts' pages at size."""

import flask_migrate
import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.extensions import db
from portal.models import Booking, QueueCounter, Request, Resident, Service, Slot, Station, utcnow
from portal.scale import table_counts
from portal.seed import seed_demo
from portal.services.clock import today_local
from portal.services.lifecycle import OPEN_STATES
from portal.services.sla import overdue_clause

from tests.support.app import CheckingClient
from tests.support.app import test_config as config_for
from tests.support.databases import drop_own_database, own_database
from tests.support.signin import Auth, sign_in

NAME = "linli_seed_scale"


@pytest.fixture(scope="module")
def city(database_url, tmp_path_factory, session_clock):
    url = own_database(database_url, NAME, tmp_path_factory.mktemp("scale"))
    app = create_app(config_for(url))
    app.test_client_class = CheckingClient
    with app.app_context():
        flask_migrate.upgrade()
        seed_demo()
        demo = table_counts(db.session)
        runner = app.test_cli_runner()
        first = runner.invoke(args=["seed-scale", "--residents", "2000"])
        after_first = table_counts(db.session)
        second = runner.invoke(args=["seed-scale", "--residents", "2000"])
        after_second = table_counts(db.session)
        db.session.remove()
    yield {"app": app, "demo": demo, "first": first, "second": second, "counts": [after_first, after_second]}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop_own_database(database_url, NAME)


def added(city, table):
    return city["counts"][0][table] - city["demo"][table]


def test_the_city_is_in_proportion(city):
    assert city["first"].exit_code == 0, city["first"].output
    # 2% of 100,000 residents, 150,000 requests, 200,000 bookings and 300,000 audit events.
    assert added(city, "resident") == 2_000
    assert added(city, "request") == 3_000
    assert added(city, "booking") == 4_000
    assert added(city, "audit_event") == 6_000
    assert 4 * 3_000 <= added(city, "request_event") <= 5 * 3_000
    counts = city["counts"][0]
    assert counts["community"] >= 3 and counts["station"] >= counts["community"]
    assert counts["account"] > city["demo"]["account"] and added(city, "slot") > 0
    # Five notices per grid over the year, with reads (each resident at most once per notice).
    assert added(city, "notice") == 5 * counts["grid"] and 0 < added(city, "notice_grid") < added(city, "notice")
    assert added(city, "notice_read") > 0
    # Topics and meetings (议事会): two per grid and one per community, each counting its supports.
    assert added(city, "topic") == 2 * counts["grid"] + counts["community"] and added(city, "topic_support") > 0
    # It says what it made, one line per table.
    assert "request_event" in city["first"].output and "2,000" in city["first"].output


def test_a_second_run_changes_nothing(city):
    assert city["second"].exit_code == 0, city["second"].output
    assert "already loaded" in city["second"].output
    assert city["counts"][1] == city["counts"][0]


def test_places_taken_are_the_bookings_that_hold_them(city):
    """booked counts bookings that hold a place (booked, checked in, or marked "did not come": the nurse's
    no-show gives no place back, see services/checkin.py); cancelled ones gave theirs back; walk-ins over
    the places count in overbooked. Queue counters hold each service's last number of the day."""
    with city["app"].app_context():
        holding = Booking.status != "cancelled"

        def per_slot(over):
            query = select(Booking.slot_id, func.count()).where(holding, Booking.over_capacity.is_(over))
            return dict(db.session.execute(query.group_by(Booking.slot_id)).all())

        slots = db.session.execute(select(Slot.id, Slot.booked, Slot.overbooked, Slot.capacity)).all()
        assert {s.id: s.booked for s in slots if s.booked} == per_slot(False)
        assert {s.id: s.overbooked for s in slots if s.overbooked} == per_slot(True)
        assert all(s.booked <= s.capacity for s in slots)
        numbers = select(Booking.service_id, Booking.day, func.max(Booking.queue_number)).group_by(
            Booking.service_id, Booking.day
        )
        counters = select(QueueCounter.service_id, QueueCounter.day, QueueCounter.last_number)
        assert set(db.session.execute(numbers)) <= set(db.session.execute(counters))
        db.session.remove()


def test_the_demo_accounts_see_the_city(city):
    app = city["app"]
    with app.app_context():
        station = db.session.get(Station, 1)
        todays = db.session.execute(
            select(Slot.booked, Slot.capacity)
            .join(Service, Slot.service_id == Service.id)
            .where(Service.station_id == station.id, Slot.day == today_local(), Slot.closed.is_(False))
        ).all()
        assert todays and all(booked == capacity for booked, capacity in todays)  # the nurse's full day
        community = station.community_id
        assert db.session.scalar(select(func.count()).where(Resident.community_id == community)) > 500
        overdue = select(func.count()).where(Request.community_id == community, overdue_clause(utcnow()))
        assert db.session.scalar(overdue) >= 40  # the demo staff's overdue view
        queue = select(func.count()).where(Request.grid_id.in_([1, 2]), Request.state.in_(OPEN_STATES))
        assert db.session.scalar(queue) >= 30  # the demo grid worker's queue
        db.session.remove()
    client = app.test_client()
    auth = Auth(client)
    for username, pages in [
        ("staff", ["/requests/overdue", "/audit"]),
        ("nurse", ["/health/roster/1"]),
        ("gridworker", ["/requests/queue", "/health/calls"]),
    ]:
        sign_in(auth, username)
        for page in pages:
            assert client.get(page).status_code == 200, page
        auth.logout()


def test_it_refuses_to_run_in_production(city, monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-key-for-this-test")
    production = create_app({"SQLALCHEMY_DATABASE_URI": city["app"].config["SQLALCHEMY_DATABASE_URI"]})
    with production.app_context():
        before = table_counts(db.session)
        db.session.remove()
    result = production.test_cli_runner().invoke(args=["seed-scale", "--residents", "1000"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: seed-scale does not run in production: it adds made-up residents and accounts with the demo password."
    ]
    with production.app_context():
        assert table_counts(db.session) == before
        db.session.remove()
        db.engine.dispose()
