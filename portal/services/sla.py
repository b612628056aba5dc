"""Service levels: each request must be accepted within its category's hours and resolved within its
days. Every function takes `now` from the caller, so tests can set the clock.

Times are naive UTC, like every other timestamp in the database.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import and_, case, or_, select, update

from ..models import Account, Request, RequestEvent
from .lifecycle import OPEN_STATES
from .outbox import queue_message
from .tickets import format_ticket

STAFF_LOCALE = "zh_Hans_CN"


def deadlines(created_at: datetime, category) -> tuple[datetime, datetime]:
    """(accept_by, resolve_by) for a request filed at `created_at` in `category`."""
    accept_by = created_at + timedelta(hours=category.hours_to_accept)
    resolve_by = created_at + timedelta(days=category.days_to_resolve)
    return accept_by, max(accept_by, resolve_by)


def due_at(request: Request) -> datetime | None:
    """The next deadline: accept-by while nobody has taken it on, then resolve-by; None once it is done."""
    if request.state == "submitted":
        return request.accept_by
    if request.state in OPEN_STATES:
        return request.resolve_by
    return None


def overdue_by(request: Request, now: datetime) -> timedelta | None:
    due = due_at(request)
    return now - due if due is not None and now > due else None


def is_overdue(request: Request, now: datetime) -> bool:
    return overdue_by(request, now) is not None


# The same rules as SQL, so lists can be filtered and sorted by the database.
def due_column():
    return case((Request.state == "submitted", Request.accept_by), else_=Request.resolve_by)


def overdue_clause(now: datetime):
    return and_(Request.state.in_(OPEN_STATES), due_column() < now)


def queue_order(now: datetime) -> list:
    """Open requests first; among them overdue first; then by due time; finished ones last, newest first."""
    is_open = Request.state.in_(OPEN_STATES)
    return [
        case((overdue_clause(now), 0), (is_open, 1), else_=2),
        case((is_open, due_column()), else_=None),
        Request.created_at.desc(),
        Request.id,
    ]


@dataclass(frozen=True)
class TimeLeft:
    overdue: bool
    amount: int
    unit: str  # "day", "hour" or "minute"


def time_left(due: datetime, now: datetime) -> TimeLeft:
    """How long until `due` (or how long past it), in the largest whole unit, rounded down."""
    seconds = (due - now).total_seconds()
    overdue, seconds = seconds < 0, abs(seconds)
    if seconds >= 86400:
        return TimeLeft(overdue, int(seconds // 86400), "day")
    if seconds >= 3600:
        return TimeLeft(overdue, int(seconds // 3600), "hour")
    return TimeLeft(overdue, max(1, int(seconds // 60)), "minute")


def time_left_words(due: datetime, now: datetime) -> str:
    """ "2 days left", "overdue by 5 hours": the words a queue shows, never colour alone."""
    return left_words(time_left(due, now))


def left_words(left: TimeLeft) -> str:
    """The words for a time left (a list words each distinct one once: many rows share them)."""
    # Only the unit shown is translated.
    if left.overdue:
        if left.unit == "day":
            return ngettext("overdue by %(num)d day", "overdue by %(num)d days", left.amount)
        if left.unit == "hour":
            return ngettext("overdue by %(num)d hour", "overdue by %(num)d hours", left.amount)
        return ngettext("overdue by %(num)d minute", "overdue by %(num)d minutes", left.amount)
    if left.unit == "day":
        return ngettext("%(num)d day left", "%(num)d days left", left.amount)
    if left.unit == "hour":
        return ngettext("%(num)d hour left", "%(num)d hours left", left.amount)
    return ngettext("%(num)d minute left", "%(num)d minutes left", left.amount)


def escalation_recipients(session, community_id: int) -> list[Account]:
    """The community's staff; when a community has none, the administrators, so nothing is lost."""
    staff = list(
        session.scalars(
            select(Account)
            .where(Account.role == "staff", Account.community_id == community_id, Account.active.is_(True))
            .order_by(Account.id)
        )
    )
    if staff:
        return staff
    return list(
        session.scalars(select(Account).where(Account.role == "admin", Account.active.is_(True)).order_by(Account.id))
    )


def _escalation_text(request: Request, missed: str) -> str:
    with force_locale(STAFF_LOCALE):
        category = request.category.name
        grid = f"{request.community.name} {request.grid.name}"
        if missed == "accept":
            return gettext(
                "Request %(ticket)s (%(category)s, %(grid)s) has not been accepted in time. Please follow it up.",
                ticket=format_ticket(request.ticket),
                category=category,
                grid=grid,
            )
        return gettext(
            "Request %(ticket)s (%(category)s, %(grid)s) has not been resolved in time. Please follow it up.",
            ticket=format_ticket(request.ticket),
            category=category,
            grid=grid,
        )


def escalate_overdue(session, now: datetime, community_id: int | None = None) -> list[Request]:
    """Escalate every overdue request to its community's staff, once per missed deadline.

    Each escalation is claimed with a conditional UPDATE (..._escalated_at IS NULL), so running this
    twice, or from the CLI and a page load at the same moment, writes each message only once.
    Returns the requests escalated by this call.
    """
    accept_late = and_(Request.state == "submitted", Request.accept_by < now, Request.accept_escalated_at.is_(None))
    resolve_late = and_(
        Request.state.in_(("accepted", "in_progress")), Request.resolve_by < now, Request.resolve_escalated_at.is_(None)
    )
    # The state list as well, so the database reads a community's open requests in
    # ix_request_community_state_due (which holds every column looked at) rather than all its requests.
    late_states = Request.state.in_(("submitted", "accepted", "in_progress"))
    query = select(Request).where(late_states, or_(accept_late, resolve_late))
    if community_id is not None:
        query = query.where(Request.community_id == community_id)
    escalated = []
    # In id order, sorted here: an ORDER BY id would have the database walk the primary key instead.
    for request in sorted(session.scalars(query).all(), key=lambda r: r.id):
        missed = "accept" if request.state == "submitted" else "resolve"
        column = Request.accept_escalated_at if missed == "accept" else Request.resolve_escalated_at
        claimed = session.execute(
            update(Request)
            .where(Request.id == request.id, column.is_(None), Request.state == request.state)
            .values({column: now})
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            continue
        text = _escalation_text(request, missed)
        session.add(RequestEvent(request_id=request.id, at=now, kind="escalated", note=text, public=False))
        for account in escalation_recipients(session, request.community_id):
            queue_message(
                session,
                kind=f"request.overdue_{missed}",
                text=text,
                channel="staff",
                account=account,
                locale=STAFF_LOCALE,
            )
        escalated.append(request)
    session.flush()
    for request in escalated:
        session.refresh(request)
    return escalated
