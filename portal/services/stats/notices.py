"""Notices (issue 12): per grid, the notices that were current in the period (posted to the whole community or
to that grid, not withdrawn before the period began) and how many of the grid's residents opened them in the
period: each resident counted once (residents), and each notice a resident opened counted once (openings)."""

from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select

from ...models import Grid, Notice, NoticeRead, Resident, notice_grids
from .context import Context
from .table import Column, Row, Section, Table


def sections(ctx: Context) -> list[Section]:
    return [Section("notices", _("Notices"), [per_grid(ctx)])]


def _current(ctx: Context) -> list:
    return [
        Notice.community_id == ctx.scope.community.id,
        Notice.starts_on <= ctx.period.last,
        Notice.ends_on >= ctx.period.first,
        or_(Notice.withdrawn_at.is_(None), Notice.withdrawn_at >= ctx.period.start),
    ]


def per_grid(ctx: Context) -> Table:
    posted_to = exists().where(notice_grids.c.notice_id == Notice.id, notice_grids.c.grid_id == Grid.id)
    notices = dict(
        ctx.session.execute(
            select(Grid.id, func.count(Notice.id))
            .join(Notice, Notice.community_id == Grid.community_id)
            .where(*ctx.scope.where(Grid.community_id, Grid.id), *_current(ctx))
            .where(or_(Notice.whole_community.is_(True), posted_to))
            .group_by(Grid.id)
        ).all()
    )
    reads = {
        grid_id: (residents, openings)
        for grid_id, residents, openings in ctx.session.execute(
            select(Resident.grid_id, func.count(func.distinct(NoticeRead.resident_id)), func.count())
            .join(Notice, NoticeRead.notice_id == Notice.id)
            .join(Resident, NoticeRead.resident_id == Resident.id)
            .where(
                *ctx.scope.where(Resident.community_id, Resident.grid_id),
                *_current(ctx),
                NoticeRead.read_at >= ctx.period.start,
                NoticeRead.read_at < ctx.period.end,
            )
            .group_by(Resident.grid_id)
        )
    }
    rows = []
    for grid in ctx.scope.grids:
        residents, openings = reads.get(grid.id, (0, 0))
        values = {"notices": int(notices.get(grid.id, 0)), "residents": residents, "openings": openings}
        rows.append(Row(str(grid.id), ctx.name(grid), values))
    if ctx.scope.grid is None:
        # A notice to the whole community is current in every grid: the community's own count, not a sum.
        everywhere = ctx.session.scalar(select(func.count(Notice.id)).where(*_current(ctx)))
        values = {k: sum(r.values[k] for r in rows) for k in ("residents", "openings")}
        rows.append(Row("total", _("All grids"), {"notices": int(everywhere or 0), **values}, total=True))
    return Table(
        key="notices",
        title=_("Notices and who read them"),
        description=_(
            "Notices current in the period in each grid, and the residents of the grid who opened one in the "
            "period: each resident counted once, and each notice a resident opened counted once."
        ),
        columns=[
            # How many notices were posted: not people, so never hidden (and not a sum: see above).
            Column("notices", _("Notices current"), "places"),
            Column("residents", _("Residents who opened one")),
            Column("openings", _("Notices opened")),
        ],
        rows=rows,
        chart="bar",
        chart_column="residents",
    )
