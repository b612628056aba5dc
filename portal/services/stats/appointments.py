"""Health-station appointments for days in the period: places offered, booked, attended, did not come,
and the no-show rate, per station and service. For one grid: its residents' appointments (the places
belong to the whole community's stations, so they are not shown)."""

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ...models import Booking, Resident, Service, Slot, Station
from .context import Context
from .table import Column, Row, Section, Table

STATUS_COLUMNS = {"checked_in": "attended", "no_show": "no_show", "booked": "waiting"}


def sections(ctx: Context) -> list[Section]:
    return [Section("appointments", _("Health-station appointments"), [appointments(ctx)])]


def appointments(ctx: Context) -> Table:
    first, last = ctx.period.first, ctx.period.last
    community_id = ctx.scope.community.id
    services = ctx.session.scalars(
        select(Service)
        .join(Station, Service.station_id == Station.id)
        .where(Station.community_id == community_id)
        .order_by(Station.id, Service.id)
        .options(joinedload(Service.station))
    ).all()
    places = dict(
        ctx.session.execute(
            select(Slot.service_id, func.sum(Slot.capacity))
            .join(Service, Slot.service_id == Service.id)
            .join(Station, Service.station_id == Station.id)
            .where(Station.community_id == community_id, Slot.day >= first, Slot.day <= last, Slot.closed.is_(False))
            .group_by(Slot.service_id)
        ).all()
    )
    booked = {}
    for service_id, status, n in ctx.session.execute(
        select(Booking.service_id, Booking.status, func.count())
        .join(Resident, Booking.resident_id == Resident.id)
        .where(
            *ctx.scope.where(Resident.community_id, Resident.grid_id),
            Booking.day >= first,
            Booking.day <= last,
            Booking.status != "cancelled",
        )
        .group_by(Booking.service_id, Booking.status)
    ):
        booked.setdefault(service_id, {})[STATUS_COLUMNS.get(status, "waiting")] = n
    per_grid = ctx.scope.grid is not None
    rows = []
    for service in services:
        counts = booked.get(service.id, {})
        if not counts and not places.get(service.id) and not service.active:
            continue
        values = {k: counts.get(k, 0) for k in ("attended", "no_show", "waiting")}
        values["total"] = sum(values.values())
        if not per_grid:
            values["places"] = int(places.get(service.id) or 0)
        rows.append(Row(str(service.id), f"{ctx.name(service.station)} · {ctx.name(service)}", values))
    keys = ["attended", "no_show", "waiting", "total"] + ([] if per_grid else ["places"])
    rows.append(Row("total", _("All services"), {k: sum(r.values[k] for r in rows) for k in keys}, total=True))
    columns = [] if per_grid else [Column("places", _("Places offered"), "places")]
    columns += [
        Column("total", _("Booked")),
        Column("attended", _("Came"), part=True),
        Column("no_show", _("Did not come"), part=True),
        Column("waiting", _("Not yet seen"), part=True),
        Column("no_show_rate", _("No-show rate"), "share", "no_show", ("attended", "no_show")),
    ]
    return Table(
        key="appointments",
        title=_("Appointments per station and service"),
        description=_(
            "Appointments on days in the period, not counting cancelled ones: places offered, booked, and whether "
            "the resident came. The no-show rate counts only appointments already marked."
        ),
        columns=columns,
        rows=rows,
        chart="stack",
        across=True,
    )
