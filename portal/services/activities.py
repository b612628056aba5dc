"""Signing up for community activities, the waiting list and its promotions, with places enforced by the
database (staff actions, check-in and closing: services/activity_admin.py).

Every place is taken with one conditional UPDATE in the transaction that writes the sign-up:

    UPDATE activity SET taken = taken + 1
     WHERE id = :id AND state = 'open' AND taken < capacity - held_back     -- online, kiosk, helper
                                       (AND taken < capacity                 -- the staff desk)

and CHECK (taken <= capacity) backs it up. A refused UPDATE, when the activity keeps a waiting list,
hands out the next waiting-list position with `UPDATE activity SET last_position = last_position + 1
RETURNING`, so positions follow arrival order. One active sign-up per resident and activity is a
partial unique index.

Every path that frees a place (the resident or a helper cancels, staff remove someone, staff raise the
places) calls `promote_waiting` in the same transaction: the freed place goes straight to the first
person waiting, and is never seen free by anybody else. Those transactions first lock the activity
row (a no-op UPDATE, which on SQLite also takes the one write lock), then pick the first waiting
sign-up with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL (someone leaving the list at that moment
is skipped, not waited for) and move it with a conditional UPDATE (WHERE state = 'waiting'), so no one
is promoted twice.

Each public function is one unit of work: it commits on success and rolls back on refusal.
"""

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..models import Activity, ActivitySignup, Resident
from .activity_text import activity_message
from .audit import record_event
from .booking import new_reference
from .dates import as_utc_naive
from .outbox import queue_message


class SignupRefused(Exception):
    """A rule said no. `reason`: full (and no waiting list, or not asked to wait), closed (sign-up
    deadline passed), cancelled, ended, duplicate, not_open_to_you, no_helpers, not_active, unknown."""

    def __init__(self, reason: str, activity: Activity | None = None):
        super().__init__(reason)
        self.reason = reason
        self.activity = activity


def open_to(activity: Activity, resident: Resident) -> bool:
    """The community's residents, or only those of the chosen grids."""
    if resident.community_id != activity.community_id:
        return False
    return activity.whole_community or any(grid.id == resident.grid_id for grid in activity.grids)


def signup_open(activity: Activity, now: datetime) -> bool:
    return activity.state == "open" and as_utc_naive(now) < activity.signup_closes_at


def _lock_activity(session, activity_id: int) -> None:
    """Take the activity's row lock first (the same order everywhere: activity, then sign-ups)."""
    session.execute(
        update(Activity).where(Activity.id == activity_id).values(taken=Activity.taken),
        execution_options={"synchronize_session": False},
    )


def _take_place(session, activity_id: int, now_utc: datetime, *, desk: bool) -> bool:
    limit = Activity.capacity if desk else Activity.capacity - Activity.held_back
    statement = (
        update(Activity)
        .where(
            Activity.id == activity_id,
            Activity.state == "open",
            Activity.signup_closes_at > now_utc,
            Activity.taken < limit,
        )
        .values(taken=Activity.taken + 1)
    )
    return session.execute(statement, execution_options={"synchronize_session": False}).rowcount == 1


def _release_place(session, activity_id: int) -> None:
    session.execute(
        update(Activity).where(Activity.id == activity_id, Activity.taken > 0).values(taken=Activity.taken - 1),
        execution_options={"synchronize_session": False},
    )


def _next_position(session, activity_id: int) -> int:
    return session.execute(
        update(Activity)
        .where(Activity.id == activity_id)
        .values(last_position=Activity.last_position + 1)
        .returning(Activity.last_position)
    ).scalar_one()


def _refusal(session, activity_id: int, now_utc: datetime) -> SignupRefused:
    session.rollback()
    activity = session.get(Activity, activity_id)
    if activity is None:
        return SignupRefused("unknown")
    if activity.state == "cancelled":
        return SignupRefused("cancelled", activity)
    if activity.state == "closed" or activity.ends_at <= now_utc:
        return SignupRefused("ended", activity)
    if activity.signup_closes_at <= now_utc:
        return SignupRefused("closed", activity)
    return SignupRefused("full", activity)


def sign_up(
    session,
    *,
    activity_id: int,
    resident: Resident,
    now: datetime,
    origin: dict | None = None,
    actor=None,
    desk: bool = False,
    wait_if_full: bool = False,
    locale: str = "zh_Hans_CN",
    reason: str = "",
    announce: bool = True,
) -> ActivitySignup:
    """Sign a resident up, or put them on the waiting list (`wait_if_full`), or raise SignupRefused. Commits.

    `desk=True` is the staff desk, which may give the held-back places. `announce=False` (demo data
    only) writes neither the outbox message nor the audit event."""
    now_utc = as_utc_naive(now)
    origin = origin or {"channel": "online", "entered_by_id": None, "kiosk_id": None}
    resident_id = resident.id
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise SignupRefused("unknown")
    if not open_to(activity, resident):
        raise SignupRefused("not_open_to_you", activity)
    if origin["channel"] in ("volunteer", "gridworker") and not activity.helpers_may_sign_up:
        raise SignupRefused("no_helpers", activity)
    waiting_list = activity.waiting_list
    if _take_place(session, activity_id, now_utc, desk=desk):
        state, position = "signed_up", None
    else:
        refused = _refusal_reason(session, activity_id, now_utc)
        if refused != "full" or not (waiting_list and wait_if_full):
            raise _refusal(session, activity_id, now_utc)
        state, position = "waiting", _next_position(session, activity_id)
    try:
        signup = ActivitySignup(
            activity_id=activity_id,
            resident_id=resident_id,
            code=new_reference(),
            state=state,
            position=position,
            at_desk=desk,
            locale=locale,
            channel=origin["channel"],
            entered_by_id=origin.get("entered_by_id"),
            kiosk_id=origin.get("kiosk_id"),
            created_at=now_utc,
        )
        session.add(signup)
        session.flush()
    except IntegrityError:
        session.rollback()
        if active_signup(session, activity_id, resident_id) is not None:
            raise SignupRefused("duplicate", session.get(Activity, activity_id)) from None
        raise
    if state == "waiting":
        # A place freed between the refused UPDATE and this row (with nobody waiting then) goes to us now.
        promote_waiting(session, activity_id, now_utc, announce=announce)
    if announce:
        resident = session.get(Resident, resident_id)
        session.refresh(signup)
        kind = "activity.signed_up" if signup.state == "signed_up" else "activity.waiting"
        tell_resident(session, signup, kind)
        record_event(
            session,
            "activity.wait" if kind == "activity.waiting" else "activity.sign_up",
            actor=actor,
            resident=resident,
            reason=reason,
            detail=f"activity={activity_id}; code={signup.code}",
            channel=origin["channel"],
            kiosk_id=origin.get("kiosk_id"),
        )
    session.commit()
    return signup


def _refusal_reason(session, activity_id: int, now_utc: datetime) -> str:
    """Why the UPDATE took no place, read inside the transaction (the waiting list needs "full")."""
    state, closes, ends = session.execute(
        select(Activity.state, Activity.signup_closes_at, Activity.ends_at).where(Activity.id == activity_id)
    ).one()
    if state != "open" or ends <= now_utc or closes <= now_utc:
        return "not_open"
    return "full"


def active_signup(session, activity_id: int, resident_id: int) -> ActivitySignup | None:
    return session.scalars(
        select(ActivitySignup).where(
            ActivitySignup.activity_id == activity_id,
            ActivitySignup.resident_id == resident_id,
            ActivitySignup.state.in_(("signed_up", "waiting", "attended")),
        )
    ).first()


def waiting_position(session, signup: ActivitySignup) -> int | None:
    """Where a waiting person is on the list now: 1 is next."""
    if signup.state != "waiting":
        return None
    return session.scalar(
        select(func.count()).where(
            ActivitySignup.activity_id == signup.activity_id,
            ActivitySignup.state == "waiting",
            ActivitySignup.position <= signup.position,
        )
    )


def waiting_count(session, activity_id: int) -> int:
    return session.scalar(
        select(func.count()).where(ActivitySignup.activity_id == activity_id, ActivitySignup.state == "waiting")
    )


def _first_waiting_id(session, activity_id: int) -> int | None:
    query = (
        select(ActivitySignup.id)
        .where(ActivitySignup.activity_id == activity_id, ActivitySignup.state == "waiting")
        .order_by(ActivitySignup.position)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    # SQLite: this transaction already holds the database's one write lock (taken by _lock_activity).
    return session.scalar(query)


def promote_waiting(session, activity_id: int, now_utc: datetime, *, most: int | None = None, announce=True) -> list:
    """Give free places (online limit: the held-back ones stay for the desk) to the first people waiting,
    in position order. The caller has locked the activity row. Returns the promoted sign-ups. Does not
    commit."""
    promoted = []
    while most is None or len(promoted) < most:
        taken = session.execute(
            update(Activity)
            .where(
                Activity.id == activity_id,
                Activity.state == "open",
                Activity.taken < Activity.capacity - Activity.held_back,
            )
            .values(taken=Activity.taken + 1),
            execution_options={"synchronize_session": False},
        ).rowcount
        if taken != 1:
            break
        moved = 0
        signup_id = _first_waiting_id(session, activity_id)
        if signup_id is not None:
            moved = session.execute(
                update(ActivitySignup)
                .where(ActivitySignup.id == signup_id, ActivitySignup.state == "waiting")
                .values(state="signed_up", position=None, promoted_at=now_utc),
                execution_options={"synchronize_session": False},
            ).rowcount
        if moved != 1:
            _release_place(session, activity_id)
            break
        signup = session.get(ActivitySignup, signup_id)
        session.refresh(signup)
        promoted.append(signup)
        if announce:
            tell_resident(session, signup, "activity.promoted")
            record_event(
                session,
                "activity.promoted",
                resident=signup.resident,
                detail=f"activity={activity_id}; code={signup.code}",
                channel=signup.channel,
            )
    return promoted


def tell_resident(session, signup: ActivitySignup, kind: str, reason: str = "") -> None:
    """A text message, or for a resident without a mobile an entry on their grid worker's call list."""
    resident = signup.resident
    if resident.phone:
        queue_message(
            session,
            kind=kind,
            text=activity_message(kind, signup, reason=reason),
            recipient=resident.phone,
            resident=resident,
            locale=signup.locale,
        )
    elif kind in ("activity.promoted", "activity.cancelled"):
        signup.call_reason = "promoted" if kind == "activity.promoted" else "activity_cancelled"
        signup.call_done_at = None


def end_signup(
    session,
    *,
    signup_id: int,
    now: datetime,
    actor=None,
    origin: dict | None = None,
    reason: str = "",
    removed: bool = False,
) -> tuple[ActivitySignup, list]:
    """The resident or a helper cancels (or leaves the waiting list), or staff remove someone (`removed`).
    A freed place goes to the first person waiting. Returns the sign-up and whoever was promoted. Commits."""
    now_utc = as_utc_naive(now)
    signup = session.get(ActivitySignup, signup_id)
    if signup is None or signup.state not in ("signed_up", "waiting"):
        raise SignupRefused("not_active")
    activity_id, was = signup.activity_id, signup.state
    if actor is None and was == "signed_up" and signup.activity.starts_at <= now_utc:
        raise SignupRefused("ended", signup.activity)
    _lock_activity(session, activity_id)
    done = session.execute(
        update(ActivitySignup)
        .where(ActivitySignup.id == signup_id, ActivitySignup.state == was)
        .values(state="removed" if removed else "cancelled", ended_at=now_utc, position=None),
        execution_options={"synchronize_session": False},
    ).rowcount
    if done != 1:
        session.rollback()
        raise SignupRefused("not_active")
    promoted = []
    if was == "signed_up":
        _release_place(session, activity_id)
        promoted = promote_waiting(session, activity_id, now_utc)
    session.refresh(signup)
    origin = origin or {"channel": "online", "kiosk_id": None}
    if removed:
        action = "activity.remove"
        tell_resident(session, signup, "activity.removed")
    else:
        action = "activity.leave_waiting" if was == "waiting" else "activity.cancel"
    record_event(
        session,
        action,
        actor=actor,
        resident=signup.resident,
        reason=reason,
        detail=f"activity={activity_id}; code={signup.code}",
        channel=origin["channel"],
        kiosk_id=origin.get("kiosk_id"),
    )
    session.commit()
    return signup, promoted
