"""Printed posters whose QR code points at /j/<code>.

A poster is generic: `kind` says what it is for, and one nullable foreign key says for which place:
'grid' join posters point at a grid (grid_id), 'station' posters at a health station (station_id),
'activity' posters at a community activity (activity_id).
Other capabilities (events, ...) add their own kind and column. A code can be retired and replaced:
the old row stays, so its scan and sign-up counts remain visible and its code gets a friendly 410.
"""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .activities import Activity
from .areas import Community, Grid
from .health import Station
from .people import utcnow


class Poster(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    # Short random code in the QR's URL (see services/posters.py). Never derived from a database id.
    code: Mapped[str] = mapped_column(String(8), unique=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    retired_at: Mapped[datetime | None]
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("poster.id"))
    # Counted with single UPDATE ... SET scans = scans + 1 statements, so concurrent scans never get lost.
    scans: Mapped[int] = mapped_column(default=0)
    signups: Mapped[int] = mapped_column(default=0)
    # Station posters: appointments booked by people who arrived from this poster (portal/health/poster.py).
    bookings: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    community: Mapped[Community] = relationship()
    grid: Mapped[Grid | None] = relationship()
    station: Mapped[Station | None] = relationship()
    activity: Mapped[Activity | None] = relationship()
    replaced_by: Mapped["Poster | None"] = relationship(remote_side=[id])

    __table_args__ = (
        CheckConstraint("kind <> 'grid' OR grid_id IS NOT NULL", name="grid_poster_has_grid"),
        # A station poster points at a station and nothing else; only station posters point at a station.
        CheckConstraint(
            "(kind = 'station' AND station_id IS NOT NULL AND grid_id IS NULL)"
            " OR (kind <> 'station' AND station_id IS NULL)",
            name="station_poster_has_station",
        ),
        # An activity poster points at an activity and nothing else; only activity posters point at one.
        CheckConstraint(
            "(kind = 'activity' AND activity_id IS NOT NULL AND grid_id IS NULL AND station_id IS NULL)"
            " OR (kind <> 'activity' AND activity_id IS NULL)",
            name="activity_poster_has_activity",
        ),
        CheckConstraint("active OR retired_at IS NOT NULL", name="retired_has_date"),
        CheckConstraint("scans >= 0 AND signups >= 0", name="counts_not_negative"),
        CheckConstraint("bookings >= 0", name="bookings_not_negative"),
        # At most one working join poster per grid, even when two staff open the posters page at once.
        Index(
            "uq_poster_active_grid",
            "grid_id",
            unique=True,
            sqlite_where=text("active AND kind = 'grid'"),
            postgresql_where=text("active AND kind = 'grid'"),
        ),
        # ... and at most one working poster per health station.
        Index(
            "uq_poster_active_station",
            "station_id",
            unique=True,
            sqlite_where=text("active AND kind = 'station'"),
            postgresql_where=text("active AND kind = 'station'"),
        ),
        Index(
            "uq_poster_active_activity",
            "activity_id",
            unique=True,
            sqlite_where=text("active AND kind = 'activity'"),
            postgresql_where=text("active AND kind = 'activity'"),
        ),
    )

    @property
    def place(self):
        """What the poster is for: its grid or its station (both have name / name_en for the `loc` filter)."""
        if self.kind == "activity":
            return self.activity
        return self.grid if self.kind == "grid" else self.station
