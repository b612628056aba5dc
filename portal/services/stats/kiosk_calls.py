"""Calls for a staff member from the community's kiosks (issue 13): per kiosk, how many were answered within
the five minutes (services/staff_calls.ANSWER_WITHIN), later, or not at all; and per hour of the day, when
people needed someone. Kiosks serve the whole community, so a grid's page has no such figures."""

from datetime import UTC

from flask_babel import gettext as _
from sqlalchemy import func, select

from ...models import Kiosk, StaffCall
from ..staff_calls import ANSWER_WITHIN
from .context import Context
from .sql import SecondsBetween, counted
from .table import Column, Row, Section, Table


def sections(ctx: Context) -> list[Section]:
    if ctx.scope.grid is not None:
        return []
    return [Section("kiosk_calls", _("Calls for a staff member from kiosks"), [per_kiosk(ctx), per_hour(ctx)])]


def _in_period(ctx: Context) -> list:
    return [
        StaffCall.community_id == ctx.scope.community.id,
        StaffCall.raised_at >= ctx.period.start,
        StaffCall.raised_at < ctx.period.end,
    ]


def per_kiosk(ctx: Context) -> Table:
    answered = StaffCall.answered_at.is_not(None)
    in_time = answered & (SecondsBetween(StaffCall.answered_at, StaffCall.raised_at) <= ANSWER_WITHIN.total_seconds())
    found = {
        kiosk_id: {"in_time": n_in_time, "late": n_answered - n_in_time, "unanswered": n - n_answered}
        for kiosk_id, n, n_answered, n_in_time in ctx.session.execute(
            select(StaffCall.kiosk_id, func.count(), counted(answered), counted(in_time))
            .where(*_in_period(ctx))
            .group_by(StaffCall.kiosk_id)
        )
    }
    kiosks = ctx.session.scalars(
        select(Kiosk).where(Kiosk.community_id == ctx.scope.community.id).order_by(Kiosk.id)
    ).all()
    keys = ("in_time", "late", "unanswered")
    rows = []
    for kiosk in kiosks:
        values = {k: int(found.get(kiosk.id, {}).get(k, 0)) for k in keys}
        values["total"] = sum(values.values())
        rows.append(Row(str(kiosk.id), ctx.name(kiosk), values))
    rows.append(
        Row("total", _("All kiosks"), {k: sum(r.values[k] for r in rows) for k in (*keys, "total")}, total=True)
    )
    minutes = int(ANSWER_WITHIN.total_seconds() // 60)
    return Table(
        key="kiosk_calls",
        title=_("Calls from each kiosk"),
        description=_(
            "Presses of “Call a staff member” in the period, by kiosk: answered within %(minutes)d minutes, "
            "answered later, or not answered.",
            minutes=minutes,
        ),
        columns=[
            Column("in_time", _("Answered within %(minutes)d minutes", minutes=minutes), part=True),
            Column("late", _("Answered later"), part=True),
            Column("unanswered", _("Not answered"), part=True),
            Column("total", _("All calls")),
        ],
        rows=rows,
        chart="stack",
        across=True,
    )


def per_hour(ctx: Context) -> Table:
    """Calls by the hour of the day they were made, in the portal's time zone. StaffCall.hour is the UTC hour
    of each call (indexed), so the database groups by it and the few groups are turned into local hours."""
    by_hour = {}
    for hour, n in ctx.session.execute(
        select(StaffCall.hour, func.count()).where(*_in_period(ctx)).group_by(StaffCall.hour)
    ):
        local = hour.replace(tzinfo=UTC).astimezone(ctx.tz).hour
        by_hour[local] = by_hour.get(local, 0) + n
    shown = sorted(set(range(8, 18)) | set(by_hour))
    rows = [Row(f"h{h:02d}", f"{h:02d}:00–{(h + 1) % 24:02d}:00", {"calls": by_hour.get(h, 0)}) for h in shown]
    rows.append(Row("total", _("All hours"), {"calls": sum(by_hour.values())}, total=True))
    return Table(
        key="kiosk_calls_hours",
        title=_("Calls by hour of the day"),
        description=_("When residents at a kiosk asked for a person: calls in the period, by the hour they were made."),
        columns=[Column("calls", _("Calls"))],
        rows=rows,
        chart="bar",
        chart_column="calls",
    )
