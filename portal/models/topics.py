"""Topics and meetings (议事会): residents and staff propose a topic for their grid or the whole community,
residents support it (one support per resident and topic), staff schedule a meeting for one or more topics
(a meeting is an Activity, linked through topic_meeting) and record the outcome in plain words.

The database holds the invariants:
- one active support per resident and topic: a partial unique index on the supports not withdrawn;
- the support count on the topic is changed only by conditional UPDATEs in the transaction that adds or
  withdraws the support (services/topics.py), and CHECK (supports >= 0) backs it up.

Times are naive UTC like every other timestamp here.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .activities import Activity
from .areas import Community, Grid
from .people import Account, Resident, utcnow

TOPIC_STATES = ("open", "decided", "closed", "hidden")
TITLE_LENGTH = 80
BODY_LENGTH = 800
_ACTIVE_SQL = "withdrawn_at IS NULL"

topic_meetings = Table(
    "topic_meeting",
    db.metadata,
    Column("topic_id", Integer, ForeignKey("topic.id"), primary_key=True),
    Column("activity_id", Integer, ForeignKey("activity.id"), primary_key=True, index=True),
)


class Topic(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    # The grid it is for, or None for the whole community.
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"))
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    body: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(12), default="open")
    # Why staff closed or hid it (shown with a closed topic; a hidden one is seen by staff only).
    state_reason: Mapped[str] = mapped_column(String(300), default="")
    # Active supports, changed only by conditional UPDATEs (services/topics.py).
    supports: Mapped[int] = mapped_column(default=0)
    # Who proposed it: a resident (themselves, at a kiosk or through a helper), or a member of staff.
    # A removed resident's topic stays, with no name (resident_id set to NULL).
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), index=True)
    proposed_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    channel: Mapped[str] = mapped_column(String(20), default="online")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The outcome of the meeting, in plain words, when staff recorded it.
    outcome: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    # The last change by staff (for clarity), when there was one; each change is a TopicEdit.
    edited_at: Mapped[datetime | None]
    moderated_at: Mapped[datetime | None]
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))

    community: Mapped[Community] = relationship()
    grid: Mapped[Grid | None] = relationship()
    resident: Mapped[Resident | None] = relationship()
    proposed_by_staff: Mapped[Account | None] = relationship(foreign_keys=[proposed_by_staff_id])
    entered_by: Mapped[Account | None] = relationship(foreign_keys=[entered_by_id])
    meetings: Mapped[list[Activity]] = relationship(secondary=topic_meetings, order_by="Activity.starts_at")

    __table_args__ = (
        CheckConstraint("state IN ('open', 'decided', 'closed', 'hidden')", name="topic_state_known"),
        CheckConstraint("supports >= 0", name="supports_not_negative"),
        # The topics list of a community or grid, most supported first.
        Index("ix_topic_community_supports", "community_id", "supports", "id"),
        Index("ix_topic_grid_supports", "grid_id", "supports", "id"),
    )


class TopicSupport(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="online")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]

    topic: Mapped[Topic] = relationship()
    resident: Mapped[Resident] = relationship()
    entered_by: Mapped[Account | None] = relationship(foreign_keys=[entered_by_id])

    __table_args__ = (
        Index(
            "uq_topic_support_one_active",
            "topic_id",
            "resident_id",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
    )


class TopicEdit(db.Model):
    """A change staff made to a topic for clarity: who, when, and the words before and after."""

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"), index=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
    title_before: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    title_after: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    body_before: Mapped[str] = mapped_column(Text)
    body_after: Mapped[str] = mapped_column(Text)

    editor: Mapped[Account] = relationship()
