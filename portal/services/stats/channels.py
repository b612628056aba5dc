"""The channel mix (the digital-inclusion figure): for sign-ups, bookings and requests made in the
period, how many came in by each channel (portal/channels.py), per grid."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...channels import CHANNELS
from ...models import Booking, Request, Resident
from .context import Context
from .table import Column, Row, Section, Table

CHANNEL_WORDS = {
    "online": _l("Online, on their own"),
    "qr": _l("QR poster"),
    "kiosk": _l("Kiosk"),
    "volunteer": _l("Volunteer"),
    "gridworker": _l("Grid worker"),
    "phone": _l("Phone"),
    "staff": _l("Community staff"),
    "open311": _l("A partner system (Open311)"),
    "seed": _l("Imported"),
    # Votes (网络微投票)
    "paper": _l("Paper ballot"),
}
# Always shown, even at 0: the channels people actually use. "seed" (imported records) only when present.
# "paper" is only a poll's ballot, never a sign-up, booking or request.
MAIN_CHANNELS = tuple(c for c in CHANNELS if c not in ("seed", "paper"))


def sections(ctx: Context) -> list[Section]:
    tables = [
        _mix(
            ctx,
            "signups",
            _("How residents signed up"),
            _("Residents who joined in the period, by the channel their record came in through."),
            select(Resident.grid_id, Resident.channel, func.count()).where(
                *ctx.scope.where(Resident.community_id, Resident.grid_id),
                Resident.created_at >= ctx.period.start,
                Resident.created_at < ctx.period.end,
            ),
            (Resident.grid_id, Resident.channel),
            "signups.total",
        ),
        _mix(
            ctx,
            "bookings",
            _("How appointments were booked"),
            _("Health-station appointments booked in the period, by who made the booking."),
            select(Resident.grid_id, Booking.channel, func.count())
            .join(Resident, Booking.resident_id == Resident.id)
            .where(
                *ctx.scope.where(Resident.community_id, Resident.grid_id),
                Booking.created_at >= ctx.period.start,
                Booking.created_at < ctx.period.end,
            ),
            (Resident.grid_id, Booking.channel),
            None,
        ),
        _mix(
            ctx,
            "requests",
            _("How requests were sent in"),
            _("Requests filed in the period, by the channel they came in through."),
            select(Request.grid_id, Request.channel, func.count()).where(
                *ctx.scope.where(Request.community_id, Request.grid_id),
                Request.created_at >= ctx.period.start,
                Request.created_at < ctx.period.end,
            ),
            (Request.grid_id, Request.channel),
            "requests.total",
        ),
    ]
    return [Section("channels", _("Channel mix: self-service, kiosk and helpers"), tables)]


def _mix(ctx, key, title, description, query, group, total_figure) -> Table:
    found = {}
    for grid_id, channel, n in ctx.session.execute(query.group_by(*group)):
        found.setdefault(grid_id, {}).setdefault(channel, 0)
        found[grid_id][channel] += n
    channels = list(MAIN_CHANNELS) + [c for c in CHANNELS if c == "seed" and any("seed" in v for v in found.values())]
    columns = [Column(c, str(CHANNEL_WORDS[c]), part=True) for c in channels] + [Column("total", _("All"))]
    rows = []
    for grid in ctx.scope.grids:
        counts = found.get(grid.id, {})
        values = {c: counts.get(c, 0) for c in channels}
        values["total"] = sum(values.values())
        rows.append(Row(str(grid.id), ctx.name(grid), values))
    if ctx.scope.grid is None:
        values = {c.key: sum(r.values[c.key] for r in rows) for c in columns}
        rows.append(Row("total", _("All grids"), values, total=True))
    if total_figure:
        rows[-1].figures["total"] = total_figure
    return Table(key=f"channels_{key}", title=title, description=description, columns=columns, rows=rows,
                 chart="stack", across=True)  # fmt: skip
