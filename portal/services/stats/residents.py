"""Residents: how many, per grid (or per building of one grid), and the share without a smartphone
or needing help; sign-ups per month."""

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ...models import Building, Resident
from ..dates import babel_locale, day_words
from .context import Context
from .sql import counted, month_bucket
from .table import THRESHOLD, Column, Row, Section, Table

NO_SMARTPHONE = or_(Resident.no_smartphone.is_(True), Resident.phone.is_(None))
# The same rule as Resident.needs_help, in SQL.
NEEDS_HELP = or_(
    Resident.phone.is_(None),
    Resident.lives_alone.is_(True),
    Resident.difficulty_walking.is_(True),
    Resident.no_smartphone.is_(True),
)


def sections(ctx: Context) -> list[Section]:
    return [Section("residents", _("Residents"), [people(ctx), joined(ctx)])]


def people(ctx: Context) -> Table:
    by_building = ctx.scope.grid is not None
    group = Resident.building_id if by_building else Resident.grid_id
    found = {
        key: (n, no_phone, help_)
        for key, n, no_phone, help_ in ctx.session.execute(
            select(group, func.count(), counted(NO_SMARTPHONE), counted(NEEDS_HELP))
            .where(*ctx.scope.where(Resident.community_id, Resident.grid_id), Resident.created_at < ctx.period.end)
            .group_by(group)
        )
    }
    places = (
        ctx.session.scalars(select(Building).where(Building.grid_id == ctx.scope.grid.id).order_by(Building.name))
        if by_building
        else ctx.scope.grids
    )
    rows, small = [], [0, 0, 0]
    for place in places:
        n, no_phone, help_ = found.get(place.id, (0, 0, 0))
        if by_building and ctx.public and n < THRESHOLD:
            # No building with fewer than 5 residents is shown on its own.
            small = [small[0] + n, small[1] + no_phone, small[2] + help_]
            continue
        rows.append(Row(str(place.id), ctx.name(place), _values(n, no_phone, help_)))
    if by_building and ctx.public and any(small):
        rows.append(Row("other", _("Buildings with fewer than 5 residents"), _values(*small)))
    totals = [sum(r.values[k] for r in rows) for k in ("residents", "no_smartphone", "needs_help")]
    rows.append(Row("total", _("All"), _values(*totals), total=True))
    return Table(
        key="residents",
        title=_("Residents per building") if by_building else _("Residents per grid"),
        description=_(
            "Residents registered by the end of the period, how many of them have no smartphone, and how many "
            "need a visit or a call (no phone, living alone, difficulty walking or no smartphone)."
        ),
        columns=[
            Column("residents", _("Residents")),
            Column("no_smartphone", _("No smartphone")),
            Column("no_smartphone_share", _("Share without a smartphone"), "share", "no_smartphone", ("residents",)),
            Column("needs_help", _("Need help")),
            Column("needs_help_share", _("Share needing help"), "share", "needs_help", ("residents",)),
        ],
        rows=rows,
        chart_column="residents",
    )


def _values(n, no_phone, help_) -> dict:
    return {"residents": n, "no_smartphone": no_phone, "needs_help": help_}


def month_name(first, locale) -> str:
    return day_words(first, "yMMM", babel_locale(locale), skeleton=True)


def joined(ctx: Context) -> Table:
    months = ctx.period.months(ctx.tz)
    bucket = month_bucket(Resident.created_at, months)
    found = dict(
        ctx.session.execute(
            select(bucket, func.count())
            .where(
                *ctx.scope.where(Resident.community_id, Resident.grid_id),
                Resident.created_at >= ctx.period.start,
                Resident.created_at < ctx.period.end,
            )
            .group_by(bucket)
        ).all()
    )
    rows = [
        Row(first.strftime("%Y-%m"), month_name(first, ctx.locale), {"joined": found.get(i, 0)})
        for i, (first, _start, _end) in enumerate(months)
    ]
    rows.append(
        Row("total", _("All"), {"joined": sum(r.values["joined"] for r in rows)}, True, {"joined": "signups.total"})
    )
    return Table(
        key="joined",
        title=_("New residents per month"),
        description=_("Residents who joined in each month of the period, by any channel."),
        columns=[Column("joined", _("Joined"))],
        rows=rows,
        chart_column="joined",
    )
