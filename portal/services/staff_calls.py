"""Calls for a person, raised at a kiosk ("Call a staff member") and answered by the community's staff.

A kiosk has at most one open call (a partial unique index): a second press, or the next person's, joins it.
Answering ("I'm coming") and finishing are conditional UPDATEs, so two members of staff pressing at once
cannot both take the same call. A call nobody has answered after ANSWER_WITHIN is escalated once to the
community's staff through the outbox, by `flask --app portal escalate-overdue` or when the staff list is
read. Every timestamp is naive UTC; `now` comes from the caller (services/clock.py).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale, gettext
from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..models import StaffCall
from . import dates
from .outbox import queue_message
from .paging import Page, fetch_page
from .place_names import place_name
from .sla import STAFF_LOCALE, escalation_recipients

ANSWER_WITHIN = timedelta(minutes=5)
OPEN_STATES = ("waiting", "coming")
PER_PAGE = 20


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def open_call(session, kiosk_id: int) -> StaffCall | None:
    return session.scalars(
        select(StaffCall).where(StaffCall.kiosk_id == kiosk_id, StaffCall.state.in_(OPEN_STATES))
    ).first()


def raise_call(session, kiosk, now: datetime) -> tuple[StaffCall, bool]:
    """The kiosk's open call, made now if there is none: (call, whether this press made it)."""
    existing = open_call(session, kiosk.id)
    if existing is not None:
        return existing, False
    call = StaffCall(kiosk_id=kiosk.id, community_id=kiosk.community_id, raised_at=now, hour=hour_of(now))
    try:
        with session.begin_nested():
            session.add(call)
    except IntegrityError:  # the same kiosk pressed twice at once: the other press made the call
        return open_call(session, kiosk.id), False
    return call, True


def call_of_kiosk(session, call_id, kiosk_id: int) -> StaffCall | None:
    """This kiosk's call `call_id` (from the visit's session), or None."""
    call = session.get(StaffCall, call_id) if isinstance(call_id, int) else None
    return call if call is not None and call.kiosk_id == kiosk_id else None


def share_resident(session, call: StaffCall, resident) -> bool:
    """The identified resident agreed that the staff may see who called. Only while the call is open."""
    if call.state not in OPEN_STATES:
        return False
    call.resident_id = resident.id
    session.flush()
    return True


def _move(session, call_id: int, account, now: datetime, frm: tuple[str, ...], to: str, community_id) -> bool:
    values = {"state": to, "answered_by_id": account.id}
    values["answered_at" if to == "coming" else "done_at"] = now
    query = update(StaffCall).where(StaffCall.id == call_id, StaffCall.state.in_(frm))
    if community_id is not None:
        query = query.where(StaffCall.community_id == community_id)
    if to == "done":  # the person who said "I'm coming" stays the one who answered
        values["answered_by_id"] = func.coalesce(StaffCall.answered_by_id, account.id)
        values["answered_at"] = func.coalesce(StaffCall.answered_at, now)
    moved = session.execute(query.values(values).execution_options(synchronize_session=False)).rowcount
    session.expire_all()
    return moved == 1


def answer_call(session, call_id: int, account, now: datetime, community_id: int | None) -> bool:
    """ "I'm coming": only a waiting call, only in the account's community (None: any, for admins)."""
    return _move(session, call_id, account, now, ("waiting",), "coming", community_id)


def finish_call(session, call_id: int, account, now: datetime, community_id: int | None) -> bool:
    """ "Done": the resident has been helped."""
    return _move(session, call_id, account, now, OPEN_STATES, "done", community_id)


@dataclass(frozen=True)
class CallsPage:
    page: Page
    total: int
    open_count: int


def calls_page(session, community_id: int | None, number: int = 1, size: int = PER_PAGE) -> CallsPage:
    """Open calls first (oldest first: they have waited longest), then finished ones, newest first.
    Two queries whatever the number of calls: the counts, and one page with its kiosks, residents and
    answering staff joined in."""
    scope = [] if community_id is None else [StaffCall.community_id == community_id]
    is_open = StaffCall.state.in_(OPEN_STATES)
    total, open_count = session.execute(
        select(func.count(), func.count(case((is_open, 1)))).select_from(StaffCall).where(*scope)
    ).one()
    query = (
        select(StaffCall)
        .where(*scope)
        .options(joinedload(StaffCall.kiosk), joinedload(StaffCall.resident), joinedload(StaffCall.answered_by))
        .order_by(
            case((is_open, 0), else_=1),
            case((is_open, StaffCall.raised_at), else_=None),
            StaffCall.raised_at.desc(),
            StaffCall.id.desc(),
        )
    )
    return CallsPage(fetch_page(session, query, number, size), total, open_count)


def calls_per_kiosk_hour(session, community_id: int | None = None, since: datetime | None = None) -> list[tuple]:
    """(kiosk id, hour in UTC, number of calls), for the statistics: one GROUP BY over an indexed column."""
    query = select(StaffCall.kiosk_id, StaffCall.hour, func.count()).group_by(StaffCall.kiosk_id, StaffCall.hour)
    if community_id is not None:
        query = query.where(StaffCall.community_id == community_id)
    if since is not None:
        query = query.where(StaffCall.hour >= hour_of(since))
    return [tuple(row) for row in session.execute(query.order_by(StaffCall.hour, StaffCall.kiosk_id))]


def _escalation_text(call: StaffCall, zone) -> str:
    with force_locale(STAFF_LOCALE):
        return gettext(
            "Nobody has answered the call for help at the kiosk %(kiosk)s since %(time)s. "
            "Please go there, or ask someone nearby to.",
            kiosk=place_name(call.kiosk, STAFF_LOCALE),
            time=dates.time_of_day(call.raised_at, zone),
        )


def escalate_unanswered_calls(session, now: datetime, community_id: int | None = None, zone=None) -> list[StaffCall]:
    """Tell the community's staff (the outbox) about every call still waiting after ANSWER_WITHIN, once each."""
    zone = zone or dates.get_zone(None)
    query = select(StaffCall).where(
        StaffCall.state == "waiting", StaffCall.raised_at < now - ANSWER_WITHIN, StaffCall.escalated_at.is_(None)
    )
    if community_id is not None:
        query = query.where(StaffCall.community_id == community_id)
    escalated = []
    for call in session.scalars(query.order_by(StaffCall.id)).all():
        claimed = session.execute(
            update(StaffCall)
            .where(StaffCall.id == call.id, StaffCall.escalated_at.is_(None), StaffCall.state == "waiting")
            .values(escalated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            continue
        text = _escalation_text(call, zone)
        for account in escalation_recipients(session, call.community_id):
            queue_message(
                session, kind="kiosk.call_unanswered", text=text, channel="staff", account=account, locale=STAFF_LOCALE
            )
        escalated.append(call)
    session.flush()
    return escalated
