"""The public figures, worked out once and kept in the database (models/stats.py) for every reader.

At city size a community's de-identified figures take seconds to work out; the public page must not
do that on a page view. So the page reads the copy kept for its area, period and language; the copy is
worked out again when it is older than PORTAL_PUBLIC_FIGURES_SECONDS, by `flask --app portal
stats-refresh` (run it from cron more often than that, and no reader ever waits) or else by the first
reader after that. Every app host shares the copy, since it lives in the database. Only suppressed
figures are kept: the staff pages always count afresh.
"""

import json
from dataclasses import asdict
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ...models import Community, StoredFigures
from .. import clock
from . import figures
from .context import Scope
from .period import PUBLIC_PERIODS, calendar_period
from .suppression import protect
from .table import Column, Row, Section, Table


def public_figures(session, scope: Scope, period, now: datetime, locale: str, tz, max_age: int):
    """(sections, when they were worked out) for the public page; max_age 0 works them out every time."""
    if max_age <= 0:
        return figures(session, scope, period, now, locale, tz, public=True), now
    key = {"scope": scope_key(scope), "period": period_key(period, tz), "locale": locale}
    kept = session.scalars(select(StoredFigures).filter_by(**key)).first()
    if kept is not None and kept.computed_at > now - timedelta(seconds=max_age):
        return loads(kept.payload), kept.computed_at
    sections = figures(session, scope, period, now, locale, tz, public=True)
    keep(session, key, kept, sections, now)
    return sections, now


def refresh(session, now: datetime, today, tz, locales, in_language, done=lambda: None) -> tuple[int, int]:
    """Work out and keep the public figures of every community and grid, for each public period and
    each of `locales` (Babel names; `in_language(locale)` makes that the language of the labels); then
    delete kept copies nobody has worked out for a day (yesterday's "this month", say).
    Returns (pages kept, copies deleted); `done` is called after each page."""
    kept = 0
    for scope in public_scopes(session):
        for kind in PUBLIC_PERIODS:
            period = calendar_period(kind, today, tz)
            made = {}
            for locale in locales:
                with in_language(locale):
                    made[locale] = figures(session, scope, period, clock.utcnow(), locale, tz)
            protect_alike([[t for s in sections for t in s.tables] for sections in made.values()])
            for locale, sections in made.items():
                key = {"scope": scope_key(scope), "period": period_key(period, tz), "locale": locale}
                with in_language(locale):
                    existing = session.scalars(select(StoredFigures).filter_by(**key)).first()
                    keep(session, key, existing, sections, clock.utcnow())
                kept += 1
                done()
    old = session.execute(delete(StoredFigures).where(StoredFigures.computed_at < now - timedelta(days=1)))
    session.commit()
    return kept, old.rowcount


def protect_alike(pages: list[list[Table]]) -> None:
    """Suppress small counts on pages that show the same figures in different languages: the figures
    are hidden once, on the first page, and alike on every page whose tables, rows and figures match it."""
    first = pages[0]
    protect(first)
    for other in pages[1:]:
        if [_shape(t) for t in other] == [_shape(t) for t in first]:
            for table, model in zip(other, first, strict=True):
                table.hidden = dict(model.hidden)
        else:
            protect(other)


def _shape(table: Table) -> tuple:
    columns = [(c.key, c.kind, c.part, c.num, tuple(c.den), c.of) for c in table.columns]
    rows = [(r.key, r.total, sorted(r.values.items()), sorted(r.figures.items())) for r in table.rows]
    return table.key, table.across, columns, rows


def public_scopes(session) -> list[Scope]:
    """Every area with a public figures page: each community, then each of its grids."""
    communities = session.scalars(select(Community).order_by(Community.id)).all()
    return [scope for c in communities for scope in [Scope(c)] + [Scope(c, grid) for grid in c.grids]]


def keep(session, key: dict, existing, sections, now: datetime) -> None:
    payload = dumps(sections)
    if existing is not None:
        existing.payload, existing.computed_at = payload, now
    else:
        session.add(StoredFigures(**key, payload=payload, computed_at=now))
    try:
        session.commit()
    except IntegrityError:
        # Another process kept the same figures at the same moment; theirs are as fresh as these.
        session.rollback()


def scope_key(scope: Scope) -> str:
    return f"grid:{scope.grid.id}" if scope.grid is not None else f"community:{scope.community.id}"


def period_key(period, tz) -> str:
    return f"{period.kind}:{period.first.isoformat()}:{period.last.isoformat()}:{tz}"


def dumps(sections: list[Section]) -> str:
    """The sections as JSON; labels (lazy translations too) become text in the current language."""
    return json.dumps(
        [
            {"key": s.key, "title": s.title, "tables": [{**asdict(t), "hidden": list_hidden(t)} for t in s.tables]}
            for s in sections
        ],
        ensure_ascii=False,
        default=str,
    )


def list_hidden(table: Table) -> list:
    return [[row, column, state] for (row, column), state in table.hidden.items()]


def loads(payload: str) -> list[Section]:
    return [Section(s["key"], s["title"], [_table(t) for t in s["tables"]]) for s in json.loads(payload)]


def _table(data: dict) -> Table:
    columns = [Column(**{**c, "den": tuple(c["den"])}) for c in data.pop("columns")]
    rows = [Row(**r) for r in data.pop("rows")]
    hidden = {(row, column): state for row, column, state in data.pop("hidden")}
    return Table(**data, columns=columns, rows=rows, hidden=hidden)
