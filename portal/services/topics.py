"""Topics and meetings (议事会): proposing a topic, supporting it and withdrawing the support, staff edits
for clarity (each kept with the words before and after), closing or hiding a topic with a reason, linking
topics to a meeting (an activity) and recording the outcome.

One support per resident and topic is a partial unique index (supports not withdrawn). The count on the
topic moves only in the transaction that adds or withdraws a support, with a conditional UPDATE:

    INSERT INTO topic_support ...                                    -- a second one fails the index
    UPDATE topic SET supports = supports + 1 WHERE id = :id AND state = 'open'

    UPDATE topic_support SET withdrawn_at = :now WHERE ... AND withdrawn_at IS NULL   -- one row, or none
    UPDATE topic SET supports = supports - 1 WHERE id = :id AND supports > 0

so the count always equals the active supports however many arrive at once.

Each public function that changes something is one unit of work: it commits on success and rolls back
on refusal.
"""

from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..models import Activity, ActivitySignup, Resident, Topic, TopicEdit, TopicSupport, topic_meetings
from .audit import record_event
from .dates import as_utc_naive

LISTED_STATES = ("open", "decided", "closed")


class TopicRefused(Exception):
    """A rule said no. `reason`: duplicate (already supported), not_open (decided, closed or hidden),
    not_for_you (another grid's or community's topic), not_supported (nothing to withdraw), unknown."""

    def __init__(self, reason: str, topic: Topic | None = None):
        super().__init__(reason)
        self.reason = reason
        self.topic = topic


def open_to(topic: Topic, resident: Resident) -> bool:
    """A community's topic is for all its residents; a grid's topic for the residents of that grid."""
    if resident.community_id != topic.community_id:
        return False
    return topic.grid_id is None or topic.grid_id == resident.grid_id


def audit_for_resident(session, action: str, topic_id: int, resident, origin: dict, actor, reason: str) -> None:
    """The audit event of a resident's own step (proposing, supporting, taking back), with where it came
    from and, through a helper, who and why."""
    record_event(
        session,
        action,
        actor=actor,
        resident=resident,
        reason=reason,
        detail=f"topic={topic_id}",
        channel=origin["channel"],
        kiosk_id=origin.get("kiosk_id"),
    )


def propose_topic(
    session,
    *,
    community_id: int,
    grid_id: int | None,
    title: str,
    body: str,
    origin: dict,
    now: datetime,
    resident: Resident | None = None,
    staff=None,
    actor=None,
    reason: str = "",
) -> Topic:
    """A new open topic, proposed by a resident (themselves, at a kiosk, or through a helper: `actor`) or
    by a member of staff (`staff`). Commits."""
    topic = Topic(
        community_id=community_id,
        grid_id=grid_id,
        title=title,
        body=body,
        state="open",
        state_reason="",
        supports=0,
        outcome="",
        resident_id=resident.id if resident is not None else None,
        proposed_by_staff_id=staff.id if staff is not None else None,
        channel=origin["channel"],
        entered_by_id=origin.get("entered_by_id"),
        kiosk_id=origin.get("kiosk_id"),
        created_at=as_utc_naive(now),
    )
    session.add(topic)
    session.flush()
    audit_for_resident(
        session, "topic.propose", topic.id, resident, origin, actor if actor is not None else staff, reason
    )
    session.commit()
    return topic


def edit_topic(session, topic: Topic, *, title: str, body: str, editor, now: datetime) -> TopicEdit | None:
    """Staff change the words for clarity; the change is kept (who, when, before and after) and audited.
    None when nothing changed. Commits."""
    if title == topic.title and body == topic.body:
        return None
    now_utc = as_utc_naive(now)
    change = TopicEdit(
        topic_id=topic.id,
        editor_id=editor.id,
        edited_at=now_utc,
        title_before=topic.title,
        title_after=title,
        body_before=topic.body,
        body_after=body,
    )
    session.add(change)
    topic.title, topic.body, topic.edited_at = title, body, now_utc
    record_event(session, "topic.edit", actor=editor, detail=f"topic={topic.id}", channel="staff")
    session.commit()
    return change


MODERATION = {"close": "closed", "hide": "hidden", "reopen": "open"}


def moderate_topic(session, topic: Topic, *, action: str, reason: str, actor, now: datetime) -> None:
    """Close or hide a topic with a reason, or open it again. Audited. Commits."""
    if action not in MODERATION:
        raise TopicRefused("unknown", topic)
    state = MODERATION[action]
    event = "topic.close" if action == "close" else "topic.hide" if action == "hide" else "topic.reopen"
    if action == "reopen" and topic.outcome:
        state = "decided"  # a decided topic that was hidden by mistake comes back decided
    topic.state, topic.state_reason = state, "" if action == "reopen" else reason
    topic.moderated_at, topic.moderated_by_id = as_utc_naive(now), actor.id
    record_event(session, event, actor=actor, reason=reason, detail=f"topic={topic.id}", channel="staff")
    session.commit()


def support_topic(
    session, *, topic_id: int, resident: Resident, origin: dict, now: datetime, actor=None, reason: str = ""
) -> TopicSupport:
    """The resident supports the topic, once; or TopicRefused. Commits."""
    topic = session.get(Topic, topic_id)
    if topic is None:
        raise TopicRefused("unknown")
    if not open_to(topic, resident):
        raise TopicRefused("not_for_you", topic)
    if topic.state != "open":
        raise TopicRefused("not_open", topic)
    support = TopicSupport(
        topic_id=topic_id,
        resident_id=resident.id,
        channel=origin["channel"],
        entered_by_id=origin.get("entered_by_id"),
        kiosk_id=origin.get("kiosk_id"),
        created_at=as_utc_naive(now),
    )
    try:
        session.add(support)
        session.flush()
    except IntegrityError:
        session.rollback()
        raise TopicRefused("duplicate", session.get(Topic, topic_id)) from None
    counted = session.execute(
        update(Topic).where(Topic.id == topic_id, Topic.state == "open").values(supports=Topic.supports + 1),
        execution_options={"synchronize_session": False},
    ).rowcount
    if counted != 1:  # closed a moment ago
        session.rollback()
        raise TopicRefused("not_open", session.get(Topic, topic_id))
    audit_for_resident(session, "topic.support", topic_id, resident, origin, actor, reason)
    session.commit()
    return support


def _withdraw(session, topic_id: int, resident_id: int, now_utc: datetime) -> bool:
    taken_back = session.execute(
        update(TopicSupport)
        .where(
            TopicSupport.topic_id == topic_id,
            TopicSupport.resident_id == resident_id,
            TopicSupport.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=now_utc),
        execution_options={"synchronize_session": False},
    ).rowcount
    if taken_back != 1:
        return False
    session.execute(
        update(Topic).where(Topic.id == topic_id, Topic.supports > 0).values(supports=Topic.supports - 1),
        execution_options={"synchronize_session": False},
    )
    return True


def withdraw_support(
    session, *, topic_id: int, resident: Resident, origin: dict, now: datetime, actor=None, reason: str = ""
) -> None:
    """The resident takes their support back (at any time, even after the topic was decided). Commits."""
    if not _withdraw(session, topic_id, resident.id, as_utc_naive(now)):
        session.rollback()
        raise TopicRefused("not_supported", session.get(Topic, topic_id))
    audit_for_resident(session, "topic.withdraw_support", topic_id, resident, origin, actor, reason)
    session.commit()


def withdraw_all_supports(session, resident_id: int, now: datetime) -> int:
    """Every active support of a resident, withdrawn (a removed resident). Does not commit."""
    topic_ids = session.scalars(
        select(TopicSupport.topic_id).where(
            TopicSupport.resident_id == resident_id, TopicSupport.withdrawn_at.is_(None)
        )
    ).all()
    return sum(_withdraw(session, topic_id, resident_id, as_utc_naive(now)) for topic_id in topic_ids)


def active_support(session, topic_id: int, resident_id: int) -> TopicSupport | None:
    return session.scalars(
        select(TopicSupport).where(
            TopicSupport.topic_id == topic_id,
            TopicSupport.resident_id == resident_id,
            TopicSupport.withdrawn_at.is_(None),
        )
    ).first()


def supported_ids(session, topic_ids: list[int], resident_id: int) -> set[int]:
    """Which of these topics the resident supports (one SELECT for a whole page)."""
    if not topic_ids:
        return set()
    return set(
        session.scalars(
            select(TopicSupport.topic_id).where(
                TopicSupport.topic_id.in_(topic_ids),
                TopicSupport.resident_id == resident_id,
                TopicSupport.withdrawn_at.is_(None),
            )
        )
    )


# -- meetings and outcomes ----------------------------------------------------------------------
def link_meeting(session, topics: list[Topic], activity: Activity, *, actor) -> int:
    """The activity becomes the meeting of each topic (those already linked are left). Commits."""
    linked = set(session.scalars(select(topic_meetings.c.topic_id).where(topic_meetings.c.activity_id == activity.id)))
    new = [topic for topic in topics if topic.id not in linked and topic.community_id == activity.community_id]
    for topic in new:
        session.execute(topic_meetings.insert().values(topic_id=topic.id, activity_id=activity.id))
        record_event(
            session, "topic.meeting", actor=actor, detail=f"topic={topic.id}; activity={activity.id}", channel="staff"
        )
    session.commit()
    return len(new)


def record_outcome(session, topic: Topic, *, outcome: str, actor, now: datetime) -> None:
    """The outcome in plain words: the topic is decided (it can be corrected later). Commits."""
    topic.outcome = outcome
    topic.state = "decided"
    topic.state_reason = ""
    topic.decided_at, topic.decided_by_id = as_utc_naive(now), actor.id
    record_event(session, "topic.outcome", actor=actor, detail=f"topic={topic.id}", channel="staff")
    session.commit()


def attendance(session, activities: list[Activity]) -> dict[int, int]:
    """How many came to each meeting: the count kept when the activity closed, else those checked in so
    far (one GROUP BY for all of them)."""
    counts = {a.id: a.attendance for a in activities if a.attendance is not None}
    still = [a.id for a in activities if a.attendance is None]
    if still:
        counts |= {a_id: 0 for a_id in still}
        counts |= dict(
            session.execute(
                select(ActivitySignup.activity_id, func.count())
                .where(ActivitySignup.activity_id.in_(still), ActivitySignup.state == "attended")
                .group_by(ActivitySignup.activity_id)
            ).all()
        )
    return counts


def topics_of_activity(session, activity_id: int) -> list[Topic]:
    """The topics a meeting is for (not hidden ones), for the activity's page."""
    return list(
        session.scalars(
            select(Topic)
            .join(topic_meetings, topic_meetings.c.topic_id == Topic.id)
            .where(topic_meetings.c.activity_id == activity_id, Topic.state != "hidden")
            .order_by(Topic.supports.desc(), Topic.id)
        )
    )


# -- lists --------------------------------------------------------------------------------------
def topics_query(community_id: int, grid_id: int | None = None, *, with_hidden: bool = False):
    """A community's topics (with a grid: that grid's and the whole community's), most supported first."""
    query = select(Topic).where(Topic.community_id == community_id)
    if grid_id is not None:
        query = query.where(or_(Topic.grid_id == grid_id, Topic.grid_id.is_(None)))
    if not with_hidden:
        query = query.where(Topic.state.in_(LISTED_STATES))
    return query.order_by(Topic.supports.desc(), Topic.id.desc()).options(
        joinedload(Topic.resident), joinedload(Topic.grid)
    )


def top_open_topics(session, grid, how_many: int) -> list[Topic]:
    """The grid page's few: open topics of the grid or its community, most supported first."""
    query = (
        select(Topic)
        .where(
            Topic.community_id == grid.community_id,
            or_(Topic.grid_id == grid.id, Topic.grid_id.is_(None)),
            Topic.state == "open",
        )
        .order_by(Topic.supports.desc(), Topic.id.desc())
        .limit(how_many)
    )
    return list(session.scalars(query))


def meeting_choices(session, query, now: datetime, how_many: int = 20) -> list[Activity]:
    """Activities still to start (from a query scoped to the account), soonest first: a meeting to link."""
    return list(
        session.scalars(
            query.where(Activity.state == "open", Activity.starts_at > as_utc_naive(now))
            .order_by(Activity.starts_at, Activity.id)
            .limit(how_many)
        )
    )
