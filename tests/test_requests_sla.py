"""Unit tests of the request deadlines with a controllable clock: SLA per category, overdue, time left in
words, the queue's order and escalation."""

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import Category, OutboxMessage, Request, RequestEvent
from portal.services import tickets
from portal.services.lifecycle import transition
from portal.services.sla import (
    deadlines,
    due_at,
    escalate_overdue,
    is_overdue,
    overdue_by,
    queue_order,
    time_left,
    time_left_words,
)

from tests.support.factories import T0, account, category, new_request


def test_deadlines_come_from_the_category(app):
    with app.app_context():
        hazard = category("safety_hazard")
        assert deadlines(T0, hazard) == (T0 + timedelta(hours=4), T0 + timedelta(days=2))
        quick = Category(code="q", name="q", hours_to_accept=72, days_to_resolve=1)
        assert deadlines(T0, quick) == (T0 + timedelta(hours=72), T0 + timedelta(hours=72))


def test_overdue_follows_the_clock_and_the_state(app):
    with app.app_context():
        req = new_request(code="safety_hazard")  # accept within 4 hours, resolve within 2 days
        assert due_at(req) == T0 + timedelta(hours=4)
        assert not is_overdue(req, T0 + timedelta(hours=4))
        assert overdue_by(req, T0 + timedelta(hours=9)) == timedelta(hours=5)
        transition(db.session, req, "accepted", actor=None, now=T0 + timedelta(hours=9))
        assert due_at(req) == T0 + timedelta(days=2)
        assert not is_overdue(req, T0 + timedelta(days=1))
        assert is_overdue(req, T0 + timedelta(days=2, minutes=1))
        transition(db.session, req, "resolved", actor=None, now=T0 + timedelta(days=3))
        assert due_at(req) is None and not is_overdue(req, T0 + timedelta(days=30))


@pytest.mark.parametrize(
    "offset, expected",
    [
        (timedelta(days=2, hours=5), "2 days left"),
        (timedelta(days=1, hours=23), "1 day left"),
        (timedelta(hours=5, minutes=59), "5 hours left"),
        (timedelta(hours=1), "1 hour left"),
        (timedelta(minutes=40), "40 minutes left"),
        (timedelta(seconds=20), "1 minute left"),
        (-timedelta(hours=5, minutes=10), "overdue by 5 hours"),
        (-timedelta(days=3, hours=2), "overdue by 3 days"),
        (-timedelta(days=1), "overdue by 1 day"),
        (-timedelta(minutes=1), "overdue by 1 minute"),
    ],
)
def test_time_left_in_words(ctx, offset, expected):
    assert time_left_words(T0 + offset, T0) == expected


def test_time_left_in_chinese(app):
    with app.test_request_context("/?lang=zh"):
        assert time_left_words(T0 + timedelta(days=2, hours=1), T0) == "还剩2天"
        assert time_left_words(T0 - timedelta(hours=5), T0) == "已超时5小时"


def test_time_left_rounds_down():
    assert time_left(T0 + timedelta(hours=47, minutes=59), T0).amount == 1
    assert time_left(T0 - timedelta(hours=47), T0) == time_left(T0 - timedelta(hours=47, minutes=1), T0)


def test_queue_order_puts_overdue_first_then_due_time_then_finished(app):
    with app.app_context():
        db.session.execute(db.delete(RequestEvent))
        db.session.execute(db.delete(Request))
        late = new_request(code="safety_hazard", now=T0 - timedelta(hours=10))  # accept-by passed
        soon = new_request(code="safety_hazard", now=T0)  # due in 4 hours
        later = new_request(code="suggestion", now=T0)  # due in 72 hours
        very_late = new_request(code="repairs", now=T0 - timedelta(days=3))  # overdue by 2 days
        done = new_request(code="safety_hazard", now=T0 - timedelta(days=5))
        transition(db.session, done, "referred", actor=None, note="to the water company", now=T0)
        order = db.session.scalars(db.select(Request).order_by(*queue_order(T0))).all()
        assert [r.id for r in order] == [very_late.id, late.id, soon.id, later.id, done.id]


def test_escalation_writes_one_message_per_overdue_request_and_is_idempotent(app):
    with app.app_context():
        db.session.execute(db.delete(RequestEvent))
        db.session.execute(db.delete(Request))
        late = new_request(code="safety_hazard", now=T0)
        new_request(code="suggestion", now=T0)
        now = T0 + timedelta(hours=5)
        assert [r.id for r in escalate_overdue(db.session, now)] == [late.id]
        assert escalate_overdue(db.session, now) == []
        assert escalate_overdue(db.session, now + timedelta(hours=1)) == []
        messages = db.session.scalars(db.select(OutboxMessage)).all()
        assert len(messages) == 1
        message = messages[0]
        assert (message.channel, message.account_id, message.kind) == (
            "staff",
            account("staff").id,
            "request.overdue_accept",
        )
        assert tickets.format_ticket(late.ticket) in message.text and "安全隐患" in message.text
        assert late.accept_escalated_at == now
        # Accepted late, then it misses the resolve-by date too: one more escalation for that.
        transition(db.session, late, "accepted", actor=None, now=now)
        assert escalate_overdue(db.session, T0 + timedelta(days=2, hours=1)) == [late]
        assert escalate_overdue(db.session, T0 + timedelta(days=3)) == []
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 2
        kinds = [e.kind for e in late.events]
        assert kinds.count("escalated") == 2


def test_escalation_of_a_community_without_staff_goes_to_the_admins(app):
    with app.app_context():
        db.session.execute(db.delete(RequestEvent))
        db.session.execute(db.delete(Request))
        new_request(grid_id=5, code="safety_hazard", now=T0)  # 月河社区 has no staff account
        escalate_overdue(db.session, T0 + timedelta(days=1))
        message = db.session.scalars(db.select(OutboxMessage)).one()
        assert message.account_id == account("admin").id
        assert escalate_overdue(db.session, T0 + timedelta(days=1), community_id=1) == []
