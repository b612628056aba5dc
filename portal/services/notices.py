"""Notices (通知公告): who may post where, what is current, in which order, in which language, and how
often residents opened each one.

A notice is current from its start date to its end date, both inclusive, in the portal's local dates;
a withdrawn notice is in no list and its address is gone. An expired one leaves the lists but keeps its
address (the page says when it ended).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from ..models import Notice, NoticeRead, notice_grids
from . import permissions
from .audit import record_event


class NoticeRefused(Exception):
    """The account may not post or change this notice (scope), or the notice names no grid."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class NoticeDraft:
    title: str
    body: str
    starts_on: date
    ends_on: date
    language: str = "zh"
    title_other: str = ""
    body_other: str = ""
    important: bool = False
    whole_community: bool = False
    grids: list = field(default_factory=list)


def check_scope(account, community, draft: NoticeDraft) -> None:
    if draft.whole_community:
        if not permissions.can_post_to_community(account, community.id):
            raise NoticeRefused("scope")
        return
    if not draft.grids:
        raise NoticeRefused("no_grid")
    for grid in draft.grids:
        if grid.community_id != community.id or not permissions.can_post_to_grid(account, grid):
            raise NoticeRefused("scope")


def _apply(notice: Notice, draft: NoticeDraft) -> None:
    notice.title = draft.title
    notice.body = draft.body
    notice.title_other = draft.title_other if draft.title_other and draft.body_other else ""
    notice.body_other = draft.body_other if draft.title_other and draft.body_other else ""
    notice.language = draft.language
    notice.important = draft.important
    notice.starts_on = draft.starts_on
    notice.ends_on = draft.ends_on
    notice.whole_community = draft.whole_community
    notice.grids = [] if draft.whole_community else list(draft.grids)


def post_notice(session, *, account, community, draft: NoticeDraft, now: datetime) -> Notice:
    check_scope(account, community, draft)
    notice = Notice(community_id=community.id, author_id=account.id, created_at=now, updated_at=now)
    _apply(notice, draft)
    session.add(notice)
    session.flush()
    record_event(session, "notice.post", actor=account, detail=f"notice={notice.id}")
    return notice


def update_notice(session, notice: Notice, *, account, draft: NoticeDraft, now: datetime) -> Notice:
    if not permissions.can_manage_notice(account, notice):
        raise NoticeRefused("scope")
    check_scope(account, notice.community, draft)
    _apply(notice, draft)
    notice.updated_at = now
    record_event(session, "notice.edit", actor=account, detail=f"notice={notice.id}")
    return notice


def withdraw_notice(session, notice: Notice, *, account, now: datetime) -> None:
    if not permissions.can_manage_notice(account, notice):
        raise NoticeRefused("scope")
    if notice.withdrawn_at is None:
        notice.withdrawn_at = now
        notice.withdrawn_by_id = account.id
        record_event(session, "notice.withdraw", actor=account, detail=f"notice={notice.id}")


# -- what residents see ---------------------------------------------------------------------------
def is_current(notice: Notice, today: date) -> bool:
    return notice.withdrawn_at is None and notice.starts_on <= today <= notice.ends_on


def has_ended(notice: Notice, today: date) -> bool:
    return notice.ends_on < today


def newest_first(query):
    """Important ones first, then the newest (latest start), then the latest posted."""
    return query.order_by(Notice.important.desc(), Notice.starts_on.desc(), Notice.id.desc())


def current_query(today: date, *, community_id: int, grid_id: int | None = None):
    """The current notices of a community (grid_id None: the community-wide ones only) or of one grid
    (community-wide ones and those posted to that grid), important first, newest first."""
    query = select(Notice).where(
        Notice.community_id == community_id,
        Notice.withdrawn_at.is_(None),
        Notice.starts_on <= today,
        Notice.ends_on >= today,
    )
    if grid_id is None:
        query = query.where(Notice.whole_community.is_(True))
    else:
        to_grid = exists().where(notice_grids.c.notice_id == Notice.id, notice_grids.c.grid_id == grid_id)
        query = query.where(or_(Notice.whole_community.is_(True), to_grid))
    return newest_first(query).options(selectinload(Notice.grids))


def applies_to_grid(notice: Notice, grid) -> bool:
    return notice.community_id == grid.community_id and (
        notice.whole_community or any(g.id == grid.id for g in notice.grids)
    )


def notice_text(notice: Notice, lang: str) -> tuple[str, str, str]:
    """(title, body, language shown) for a reader of `lang`: the translation when the notice has one in
    that language, otherwise the language it was written in."""
    if lang != notice.language and notice.title_other and notice.body_other:
        return notice.title_other, notice.body_other, lang
    return notice.title, notice.body, notice.language


# -- reads ----------------------------------------------------------------------------------------
def count_read(session, *, notice_id: int, resident_id: int, origin: dict, now: datetime) -> bool:
    """Count that this resident opened the notice, once: a second open (or two at the same moment, from
    two devices) inserts nothing. True when this call counted it."""
    values = {
        "notice_id": notice_id,
        "resident_id": resident_id,
        "read_at": now,
        "channel": origin.get("channel") or "online",
        "entered_by_id": origin.get("entered_by_id"),
        "kiosk_id": origin.get("kiosk_id"),
    }
    dialect = session.get_bind().dialect.name
    make = pg_insert if dialect == "postgresql" else sqlite_insert
    table = NoticeRead.__table__
    statement = (
        make(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["notice_id", "resident_id"])
        .returning(table.c.id)
    )
    # RETURNING gives the new row's id, or no row when it was there already (rowcount is not reliable
    # for INSERT ... ON CONFLICT on every driver).
    return session.execute(statement).first() is not None


def read_counts(session, notice_ids) -> dict[int, int]:
    """How many residents opened each notice, in one GROUP BY."""
    ids = list(notice_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(NoticeRead.notice_id, func.count()).where(NoticeRead.notice_id.in_(ids)).group_by(NoticeRead.notice_id)
    )
    return dict(rows.all())
