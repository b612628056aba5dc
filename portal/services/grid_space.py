"""What a grid's public page shows: nothing personal. The grid worker by name with the work phone
staff entered for them (never a personal number), and the grid's current notices."""

from dataclasses import dataclass

from sqlalchemy import select

from ..models import Account, Grid, account_grids
from . import notices as notice_rules
from .audit import record_event
from .inputs import ascii_digits

NOTICES_ON_GRID_PAGE = 5
WORK_PHONE_MIN, WORK_PHONE_MAX = 7, 12


@dataclass
class GridPage:
    grid: Grid
    workers: list
    notices: list
    more_notices: bool


def grid_workers(session, grid_id: int) -> list[Account]:
    """The active grid workers of a grid, by name."""
    query = (
        select(Account)
        .join(account_grids, account_grids.c.account_id == Account.id)
        .where(account_grids.c.grid_id == grid_id, Account.role == "gridworker", Account.active.is_(True))
        .order_by(Account.display_name, Account.id)
    )
    return list(session.scalars(query))


def grid_page(session, grid: Grid, today) -> GridPage:
    rows = session.scalars(
        notice_rules.current_query(today, community_id=grid.community_id, grid_id=grid.id).limit(
            NOTICES_ON_GRID_PAGE + 1
        )
    ).all()
    return GridPage(
        grid=grid,
        workers=grid_workers(session, grid.id),
        notices=list(rows[:NOTICES_ON_GRID_PAGE]),
        more_notices=len(rows) > NOTICES_ON_GRID_PAGE,
    )


def normalise_work_phone(raw: str | None) -> str | None:
    """A landline or mobile as digits (full-width digits, spaces, dashes and brackets allowed when
    typed), '' for none, None when it is not a phone number."""
    value = (raw or "").strip()
    if not value:
        return ""
    for mark in " -()（）－\u3000":
        value = value.replace(mark, "")
    digits = ascii_digits(value)
    if digits is None or not WORK_PHONE_MIN <= len(digits) <= WORK_PHONE_MAX:
        return None
    return digits


def set_work_phone(session, worker: Account, phone: str, *, actor) -> bool:
    """Store a grid worker's work phone ('' removes it). True when it changed (then it is audited)."""
    new = phone or None
    if worker.work_phone == new:
        return False
    worker.work_phone = new
    record_event(session, "grid.work_phone", actor=actor, detail=f"account={worker.username}")
    return True
