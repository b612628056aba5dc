"""Community activities (issue 12): how residents signed up for activities (the channel mix, per grid), and
for the activities that start in the period: places, sign-ups, the waiting list now, who came (checked in;
the count kept at closing is the same figure), who did not, and cancelled sign-ups.

For one grid: the activities open to that grid or to the whole community, and only its residents' sign-ups
(the places are shared with other grids, so they are not shown)."""

from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select

from ...models import Activity, ActivitySignup, Resident, activity_grids
from ..dates import short_date
from .channels import _mix
from .context import Context
from .residents import month_name
from .table import Column, Row, Section, Table

# Sign-up state -> column. A place still held when the activity has closed is a person who did not come;
# before that, someone not yet marked.
STATE_COLUMNS = {"attended": "came", "waiting": "waiting", "cancelled": "cancelled", "removed": "cancelled"}
PARTS = ("came", "no_show", "pending")


def sections(ctx: Context) -> list[Section]:
    return [Section("activities", _("Community activities"), [activity_mix(ctx), per_activity(ctx)])]


def activity_mix(ctx: Context) -> Table:
    return _mix(
        ctx,
        "activities",
        _("How residents signed up for activities"),
        _("Sign-ups to community activities made in the period, by who made the sign-up."),
        select(Resident.grid_id, ActivitySignup.channel, func.count())
        .join(Resident, ActivitySignup.resident_id == Resident.id)
        .where(
            *ctx.scope.where(Resident.community_id, Resident.grid_id),
            ActivitySignup.created_at >= ctx.period.start,
            ActivitySignup.created_at < ctx.period.end,
        ),
        (Resident.grid_id, ActivitySignup.channel),
        None,
    )


def _activities_where(ctx: Context) -> list:
    clauses = [
        Activity.community_id == ctx.scope.community.id,
        Activity.starts_at >= ctx.period.start,
        Activity.starts_at < ctx.period.end,
    ]
    if ctx.scope.grid is not None:
        open_to_grid = exists().where(
            activity_grids.c.activity_id == Activity.id, activity_grids.c.grid_id == ctx.scope.grid.id
        )
        clauses.append(or_(Activity.whole_community.is_(True), open_to_grid))
    return clauses


def per_activity(ctx: Context) -> Table:
    where = _activities_where(ctx)
    activities = ctx.session.execute(
        select(Activity.id, Activity.title, Activity.starts_at, Activity.capacity, Activity.state)
        .where(*where)
        .order_by(Activity.starts_at, Activity.id)
    ).all()
    signups = (
        select(ActivitySignup.activity_id, ActivitySignup.state, func.count())
        .join(Activity, ActivitySignup.activity_id == Activity.id)
        .where(*where)
        .group_by(ActivitySignup.activity_id, ActivitySignup.state)
    )
    if ctx.scope.grid is not None:
        signups = signups.join(Resident, ActivitySignup.resident_id == Resident.id).where(
            Resident.grid_id == ctx.scope.grid.id
        )
    found = {}
    for activity_id, state, n in ctx.session.execute(signups):
        found.setdefault(activity_id, {})[state] = n
    per_grid = ctx.scope.grid is not None
    keys = [*PARTS, "total", "waiting", "cancelled"] + ([] if per_grid else ["places"])
    rows, starts = [], []
    for activity_id, title, starts_at, capacity, state in activities:
        counts = found.get(activity_id, {})
        values = {k: 0 for k in keys}
        for signup_state, n in counts.items():
            column = STATE_COLUMNS.get(signup_state)
            if signup_state == "signed_up":
                column = "no_show" if state == "closed" else "pending"
            if column:
                values[column] += n
        values["total"] = sum(values[k] for k in PARTS)
        if not per_grid:
            values["places"] = capacity
        label = f"{short_date(starts_at, ctx.locale, ctx.tz)} · {title}"
        rows.append(Row(str(activity_id), label, values))
        starts.append(starts_at)
    months = ctx.period.months(ctx.tz)
    by_month = len(months) > 1
    if by_month:
        # A year has hundreds of activities: over more than a month, one row per month keeps the table short.
        keys.append("activities")
        rows = [_month_row(first, start, end, rows, starts, keys, ctx.locale) for first, start, end in months]
    rows.append(Row("total", _("All activities"), {k: sum(r.values[k] for r in rows) for k in keys}, total=True))
    columns = [Column("activities", _("Activities"), "places")] if by_month else []
    columns += [] if per_grid else [Column("places", _("Places"), "places")]
    columns += [
        Column("total", _("Signed up")),
        Column("came", _("Came"), part=True),
        Column("no_show", _("Did not come"), part=True),
        Column("pending", _("Not yet marked"), part=True),
        Column("waiting", _("Waiting now")),
        Column("cancelled", _("Cancelled sign-ups")),
    ]
    return Table(
        key="activities",
        title=_("Activities that start in the period"),
        description=_(
            "For each month of the period, the activities that start in it, added up: how many, their places, "
            "the people who hold a place (signed up), and whether they came: checked in, or still holding a place "
            "when the activity was closed (did not come). Also the people on the waiting list now and the "
            "sign-ups that were cancelled or removed."
        )
        if by_month
        else _(
            "For each activity: places, the people who hold a place (signed up), and whether they came: checked "
            "in, or still holding a place when the activity was closed (did not come). Also the people on the "
            "waiting list now and the sign-ups that were cancelled or removed."
        ),
        columns=columns,
        rows=rows,
        chart="stack",
        across=True,
    )


def _month_row(first, start, end, rows, starts, keys, locale) -> Row:
    """The activities that start in one month (UTC start to end), added up."""
    inside = [row for row, starts_at in zip(rows, starts, strict=True) if start <= starts_at < end]
    values = {k: sum(row.values[k] for row in inside) for k in keys if k != "activities"}
    values["activities"] = len(inside)
    return Row(first.strftime("%Y-%m"), month_name(first, locale), values)
