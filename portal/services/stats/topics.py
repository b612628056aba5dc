"""Topics and meetings (议事会, issue 11): per grid, the topics proposed in the period and those decided in
it (a topic for the whole community has a row of its own), and how residents gave their supports in the
period, by channel (self-service, kiosk, helper): the digital-inclusion measure for this part."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from ...models import Resident, Topic, TopicSupport
from .channels import _mix
from .context import Context
from .table import Column, Row, Section, Table

COMMUNITY_ROW = "community"


def sections(ctx: Context) -> list[Section]:
    return [Section("topics", _("Topics and meetings"), [per_grid(ctx), support_mix(ctx)])]


def _count_by_grid(ctx: Context, column) -> dict:
    where = [Topic.community_id == ctx.scope.community.id, column >= ctx.period.start, column < ctx.period.end]
    if ctx.scope.grid is not None:
        where.append(Topic.grid_id == ctx.scope.grid.id)
    return dict(ctx.session.execute(select(Topic.grid_id, func.count()).where(*where).group_by(Topic.grid_id)).all())


def per_grid(ctx: Context) -> Table:
    proposed = _count_by_grid(ctx, Topic.created_at)
    decided = _count_by_grid(ctx, Topic.decided_at)
    rows = [
        Row(str(grid.id), ctx.name(grid), {"proposed": proposed.get(grid.id, 0), "decided": decided.get(grid.id, 0)})
        for grid in ctx.scope.grids
    ]
    if ctx.scope.grid is None:
        rows.append(
            Row(
                COMMUNITY_ROW,
                _("The whole community"),
                {"proposed": proposed.get(None, 0), "decided": decided.get(None, 0)},
            )
        )
        rows.append(
            Row("total", _("All"), {k: sum(r.values[k] for r in rows) for k in ("proposed", "decided")}, total=True)
        )
    return Table(
        key="topics",
        title=_("Topics proposed and decided"),
        description=_(
            "Topics for the neighbours' meeting proposed in the period, for a grid or for the whole community, "
            "and topics whose outcome was recorded in the period."
        ),
        columns=[Column("proposed", _("Topics proposed")), Column("decided", _("Topics decided"))],
        rows=rows,
        chart="bar",
        chart_column="proposed",
    )


def support_mix(ctx: Context) -> Table:
    return _mix(
        ctx,
        "topics",
        _("How residents supported topics"),
        _("Supports given to topics in the period (withdrawn ones too), by who gave the support."),
        select(Resident.grid_id, TopicSupport.channel, func.count())
        .join(Resident, TopicSupport.resident_id == Resident.id)
        .where(
            *ctx.scope.where(Resident.community_id, Resident.grid_id),
            TopicSupport.created_at >= ctx.period.start,
            TopicSupport.created_at < ctx.period.end,
        ),
        (Resident.grid_id, TopicSupport.channel),
        None,
    )
