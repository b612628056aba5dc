"""Mutual aid (邻里互助, issue 11): per grid, the needs and offers posted in the period, the matches the grid
worker confirmed in it and the posts marked done in it; and how the posts came in, by channel (self-service,
kiosk, helper): the digital-inclusion measure for this part."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from ...models import AidMatch, AidPost
from .channels import _mix
from .context import Context
from .table import Column, Row, Section, Table

FIGURES = ("posts", "matches", "done")


def sections(ctx: Context) -> list[Section]:
    return [Section("aid", _("Mutual aid"), [per_grid(ctx), post_mix(ctx)])]


def _in_period(ctx: Context, column) -> list:
    return [
        *ctx.scope.where(AidPost.community_id, AidPost.grid_id),
        column >= ctx.period.start,
        column < ctx.period.end,
    ]


def _by_grid(ctx: Context, query) -> dict:
    return dict(ctx.session.execute(query.group_by(AidPost.grid_id)).all())


def per_grid(ctx: Context) -> Table:
    found = {
        "posts": _by_grid(ctx, select(AidPost.grid_id, func.count()).where(*_in_period(ctx, AidPost.created_at))),
        "matches": _by_grid(
            ctx,
            select(AidPost.grid_id, func.count())
            .select_from(AidMatch)
            .join(AidPost, AidMatch.post_id == AidPost.id)
            .where(AidMatch.state == "confirmed", *_in_period(ctx, AidMatch.decided_at)),
        ),
        "done": _by_grid(ctx, select(AidPost.grid_id, func.count()).where(*_in_period(ctx, AidPost.done_at))),
    }
    rows = [
        Row(str(grid.id), ctx.name(grid), {key: found[key].get(grid.id, 0) for key in FIGURES})
        for grid in ctx.scope.grids
    ]
    if ctx.scope.grid is None:
        rows.append(Row("total", _("All grids"), {k: sum(r.values[k] for r in rows) for k in FIGURES}, total=True))
    return Table(
        key="aid",
        title=_("Needs and offers, matches and help given"),
        description=_(
            "Needs and offers posted in the period, matches the grid worker confirmed in the period, and posts "
            "marked done in the period."
        ),
        columns=[
            Column("posts", _("Posts")),
            Column("matches", _("Posts matched")),
            Column("done", _("Help given (done)")),
        ],
        rows=rows,
        chart="bar",
        chart_column="posts",
    )


def post_mix(ctx: Context) -> Table:
    return _mix(
        ctx,
        "aid",
        _("How residents posted needs and offers"),
        _("Needs and offers posted in the period, by who entered them."),
        select(AidPost.grid_id, AidPost.channel, func.count()).where(*_in_period(ctx, AidPost.created_at)),
        (AidPost.grid_id, AidPost.channel),
        None,
    )
