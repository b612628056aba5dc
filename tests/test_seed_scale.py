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


# Mutual aid (邻里互助), votes (网络微投票), the volunteer register (活地图)
def test_mutual_aid_is_in_proportion_and_valid(city):
    from portal.models import AidMatch, AidPost, AidReport
    from portal.models.aid import AID_CATEGORIES

    # 2% of 6,000 posts and 3,000 matches (a match is left out when a grid had no neighbour free).
    assert added(city, "aid_post") == 120
    assert 50 <= added(city, "aid_match") <= 60
    assert added(city, "aid_report") > 0 or added(city, "aid_post") < 200
    with city["app"].app_context():
        posts = db.session.execute(select(AidPost).order_by(AidPost.id)).scalars().all()
        city_posts = [post for post in posts if post.channel != "seed"]
        assert {post.state for post in city_posts} >= {"open", "matched", "done", "closed", "expired"}
        assert {post.category for post in city_posts} == set(AID_CATEGORIES)
        assert {(post.kind, post.whole_community) for post in city_posts} == {
            (kind, whole) for kind in ("need", "offer") for whole in (True, False)
        }
        now = utcnow()
        assert all(post.expires_at > now for post in city_posts if post.state == "open")
        assert all(post.expires_at <= now and post.closed_at for post in city_posts if post.state == "expired")
        confirmed = dict(
            db.session.execute(
                select(AidMatch.post_id, func.count()).where(AidMatch.state == "confirmed").group_by(AidMatch.post_id)
            ).all()
        )
        # Exactly one confirmed match for each matched or done post, none for the others.
        assert confirmed == {post.id: 1 for post in posts if post.state in ("matched", "done")}
        matches = db.session.execute(select(AidMatch.post_id, AidMatch.resident_id, AidMatch.state)).all()
        poster = {post.id: post.resident_id for post in posts}
        assert all(resident != poster[post_id] for post_id, resident, _state in matches)
        assert {state for _post, _resident, state in matches} == {"proposed", "confirmed", "declined"}
        reports = dict(db.session.execute(select(AidReport.post_id, func.count()).group_by(AidReport.post_id)).all())
        assert {post.id: post.open_reports for post in posts if post.open_reports} == reports
        db.session.remove()


def test_votes_are_in_proportion_and_valid(city):
    from portal.models import Ballot, BallotChoice, PaperBatch, Poll, PollOption
    from portal.services.polls import eligible_residents

    counts = city["counts"][0]
    assert added(city, "poll") == 2 * counts["community"]
    with city["app"].app_context():
        now = utcnow()
        polls = db.session.scalars(select(Poll).where(Poll.id > 2).order_by(Poll.id)).all()
        assert {(poll.community_id, poll.state(now)) for poll in polls} == {
            (community_id, state) for community_id in {p.community_id for p in polls} for state in ("open", "closed")
        }
        assert {poll.multiple for poll in polls} == {True, False}
        assert {poll.whole_community for poll in polls} == {True, False}
        assert all(poll.grids for poll in polls if not poll.whole_community)
        for poll in polls:
            ballots = db.session.scalars(select(Ballot).where(Ballot.poll_id == poll.id)).all()
            # 20-40 % of the city's residents it is for (the demo's own residents of 南湖 are left to the demo).
            assert (
                0.15 * eligible_residents(db.session, poll)
                <= len(ballots)
                <= 0.4 * eligible_residents(db.session, poll) + 1
            ), poll.id
            assert all(poll.opens_at <= b.created_at <= min(poll.closes_at, now) for b in ballots)
        channels = set(db.session.scalars(select(Ballot.channel).where(Ballot.poll_id > 2).distinct()))
        assert channels == {"online", "kiosk", "volunteer", "gridworker", "paper"}
        picked = {}
        for ballot_id, ballot_poll, multiple, option_poll in db.session.execute(
            select(Ballot.id, Ballot.poll_id, Poll.multiple, PollOption.poll_id)
            .join(BallotChoice, BallotChoice.ballot_id == Ballot.id)
            .join(PollOption, PollOption.id == BallotChoice.option_id)
            .join(Poll, Poll.id == Ballot.poll_id)
        ):
            assert option_poll == ballot_poll  # an option of its own poll
            picked.setdefault((ballot_id, multiple), []).append(option_poll)
        assert len(picked) == db.session.scalar(select(func.count()).select_from(Ballot))  # each has a choice
        assert all(len(chosen) == 1 for (_id, multiple), chosen in picked.items() if not multiple)
        # A paper batch counts the paper ballots that point at it; its subtotal adds up.
        batches = db.session.scalars(select(PaperBatch)).all()
        in_batch = dict(
            db.session.execute(
                select(Ballot.paper_batch_id, func.count())
                .where(Ballot.channel == "paper")
                .group_by(Ballot.paper_batch_id)
            ).all()
        )
        assert in_batch == {batch.id: batch.counted for batch in batches}
        assert all(batch.declared == batch.counted + batch.refused for batch in batches)
        db.session.remove()


def test_the_volunteer_register_is_in_proportion_and_valid(city):
    from portal.models import CallOut, CallOutReply, Volunteer

    assert added(city, "volunteer") == 60  # 2% of 3,000, the new communities' volunteer accounts among them
    assert added(city, "call_out") == 3 and added(city, "call_out_reply") >= 3
    with city["app"].app_context():
        residents = db.session.execute(
            select(Volunteer.grid_id, Volunteer.building_id, Resident.grid_id, Resident.building_id).join(
                Resident, Resident.id == Volunteer.resident_id
            )
        ).all()
        assert all((v_grid, v_building) == (r_grid, r_building) for v_grid, v_building, r_grid, r_building in residents)
        assert all(v.skills and v.availability for v in db.session.scalars(select(Volunteer)))
        asked = db.session.execute(
            select(CallOut.grid_id, Volunteer.grid_id, CallOutReply.answer, CallOutReply.answered_at)
            .join(CallOutReply, CallOutReply.callout_id == CallOut.id)
            .join(Volunteer, Volunteer.id == CallOutReply.volunteer_id)
        ).all()
        assert all(callout_grid == volunteer_grid for callout_grid, volunteer_grid, _a, _at in asked)
        assert all((answer is None) == (at is None) for _c, _v, answer, at in asked)
        assert {answer for _c, _v, answer, _at in asked} == {"yes", "no", None}
        db.session.remove()
