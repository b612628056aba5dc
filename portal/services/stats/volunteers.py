"""The volunteer register (活地图, issue 11): per grid, the volunteers on the register at the end of the
period and how many offer each skill; and the call-outs sent in the period, with the volunteers they asked
and how those answered (coming, cannot come, no answer yet)."""

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from ...models import CallOut, CallOutReply, Volunteer
from ..volunteers import SKILLS
from .context import Context
from .table import Column, Row, Section, Table

ANSWER_KEYS = {"yes": "yes", "no": "no", None: "none"}


def sections(ctx: Context) -> list[Section]:
    return [Section("volunteers", _("Volunteer register"), [per_grid(ctx), callouts(ctx)])]


def _with_total_row(ctx: Context, rows: list, keys) -> list:
    if ctx.scope.grid is None:
        rows.append(Row("total", _("All grids"), {k: sum(r.values[k] for r in rows) for k in keys}, total=True))
    return rows


def per_grid(ctx: Context) -> Table:
    from ...volunteers.words import SKILL_WORDS  # the register's own words for its skills

    has_skill = [
        func.sum(case((Volunteer.skills.op("&")(1 << index) != 0, 1), else_=0)) for index in range(len(SKILLS))
    ]
    query = (
        select(Volunteer.grid_id, func.count(), *has_skill)
        .where(*ctx.scope.where(Volunteer.community_id, Volunteer.grid_id), Volunteer.created_at < ctx.period.end)
        .group_by(Volunteer.grid_id)
    )
    keys = ("volunteers", *SKILLS)
    found = {grid_id: dict(zip(keys, (int(n or 0) for n in figures), strict=True))
             for grid_id, *figures in ctx.session.execute(query)}  # fmt: skip
    rows = [Row(str(grid.id), ctx.name(grid), found.get(grid.id, dict.fromkeys(keys, 0))) for grid in ctx.scope.grids]
    return Table(
        key="volunteers",
        title=_("Volunteers and their skills"),
        description=_(
            "Volunteers on the register at the end of the period, and how many of them offer each skill "
            "(a volunteer may offer several)."
        ),
        columns=[Column("volunteers", _("Volunteers"))] + [Column(code, str(SKILL_WORDS[code])) for code in SKILLS],
        rows=_with_total_row(ctx, rows, keys),
        chart="bar",
        chart_column="volunteers",
    )


def callouts(ctx: Context) -> Table:
    in_period = [
        *ctx.scope.where(CallOut.community_id, CallOut.grid_id),
        CallOut.created_at >= ctx.period.start,
        CallOut.created_at < ctx.period.end,
    ]
    sent = dict(
        ctx.session.execute(select(CallOut.grid_id, func.count()).where(*in_period).group_by(CallOut.grid_id)).all()
    )
    answers = {}
    for grid_id, answer, number in ctx.session.execute(
        select(CallOut.grid_id, CallOutReply.answer, func.count())
        .join(CallOut, CallOutReply.callout_id == CallOut.id)
        .where(*in_period)
        .group_by(CallOut.grid_id, CallOutReply.answer)
    ):
        answers.setdefault(grid_id, {})[ANSWER_KEYS.get(answer, "none")] = number
    keys = ("callouts", "yes", "no", "none", "total")
    rows = []
    for grid in ctx.scope.grids:
        values = {"callouts": sent.get(grid.id, 0)}
        values |= {k: answers.get(grid.id, {}).get(k, 0) for k in ("yes", "no", "none")}
        values["total"] = values["yes"] + values["no"] + values["none"]
        rows.append(Row(str(grid.id), ctx.name(grid), values))
    return Table(
        key="volunteer_callouts",
        title=_("Call-outs and how volunteers answered"),
        description=_(
            "Call-outs sent to volunteers in the period, the volunteers they asked, and their answers so far."
        ),
        columns=[
            Column("callouts", _("Call-outs sent")),
            Column("yes", _("Coming"), part=True),
            Column("no", _("Cannot come"), part=True),
            Column("none", _("No answer yet"), part=True),
            Column("total", _("Volunteers asked")),
        ],
        rows=_with_total_row(ctx, rows, keys),
        chart="stack",
        across=True,
    )
