"""Requests (诉求): filed in the period by category and state; per category the median hours to accept
and to resolve, the share resolved within the category's SLA (services/sla.py), and how many are
overdue now."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from ...models import Category, Request
from ...models.requests import REQUEST_STATES
from ...requests.words import STATE_LABELS
from ..sla import overdue_clause
from .context import Context
from .sql import SecondsBetween, counted, medians
from .table import Column, Row, Section, Table


def sections(ctx: Context) -> list[Section]:
    categories = ctx.session.scalars(select(Category).order_by(Category.position, Category.id)).all()
    return [Section("requests", _("Requests"), [by_state(ctx, categories), service_levels(ctx, categories)])]


def _in_period(ctx: Context) -> list:
    return [
        *ctx.scope.where(Request.community_id, Request.grid_id),
        Request.created_at >= ctx.period.start,
        Request.created_at < ctx.period.end,
    ]


def by_state(ctx: Context, categories) -> Table:
    found = {}
    query = select(Request.category_id, Request.state, func.count()).where(*_in_period(ctx))
    for category_id, state, n in ctx.session.execute(query.group_by(Request.category_id, Request.state)):
        found.setdefault(category_id, {})[state] = n
    columns = [Column(s, str(STATE_LABELS[s]), part=True) for s in REQUEST_STATES] + [Column("total", _("All"))]
    rows = []
    for category in categories:
        if category.id not in found and not category.active:
            continue
        values = {s: found.get(category.id, {}).get(s, 0) for s in REQUEST_STATES}
        values["total"] = sum(values.values())
        rows.append(Row(str(category.id), ctx.name(category), values))
    totals = {c.key: sum(r.values[c.key] for r in rows) for c in columns}
    rows.append(Row("total", _("All categories"), totals, total=True, figures={"total": "requests.total"}))
    return Table(
        key="requests_state",
        title=_("Requests by category and state"),
        description=_("Requests filed in the period, by category and by where each one is now."),
        columns=columns,
        rows=rows,
        chart="stack",
        across=True,
    )


def service_levels(ctx: Context, categories) -> Table:
    in_period = _in_period(ctx)
    resolved = Request.resolved_at.is_not(None)
    levels = {
        category_id: (n_resolved, n_within)
        for category_id, n_resolved, n_within in ctx.session.execute(
            select(
                Request.category_id, counted(resolved), counted(resolved & (Request.resolved_at <= Request.resolve_by))
            )
            .where(*in_period)
            .group_by(Request.category_id)
        )
    }
    overdue = dict(
        ctx.session.execute(
            select(Request.category_id, func.count())
            .where(*ctx.scope.where(Request.community_id, Request.grid_id), overdue_clause(ctx.now))
            .group_by(Request.category_id)
        ).all()
    )
    to_accept = SecondsBetween(Request.accepted_at, Request.created_at)
    to_resolve = SecondsBetween(Request.resolved_at, Request.created_at)
    accept = medians(ctx.session, to_accept, in_period, Request.category_id)
    resolve = medians(ctx.session, to_resolve, in_period, Request.category_id)
    accept_all = medians(ctx.session, to_accept, in_period)
    resolve_all = medians(ctx.session, to_resolve, in_period)
    rows = []
    for category in categories:
        if category.id not in levels and category.id not in overdue and not category.active:
            continue
        n_resolved, n_within = levels.get(category.id, (0, 0))
        rows.append(
            Row(
                str(category.id),
                ctx.name(category),
                _values(
                    n_resolved, n_within, overdue.get(category.id, 0), accept.get(category.id), resolve.get(category.id)
                ),
            )
        )
    rows.append(
        Row(
            "total",
            _("All categories"),
            _values(
                *(sum(r.values[k] for r in rows) for k in ("resolved", "within_sla", "overdue")),
                accept_all,
                resolve_all,
            ),
            total=True,
        )
    )
    return Table(
        key="requests_sla",
        title=_("How quickly requests are dealt with"),
        description=_(
            "For requests filed in the period: the median hours until someone accepted them and until they were "
            "resolved, and the share resolved within the category's promised time. Overdue counts every open "
            "request that is late now."
        ),
        columns=[
            Column("accept_hours", _("Median hours to accept"), "hours", of="n_accepted"),
            Column("resolve_hours", _("Median hours to resolve"), "hours", of="resolved"),
            Column("resolved", _("Resolved")),
            Column("within_sla", _("Resolved in time")),
            Column("within_sla_share", _("Share resolved in time"), "share", "within_sla", ("resolved",)),
            Column("overdue", _("Overdue now")),
        ],
        rows=rows,
        chart_column="within_sla_share",
    )


def _values(n_resolved, n_within, n_overdue, accept, resolve) -> dict:
    accept, resolve = accept or (None, 0), resolve or (None, 0)
    return {
        "resolved": n_resolved,
        "within_sla": n_within,
        "overdue": n_overdue,
        "accept_hours": None if accept[0] is None else accept[0] / 3600,
        "n_accepted": accept[1],
        "resolve_hours": None if resolve[0] is None else resolve[0] / 3600,
    }
