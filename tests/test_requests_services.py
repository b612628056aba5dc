"""Unit tests of the request services with a controllable clock: tickets, routing and the lifecycle
transition table (deadlines and escalation: test_requests_sla.py)."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import Account, Category, Request, RequestEvent
from portal.services import tickets
from portal.services.filing import FilingError, file_request
from portal.services.lifecycle import TRANSITIONS, TransitionRefused, open311_status, transition
from portal.services.permissions import can_handle
from portal.services.routing import RoutingError, reassign, route_request

from tests.support.factories import ORIGIN, T0, account, category, grid_resident, new_request


# -- tickets ------------------------------------------------------------------------------
def test_tickets_are_8_characters_without_look_alikes():
    drawn = {tickets.new_ticket() for _ in range(2000)}
    assert len(drawn) == 2000  # random, not sequential, and no repeats in a small sample
    for ticket in drawn:
        assert len(ticket) == 8 and set(ticket) <= set(tickets.ALPHABET)
    assert not set("0O1IL2Z5S8B6GUV") & set(tickets.ALPHABET)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("K7MX-3PQA", "K7MX3PQA"),
        ("k7mx 3pqa", "K7MX3PQA"),
        (" K7MX－3PQA\n", "K7MX3PQA"),
        ("K7MX3PQA", "K7MX3PQA"),
        ("K7MX-3PQ", ""),
        ("K7MX-3PQO", ""),
        ("1", ""),
        ("", ""),
        ("DROP TABLE", ""),
    ],
)
def test_normalise_ticket(typed, expected):
    assert tickets.normalise_ticket(typed) == expected


def test_format_ticket():
    assert tickets.format_ticket("K7MX3PQA") == "K7MX-3PQA"


def test_ticket_numbers_are_unique_in_the_database(app):
    with app.app_context():
        existing = db.session.scalars(db.select(Request)).first()
        copy = Request(
            ticket=existing.ticket,
            category_id=existing.category_id,
            description="x",
            resident_id=existing.resident_id,
            community_id=1,
            grid_id=1,
            state="submitted",
            accept_by=T0,
            resolve_by=T0,
        )
        db.session.add(copy)
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_a_ticket_clash_draws_again_and_keeps_the_rest_of_the_transaction(app, monkeypatch):
    with app.app_context():
        drawn = iter(["K7MX3PQA", "K7MX3PQA", "AAAA3333"])  # the demo ticket twice, then a free one
        monkeypatch.setattr(tickets, "new_ticket", lambda: next(drawn))
        other = Category(code="pending_other", name="x", name_en="x")
        db.session.add(other)
        filed = new_request()
        db.session.commit()
        assert filed.ticket == "AAAA3333"
        assert db.session.scalars(db.select(Category).filter_by(code="pending_other")).one()


def test_filing_needs_a_description(app):
    with app.app_context(), pytest.raises(FilingError) as refused:
        file_request(
            db.session, resident=grid_resident(1), category=category(), description="  ", origin=ORIGIN, now=T0
        )
    assert refused.value.code == "description_missing"


# -- routing -------------------------------------------------------------------------------
def test_routing_goes_to_the_grid_worker_of_the_residents_grid(app):
    with app.app_context():
        assert route_request(db.session, grid_resident(1)).username == "gridworker"
        assert route_request(db.session, grid_resident(2)).username == "gridworker"
        assert route_request(db.session, grid_resident(3)) is None  # grid 3 has no worker: staff queue
        filed = new_request(grid_id=3)
        assert filed.assignee_id is None and filed.grid_id == 3 and filed.community_id == 1


def test_routing_skips_inactive_workers_and_picks_the_first_of_several(app):
    with app.app_context():
        worker = account("gridworker")
        second = Account(username="gw2", display_name="gw2", role="gridworker", community_id=1, password_hash="x")
        second.grids = [g for g in worker.grids]
        db.session.add(second)
        db.session.flush()
        assert route_request(db.session, grid_resident(1)).id == worker.id
        worker.active = False
        assert route_request(db.session, grid_resident(1)).id == second.id
        second.active = False
        assert route_request(db.session, grid_resident(1)) is None


def test_reassignment_needs_a_reason_and_a_worker_of_the_same_community(app):
    with app.app_context():
        req = new_request(grid_id=3)
        staff, worker = account("staff"), account("gridworker")
        with pytest.raises(RoutingError) as refused:
            reassign(db.session, req, worker, actor=staff, reason=" ", now=T0)
        assert refused.value.code == "reason_required"
        with pytest.raises(RoutingError) as refused:
            reassign(db.session, req, account("volunteer"), actor=staff, reason="x", now=T0)
        assert refused.value.code == "not_a_grid_worker"
        other = Account(username="far", display_name="far", role="gridworker", community_id=2, password_hash="x")
        db.session.add(other)
        db.session.flush()
        with pytest.raises(RoutingError):
            reassign(db.session, req, other, actor=staff, reason="x", now=T0)
        event = reassign(db.session, req, worker, actor=staff, reason="Li covers grid 3 this week", now=T0)
        assert req.assignee_id == worker.id
        assert (event.kind, event.note, event.public, event.actor_id) == (
            "reassigned",
            "Li covers grid 3 this week",
            False,
            staff.id,
        )
        with pytest.raises(RoutingError) as refused:
            reassign(db.session, req, worker, actor=staff, reason="again", now=T0)
        assert refused.value.code == "unchanged"
        reassign(db.session, req, None, actor=staff, reason="back to the office", now=T0)
        assert req.assignee_id is None


def test_who_may_handle_a_request(app):
    with app.app_context():
        req1, req3 = new_request(grid_id=1), new_request(grid_id=3)
        assert can_handle(account("gridworker"), req1) and not can_handle(account("gridworker"), req3)
        assert can_handle(account("staff"), req3) and can_handle(account("admin"), req3)
        assert not can_handle(account("volunteer"), req1) and not can_handle(account("nurse"), req1)
        assert not can_handle(None, req1)


# -- lifecycle -----------------------------------------------------------------------------
STATES = list(TRANSITIONS)
PAIRS = [(a, b) for a in STATES for b in STATES]


@pytest.mark.parametrize("from_state, to_state", PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_transition_table(app, from_state, to_state):
    """Every pair of states: allowed exactly when the table says so; refused ones change nothing."""
    with app.app_context():
        req = new_request()
        req.state = from_state
        db.session.flush()
        allowed = to_state in TRANSITIONS[from_state]
        try:
            event = transition(db.session, req, to_state, actor=account("gridworker"), note="checked", now=T0)
        except TransitionRefused as refused:
            assert not allowed and refused.code == "illegal"
            assert req.state == from_state
        else:
            assert allowed
            assert req.state == to_state
            assert (event.from_state, event.to_state, event.note, event.at) == (from_state, to_state, "checked", T0)


def test_the_happy_path_records_who_when_and_a_note(app):
    with app.app_context():
        req, worker = new_request(), account("gridworker")
        for step, minutes in [("accepted", 30), ("in_progress", 60), ("resolved", 90), ("closed", 120)]:
            transition(db.session, req, step, actor=worker, note=f"note {step}", now=T0 + timedelta(minutes=minutes))
        assert req.accepted_at == T0 + timedelta(minutes=30)
        assert req.resolved_at == T0 + timedelta(minutes=90)
        assert req.closed_at == T0 + timedelta(minutes=120)
        events = db.session.scalars(
            db.select(RequestEvent).where(RequestEvent.request_id == req.id).order_by(RequestEvent.id)
        ).all()
        assert [(e.kind, e.to_state, e.actor_id) for e in events] == [
            ("filed", "submitted", None),
            ("state", "accepted", worker.id),
            ("state", "in_progress", worker.id),
            ("state", "resolved", worker.id),
            ("state", "closed", worker.id),
        ]


def test_referring_and_reopening_need_a_note(app):
    with app.app_context():
        req = new_request()
        with pytest.raises(TransitionRefused) as refused:
            transition(db.session, req, "referred", actor=None, note="  ", now=T0)
        assert refused.value.code == "note_required" and req.state == "submitted"
        transition(db.session, req, "accepted", actor=None, now=T0)
        transition(db.session, req, "resolved", actor=None, now=T0)
        with pytest.raises(TransitionRefused):
            transition(db.session, req, "in_progress", actor=None, now=T0)
        transition(db.session, req, "in_progress", actor=None, note="Still dripping", now=T0)
        assert req.state == "in_progress" and req.resolved_at is None


def test_a_transition_from_a_stale_state_is_refused(app):
    """Two people press buttons at once: the second one is told it changed, and nothing is overwritten."""
    with app.app_context():
        req = new_request()
        db.session.commit()
        db.session.execute(
            db.update(Request)
            .where(Request.id == req.id)
            .values(state="accepted")
            .execution_options(synchronize_session=False)
        )
        assert req.state == "submitted"  # this copy has not seen the change
        with pytest.raises(TransitionRefused) as refused:
            transition(db.session, req, "cancelled", actor=None, now=T0)
        assert refused.value.code == "changed"
        assert req.state == "accepted"


@pytest.mark.parametrize(
    "state, status",
    [
        ("submitted", "open"),
        ("accepted", "open"),
        ("in_progress", "open"),
        ("resolved", "closed"),
        ("closed", "closed"),
        ("referred", "closed"),
        ("cancelled", "closed"),
    ],
)
def test_open311_status(state, status):
    assert open311_status(state) == status
