"""Community activities for the tests: an activity in the first community at a known time, after NOW
(tests/support/health.py: Monday 2 March 2026, 09:00 in Shanghai)."""

from datetime import timedelta

from portal.extensions import db
from portal.models import Account, Activity, ActivitySignup, Community, OutboxMessage

from .health import NOW

STARTS = NOW.replace(tzinfo=None) + timedelta(days=7)


def make_activity(capacity=25, held_back=5, waiting_list=True, community_id=None, **fields) -> Activity:
    """An open activity in `community_id` (the first community by default), a week after NOW."""
    query = db.select(Community).order_by(Community.id)
    community = db.session.scalars(query.where(Community.id == community_id) if community_id else query).first()
    values = {
        "title": "书法班",
        "description": "邻居王老师免费教书法。",
        "place": "社区活动室",
        "starts_at": STARTS,
        "ends_at": STARTS + timedelta(hours=2),
        "signup_closes_at": STARTS - timedelta(hours=12),
        "whole_community": True,
        "helpers_may_sign_up": True,
    }
    values.update(fields)
    activity = Activity(
        community_id=community.id,
        capacity=capacity,
        held_back=held_back,
        waiting_list=waiting_list,
        taken=0,
        last_position=0,
        state="open",
        state_reason="",
        **values,
    )
    db.session.add(activity)
    db.session.commit()
    return activity


def staff_account() -> Account:
    return db.session.scalars(db.select(Account).filter_by(username="staff")).one()


def signups(activity_id: int, *states: str) -> list[ActivitySignup]:
    query = db.select(ActivitySignup).where(ActivitySignup.activity_id == activity_id)
    if states:
        query = query.where(ActivitySignup.state.in_(states))
    return list(db.session.scalars(query.order_by(ActivitySignup.id)))


def messages_to(resident_id: int, kind: str) -> int:
    return db.session.scalar(
        db.select(db.func.count()).where(OutboxMessage.resident_id == resident_id, OutboxMessage.kind == kind)
    )
