"""Mutual aid (邻里互助): posting a need or an offer, "I can help" / "I would like this" (a proposed match),
the grid worker confirming what was agreed (both sides told: a text, or the call list) or declining with a
reason, marking it done, a resident closing or renewing their own post, reports, and the grid worker hiding,
closing or restoring a post. Every step is audited in words (services/audit_actions.py).

One proposal per post and resident is a unique constraint: the second INSERT fails, whatever the channel.
State changes are conditional UPDATEs, so of two steps at the same moment exactly one wins:

    UPDATE aid_match SET state = 'confirmed' WHERE id = :id AND state = 'proposed'
    UPDATE aid_post  SET state = 'matched'   WHERE id = :id AND state = 'open'

Each public function that changes something is one unit of work: it commits on success and rolls back
on refusal. The sweep (expiry and the "still needed?" reminder) is services/aid_sweep.py.
"""

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..models import AidCall, AidMatch, AidPost, AidReport, Resident
from .aid_text import MESSAGE_LOCALE, matched_message
from .audit import record_event
from .dates import as_utc_naive
from .outbox import queue_message

OPEN_DAYS = 14
LISTED_STATES = ("open", "matched")
LIVE_STATES = ("open", "matched")


class AidRefused(Exception):
    """A rule said no. `reason`: unknown, not_open, own_post, not_for_you, duplicate, not_proposed,
    not_matched, not_yours, reported (already reported by this resident)."""

    def __init__(self, reason: str, post: AidPost | None = None):
        super().__init__(reason)
        self.reason = reason
        self.post = post


def open_to(post: AidPost, resident: Resident) -> bool:
    """A grid's post is for the residents of that grid; a whole-community post for all its residents."""
    if resident.community_id != post.community_id:
        return False
    return post.whole_community or post.grid_id == resident.grid_id


def _audit(session, action, post_id, *, resident=None, origin=None, actor=None, reason="", extra=""):
    origin = origin or {"channel": "staff"}
    record_event(
        session,
        action,
        actor=actor,
        resident=resident,
        reason=reason,
        detail=f"aid_post={post_id}" + (f"; {extra}" if extra else ""),
        channel=origin["channel"],
        kiosk_id=origin.get("kiosk_id"),
    )


def _move_post(session, post_id: int, from_states, **values) -> bool:
    return (
        session.execute(
            update(AidPost).where(AidPost.id == post_id, AidPost.state.in_(from_states)).values(**values),
            execution_options={"synchronize_session": False},
        ).rowcount
        == 1
    )


# -- residents ------------------------------------------------------------------------------------
def post_aid(
    session,
    *,
    resident: Resident,
    kind: str,
    category: str,
    text: str,
    whole_community: bool,
    origin: dict,
    now: datetime,
    actor=None,
    reason: str = "",
) -> AidPost:
    """A new open post, for 14 days. Commits."""
    now_utc = as_utc_naive(now)
    post = AidPost(
        community_id=resident.community_id,
        grid_id=resident.grid_id,
        whole_community=whole_community,
        building_id=resident.building_id,
        resident_id=resident.id,
        kind=kind,
        category=category,
        text=text,
        state="open",
        state_reason="",
        channel=origin["channel"],
        entered_by_id=origin.get("entered_by_id"),
        kiosk_id=origin.get("kiosk_id"),
        created_at=now_utc,
        expires_at=now_utc + timedelta(days=OPEN_DAYS),
        open_reports=0,
    )
    session.add(post)
    session.flush()
    _audit(session, "aid.post", post.id, resident=resident, origin=origin, actor=actor, reason=reason)
    session.commit()
    return post


def propose_match(
    session, *, post_id: int, resident: Resident, origin: dict, now: datetime, actor=None, reason: str = ""
) -> AidMatch:
    """ "I can help" on a need, "I would like this" on an offer: once per post and resident. Commits."""
    post = session.get(AidPost, post_id)
    if post is None or post.state == "hidden":
        raise AidRefused("unknown")
    if post.resident_id == resident.id:
        raise AidRefused("own_post", post)
    if not open_to(post, resident):
        raise AidRefused("not_for_you", post)
    if post.state != "open":
        raise AidRefused("not_open", post)
    match = AidMatch(
        post_id=post_id,
        resident_id=resident.id,
        state="proposed",
        channel=origin["channel"],
        entered_by_id=origin.get("entered_by_id"),
        kiosk_id=origin.get("kiosk_id"),
        created_at=as_utc_naive(now),
        agreed="",
        decline_reason="",
    )
    try:
        session.add(match)
        session.flush()
    except IntegrityError:
        session.rollback()
        raise AidRefused("duplicate", session.get(AidPost, post_id)) from None
    _audit(session, "aid.propose", post_id, resident=resident, origin=origin, actor=actor, reason=reason,
           extra=f"aid_match={match.id}")  # fmt: skip
    session.commit()
    return match


def close_own_post(session, post: AidPost, *, resident: Resident, origin: dict, now: datetime, actor=None,
                   reason: str = "") -> None:  # fmt: skip
    """The resident closes their own post (no longer needed, or given away). Commits."""
    if post.resident_id != resident.id:
        raise AidRefused("not_yours", post)
    if not _move_post(session, post.id, LIVE_STATES, state="closed", closed_at=as_utc_naive(now)):
        session.rollback()
        raise AidRefused("not_open", post)
    _audit(session, "aid.close", post.id, resident=resident, origin=origin, actor=actor, reason=reason)
    session.commit()


def renew_own_post(session, post: AidPost, *, resident: Resident, origin: dict, now: datetime, actor=None,
                   reason: str = "") -> None:  # fmt: skip
    """ "Still needed": the resident keeps an open post for two more weeks from now. Commits."""
    if post.resident_id != resident.id:
        raise AidRefused("not_yours", post)
    now_utc = as_utc_naive(now)
    if not _move_post(session, post.id, ("open",), expires_at=now_utc + timedelta(days=OPEN_DAYS), reminded_at=None):
        session.rollback()
        raise AidRefused("not_open", post)
    _audit(session, "aid.renew", post.id, resident=resident, origin=origin, actor=actor, reason=reason)
    session.commit()


def confirmed_match(session, post_id: int) -> AidMatch | None:
    return session.scalars(
        select(AidMatch)
        .where(AidMatch.post_id == post_id, AidMatch.state == "confirmed")
        .options(joinedload(AidMatch.resident))
    ).first()


def may_mark_done(post: AidPost, resident: Resident | None, match: AidMatch | None) -> bool:
    """Either resident of a matched post (the poster or the neighbour matched with them)."""
    if resident is None or post.state != "matched":
        return False
    return post.resident_id == resident.id or (match is not None and match.resident_id == resident.id)


def mark_done(session, post: AidPost, *, origin: dict, now: datetime, resident=None, actor=None,
              reason: str = "") -> None:  # fmt: skip
    """The help was given: by either resident (themselves, a kiosk, a helper) or the grid worker. Commits."""
    if not _move_post(session, post.id, ("matched",), state="done", done_at=as_utc_naive(now)):
        session.rollback()
        raise AidRefused("not_matched", post)
    _audit(session, "aid.done", post.id, resident=resident, origin=origin, actor=actor, reason=reason)
    session.commit()


def report_post(session, post: AidPost, *, resident: Resident, why: str, origin: dict, now: datetime, actor=None,
                reason: str = "") -> None:  # fmt: skip
    """A resident reports a post to the grid worker, once. Commits."""
    if not open_to(post, resident) or post.state == "hidden":
        raise AidRefused("not_for_you", post)
    try:
        session.add(AidReport(post_id=post.id, resident_id=resident.id, reason=why, created_at=as_utc_naive(now)))
        session.flush()
    except IntegrityError:
        session.rollback()
        raise AidRefused("reported", post) from None
    session.execute(
        update(AidPost).where(AidPost.id == post.id).values(open_reports=AidPost.open_reports + 1),
        execution_options={"synchronize_session": False},
    )
    _audit(session, "aid.report", post.id, resident=resident, origin=origin, actor=actor, reason=reason or why)
    session.commit()


# -- the grid worker --------------------------------------------------------------------------------
def tell(session, resident: Resident | None, post: AidPost, reason: str, text: str) -> str:
    """A text message to a resident with a mobile, else a line on their grid worker's call list.
    Returns "sms", "call" or "" (a removed resident). Does not commit."""
    if resident is None or resident.removed_at is not None:
        return ""
    if resident.phone:
        queue_message(session, kind=f"aid.{reason}", text=text, recipient=resident.phone, resident=resident,
                      locale=MESSAGE_LOCALE)  # fmt: skip
        return "sms"
    session.add(AidCall(grid_id=resident.grid_id, resident_id=resident.id, post_id=post.id, reason=reason, text=text))
    return "call"


def confirm_match(session, match: AidMatch, *, agreed: str, actor, now: datetime) -> None:
    """The grid worker spoke to both sides and confirms what was agreed; both are told. Commits."""
    now_utc = as_utc_naive(now)
    post = match.post
    won = session.execute(
        update(AidMatch)
        .where(AidMatch.id == match.id, AidMatch.state == "proposed")
        .values(state="confirmed", agreed=agreed, decided_at=now_utc, decided_by_id=actor.id),
        execution_options={"synchronize_session": False},
    ).rowcount
    if won != 1:
        session.rollback()
        raise AidRefused("not_proposed", post)
    if not _move_post(session, post.id, ("open",), state="matched", matched_at=now_utc):
        session.rollback()
        raise AidRefused("not_open", post)
    text = matched_message(post, agreed)
    told = [tell(session, post.resident, post, "matched", text), tell(session, match.resident, post, "matched", text)]
    _audit(session, "aid.confirm", post.id, actor=actor, reason=agreed,
           extra=f"aid_match={match.id}; told={'+'.join(t or 'nobody' for t in told)}")  # fmt: skip
    session.commit()


def decline_match(session, match: AidMatch, *, why: str, actor, now: datetime) -> None:
    """Not a match (the grid worker says why, for the record). Commits."""
    won = session.execute(
        update(AidMatch)
        .where(AidMatch.id == match.id, AidMatch.state == "proposed")
        .values(state="declined", decline_reason=why, decided_at=as_utc_naive(now), decided_by_id=actor.id),
        execution_options={"synchronize_session": False},
    ).rowcount
    if won != 1:
        session.rollback()
        raise AidRefused("not_proposed", match.post)
    _audit(session, "aid.decline", match.post_id, actor=actor, reason=why, extra=f"aid_match={match.id}")
    session.commit()


MODERATION = {"hide": "aid.hide", "close": "aid.moderate_close", "restore": "aid.restore"}


def moderate_post(session, post: AidPost, *, action: str, why: str, actor, now: datetime) -> None:
    """Hide, close or restore a post with a reason; its reports count as looked at. Audited. Commits."""
    if action not in MODERATION:
        raise AidRefused("unknown", post)
    now_utc = as_utc_naive(now)
    if action == "restore":
        state = "matched" if confirmed_match(session, post.id) is not None else "open"
        if state == "open" and post.expires_at <= now_utc:
            post.expires_at = now_utc + timedelta(days=OPEN_DAYS)
    else:
        state = "hidden" if action == "hide" else "closed"
    post.state, post.state_reason = state, "" if action == "restore" else why
    post.moderated_at, post.moderated_by_id, post.open_reports = now_utc, actor.id, 0
    if action == "close":
        post.closed_at = now_utc
    event = "aid.hide" if action == "hide" else "aid.moderate_close" if action == "close" else "aid.restore"
    _audit(session, event, post.id, actor=actor, reason=why)
    session.commit()


def call_done(session, call: AidCall, *, actor, now: datetime, channel: str) -> None:
    call.done_at, call.done_by_id = as_utc_naive(now), actor.id
    record_event(session, "aid.call", actor=actor, resident=call.resident,
                 detail=f"aid_post={call.post_id}; call={call.reason}", channel=channel)  # fmt: skip
    session.commit()


# -- lists ----------------------------------------------------------------------------------------
def posts_query(community_id: int, grid_id: int | None = None, *, states=LISTED_STATES):
    """Posts a neighbour of `grid_id` sees (its own grid's and the whole community's), newest first."""
    query = select(AidPost).where(AidPost.community_id == community_id, AidPost.state.in_(states))
    if grid_id is not None:
        query = query.where(or_(AidPost.grid_id == grid_id, AidPost.whole_community.is_(True)))
    return query.order_by(AidPost.created_at.desc(), AidPost.id.desc()).options(
        joinedload(AidPost.resident), joinedload(AidPost.building)
    )


def open_posts_for_grid(session, grid, how_many: int) -> list[AidPost]:
    """The grid page's few: open posts of the grid and of its whole community, newest first."""
    query = posts_query(grid.community_id, grid.id, states=("open",)).limit(how_many)
    return list(session.scalars(query))


def my_match(session, post_id: int, resident_id: int) -> AidMatch | None:
    return session.scalars(
        select(AidMatch).where(AidMatch.post_id == post_id, AidMatch.resident_id == resident_id)
    ).first()


def proposed_matches_query(grid_ids: list[int]):
    """The queue: proposals on open posts of these grids, oldest first (someone is waiting)."""
    return (
        select(AidMatch)
        .join(AidPost, AidMatch.post_id == AidPost.id)
        .where(AidPost.grid_id.in_(grid_ids or [-1]), AidMatch.state == "proposed", AidPost.state == "open")
        .order_by(AidMatch.created_at, AidMatch.id)
        .options(
            joinedload(AidMatch.resident).joinedload(Resident.building),
            joinedload(AidMatch.post).joinedload(AidPost.resident).joinedload(Resident.building),
        )
    )


def reported_posts(session, grid_ids: list[int], how_many: int = 50) -> list[AidPost]:
    return list(
        session.scalars(
            select(AidPost)
            .where(AidPost.grid_id.in_(grid_ids or [-1]), AidPost.open_reports > 0)
            .order_by(AidPost.open_reports.desc(), AidPost.id)
            .limit(how_many)
            .options(joinedload(AidPost.resident), joinedload(AidPost.building))
        )
    )


def open_calls(session, grid_ids: list[int], how_many: int = 50) -> list[AidCall]:
    return list(
        session.scalars(
            select(AidCall)
            .where(AidCall.grid_id.in_(grid_ids or [-1]), AidCall.done_at.is_(None))
            .order_by(AidCall.created_at, AidCall.id)
            .limit(how_many)
            .options(joinedload(AidCall.resident).joinedload(Resident.building), joinedload(AidCall.post))
        )
    )
