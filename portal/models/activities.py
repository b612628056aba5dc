"""Community activities (社区活动): an activity, the grids it is open to, and the sign-ups.

The database holds the invariants:
- places: CHECK (taken <= capacity) and CHECK (held_back <= capacity), and every place is taken with a
  conditional UPDATE (`SET taken = taken + 1 WHERE taken < capacity - held_back`; the desk may use the
  held-back places too: `WHERE taken < capacity`), see services/activities.py;
- one active sign-up (signed up, waiting or attended) per resident per activity: a partial unique index;
- waiting-list positions are handed out by a counter on the activity (UPDATE ... RETURNING).

Times are naive UTC like every other timestamp here.
"""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from ..extensions import db
from .areas import Community, Grid
from .people import Account, Resident, utcnow

ACTIVITY_STATES = ("open", "cancelled", "closed")
SIGNUP_STATES = ("signed_up", "waiting", "attended", "cancelled", "removed")
ACTIVE_SIGNUP_STATES = ("signed_up", "waiting", "attended")
_ACTIVE_SQL = "state IN ('signed_up', 'waiting', 'attended')"

activity_grids = Table(
    "activity_grid",
    db.metadata,
    Column("activity_id", Integer, ForeignKey("activity.id"), primary_key=True),
    Column("grid_id", Integer, ForeignKey("grid.id"), primary_key=True, index=True),
)


class Activity(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(160))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    # Sign-up closes at this moment (naive UTC); at the latest when the activity starts.
    signup_closes_at: Mapped[datetime]
    # Open to the whole community, or only to the grids in activity_grid.
    whole_community: Mapped[bool] = mapped_column(Boolean, default=True)
    capacity: Mapped[int]
    # Places only the staff desk may give (for people who come in person).
    held_back: Mapped[int] = mapped_column(default=0)
    # Places taken (signed up or attended), changed only by conditional UPDATEs.
    taken: Mapped[int] = mapped_column(default=0)
    waiting_list: Mapped[bool] = mapped_column(Boolean, default=True)
    # The last waiting-list position handed out (positions only grow; the order is arrival order).
    last_position: Mapped[int] = mapped_column(default=0)
    helpers_may_sign_up: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[str] = mapped_column(String(12), default="open")
    state_reason: Mapped[str] = mapped_column(String(300), default="")
    # Counted when the activity closes, and kept.
    attendance: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    community: Mapped[Community] = relationship()
    grids: Mapped[list[Grid]] = relationship(secondary=activity_grids, order_by="Grid.number")
    created_by: Mapped[Account | None] = relationship()

    __table_args__ = (
        CheckConstraint("state IN ('open', 'cancelled', 'closed')", name="state_known"),
        CheckConstraint("capacity BETWEEN 1 AND 10000", name="capacity_range"),
        CheckConstraint("held_back >= 0 AND held_back <= capacity", name="held_back_within_capacity"),
        CheckConstraint("taken >= 0", name="taken_not_negative"),
        CheckConstraint("taken <= capacity", name="within_capacity"),
        CheckConstraint("starts_at < ends_at", name="starts_before_end"),
        CheckConstraint("last_position >= 0", name="position_not_negative"),
        # The list of a community's upcoming activities, soonest first.
        Index("ix_activity_community_starts", "community_id", "starts_at"),
        # Everyone's list of what is coming up: open activities, soonest first.
        Index(
            "ix_activity_open_starts",
            "starts_at",
            sqlite_where=text("state = 'open'"),
            postgresql_where=text("state = 'open'"),
        ),
    )

    @property
    def places_left_online(self) -> int:
        """Places a resident can still take online, at a kiosk or through a helper."""
        return max(self.capacity - self.held_back - self.taken, 0)

    @property
    def places_left_at_desk(self) -> int:
        return max(self.capacity - self.taken, 0)


class ActivitySignup(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    # Short and unguessable, printed on the ticket and in its QR code.
    code: Mapped[str] = mapped_column(String(12), unique=True)
    state: Mapped[str] = mapped_column(String(12))
    # On the waiting list: the position handed out on arrival (lower is earlier).
    position: Mapped[int | None]
    at_desk: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(12), default="zh_Hans_CN")
    channel: Mapped[str] = mapped_column(String(20), default="online")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    promoted_at: Mapped[datetime | None]
    attended_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    # A resident without a mobile is phoned or visited instead of sent a text: why, and when it was done.
    call_reason: Mapped[str | None] = mapped_column(String(24))
    call_done_at: Mapped[datetime | None]
    # Where a waiting person is on the list now (1 is next), when a query loads it with
    # with_expression (My information); None otherwise.
    waiting_place: Mapped[int | None] = query_expression()

    activity: Mapped[Activity] = relationship()
    resident: Mapped[Resident] = relationship()
    entered_by: Mapped[Account | None] = relationship(foreign_keys=[entered_by_id])

    __table_args__ = (
        CheckConstraint(
            "state IN ('signed_up', 'waiting', 'attended', 'cancelled', 'removed')", name="signup_state_known"
        ),
        CheckConstraint("state <> 'waiting' OR position IS NOT NULL", name="waiting_has_position"),
        Index(
            "uq_activity_signup_one_active",
            "activity_id",
            "resident_id",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
        # The manage page and the waiting list: an activity's sign-ups by state, in order.
        Index("ix_activity_signup_activity_state", "activity_id", "state", "position"),
    )

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_SIGNUP_STATES
