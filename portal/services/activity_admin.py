"""Staff work on activities: creating and changing them, raising the places (which promotes from the
waiting list), cancelling with a reason (everyone signed up or waiting is told), check-in at the door
and closing, which counts the attendance and keeps it. Signing up: services/activities.py."""

from datetime import datetime

from sqlalchemy import func, select, update

from ..models import Activity, ActivitySignup, Grid
from .activities import SignupRefused, _lock_activity, promote_waiting, tell_resident
from .audit import record_event
from .dates import as_utc_naive

EDITABLE = ("title", "description", "place", "starts_at", "ends_at", "signup_closes_at", "waiting_list",
            "helpers_may_sign_up", "whole_community")  # fmt: skip


def create_activity(session, *, community_id: int, grids: list[Grid], actor, **fields) -> Activity:
    """A new open activity. Commits."""
    activity = Activity(community_id=community_id, created_by_id=actor.id if actor else None, taken=0,
                        last_position=0, state="open", state_reason="", **fields)  # fmt: skip
    activity.grids = [] if fields.get("whole_community", True) else list(grids)
    session.add(activity)
    session.flush()
    record_event(session, "activity.create", actor=actor, detail=f"activity={activity.id}", channel="staff")
    session.commit()
    return activity


def update_activity(
    session, activity: Activity, *, grids: list[Grid], capacity: int, held_back: int, now: datetime, actor, **fields
) -> list:
    """Change an activity. The places may not go below those taken (the CHECK holds); more places go to the
    people waiting at once. Returns the promoted sign-ups. Commits."""
    now_utc = as_utc_naive(now)
    if not 0 <= held_back <= capacity:
        raise SignupRefused("held_back", activity)
    for name, value in fields.items():
        if name in EDITABLE:
            setattr(activity, name, value)
    activity.grids = [] if activity.whole_community else list(grids)
    session.flush()
    _lock_activity(session, activity.id)
    changed = session.execute(
        update(Activity)
        .where(Activity.id == activity.id, Activity.taken <= capacity)
        .values(capacity=capacity, held_back=held_back),
        execution_options={"synchronize_session": False},
    ).rowcount
    if changed != 1:
        session.rollback()
        raise SignupRefused("below_taken", session.get(Activity, activity.id))
    promoted = promote_waiting(session, activity.id, now_utc)
    record_event(
        session,
        "activity.edit",
        actor=actor,
        detail=f"activity={activity.id}; capacity={capacity}; held_back={held_back}; promoted={len(promoted)}",
        channel="staff",
    )
    session.commit()
    session.refresh(activity)
    return promoted


def cancel_activity(session, activity: Activity, *, reason: str, now: datetime, actor) -> int:
    """Cancel with a reason; everyone signed up or waiting is told (text, or the grid worker's call list).
    Returns how many were told. Commits."""
    now_utc = as_utc_naive(now)
    done = session.execute(
        update(Activity)
        .where(Activity.id == activity.id, Activity.state == "open")
        .values(state="cancelled", state_reason=reason),
        execution_options={"synchronize_session": False},
    ).rowcount
    if done != 1:
        session.rollback()
        raise SignupRefused("not_open", activity)
    told = session.scalars(
        select(ActivitySignup).where(
            ActivitySignup.activity_id == activity.id, ActivitySignup.state.in_(("signed_up", "waiting"))
        )
    ).all()
    session.refresh(activity)
    for signup in told:
        signup.state, signup.ended_at, signup.position = "cancelled", now_utc, None
        tell_resident(session, signup, "activity.cancelled", reason=reason)
    session.execute(update(Activity).where(Activity.id == activity.id).values(taken=0))
    record_event(
        session, "activity.cancel_all", actor=actor, reason=reason, detail=f"activity={activity.id}", channel="staff"
    )
    session.commit()
    return len(told)


def check_in(session, signup: ActivitySignup, *, now: datetime, actor, origin: dict) -> bool:
    """Mark a signed-up person as come. False when they were already marked (a second scan). Commits."""
    done = session.execute(
        update(ActivitySignup)
        .where(ActivitySignup.id == signup.id, ActivitySignup.state == "signed_up")
        .values(state="attended", attended_at=as_utc_naive(now)),
        execution_options={"synchronize_session": False},
    ).rowcount
    if done == 1:
        record_event(
            session,
            "activity.check_in",
            actor=actor,
            resident=signup.resident,
            detail=f"activity={signup.activity_id}; code={signup.code}",
            channel=origin["channel"],
            kiosk_id=origin.get("kiosk_id"),
        )
    session.commit()
    session.refresh(signup)
    return done == 1


def attendance_count(session, activity_id: int) -> int:
    return session.scalar(
        select(func.count()).where(ActivitySignup.activity_id == activity_id, ActivitySignup.state == "attended")
    )


def close_activity(session, activity: Activity, *, actor, now: datetime) -> int:
    """Close an activity once it has started: the attendance is counted now and stays with it. Commits."""
    if as_utc_naive(now) < activity.starts_at:
        raise SignupRefused("not_started", activity)
    count = attendance_count(session, activity.id)
    done = session.execute(
        update(Activity)
        .where(Activity.id == activity.id, Activity.state == "open")
        .values(state="closed", attendance=count),
        execution_options={"synchronize_session": False},
    ).rowcount
    if done != 1:
        session.rollback()
        raise SignupRefused("not_open", activity)
    record_event(
        session, "activity.close", actor=actor, detail=f"activity={activity.id}; attended={count}", channel="staff"
    )
    session.commit()
    session.refresh(activity)
    return count
