"""Mutual aid (邻里互助): a resident posts a need or an offer for their grid or the whole community, a
neighbour says "I can help" or "I would like this" (a proposed match), the grid worker phones or visits both
sides and confirms what was agreed (or declines with a reason), and the post is marked done. Contact between
neighbours is relayed by the grid worker: nothing here is ever shown to a neighbour unmasked.

The database holds the invariants:
- one proposal per post and resident: a unique constraint on (post_id, resident_id);
- one report per post and resident: a unique constraint on (post_id, resident_id);
- state changes of a post and a match are conditional UPDATEs (services/aid.py), so two grid workers
  confirming at once, or a resident closing while the worker confirms, leave one outcome.

Times are naive UTC like every other timestamp here.
"""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .areas import Building, Community, Grid
from .people import Account, Resident, utcnow

AID_KINDS = ("need", "offer")
AID_CATEGORIES = ("errand", "item", "company", "repair", "other")
AID_POST_STATES = ("open", "matched", "done", "closed", "hidden", "expired")
AID_MATCH_STATES = ("proposed", "confirmed", "declined")
AID_TEXT_LENGTH = 300


def _known(column: str, values: tuple) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class AidPost(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    # The poster's grid; `whole_community` says whether neighbours beyond it see the post too.
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"))
    whole_community: Mapped[bool] = mapped_column(Boolean, default=False)
    # The poster's building when they posted: what neighbours see of where (never the room).
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    # A removed resident's post stays, with no name (resident_id set to NULL).
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    category: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(String(AID_TEXT_LENGTH))
    state: Mapped[str] = mapped_column(String(10), default="open")
    # Why it was closed or hidden (by its resident or the grid worker).
    state_reason: Mapped[str] = mapped_column(String(300), default="")
    channel: Mapped[str] = mapped_column(String(20), default="online")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    # Set once, by a conditional UPDATE, when the "still needed?" reminder went out.
    reminded_at: Mapped[datetime | None]
    matched_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    moderated_at: Mapped[datetime | None]
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    # Reports not yet looked at by the grid worker (the queue lists posts with some).
    open_reports: Mapped[int] = mapped_column(default=0)

    community: Mapped[Community] = relationship()
    grid: Mapped[Grid] = relationship()
    building: Mapped[Building | None] = relationship()
    resident: Mapped[Resident | None] = relationship()
    entered_by: Mapped[Account | None] = relationship(foreign_keys=[entered_by_id])

    __table_args__ = (
        CheckConstraint(_known("kind", AID_KINDS), name="aid_kind_known"),
        CheckConstraint(_known("category", AID_CATEGORIES), name="aid_category_known"),
        CheckConstraint(_known("state", AID_POST_STATES), name="aid_post_state_known"),
        CheckConstraint("open_reports >= 0", name="aid_open_reports_not_negative"),
        # The open posts of a grid or of a community, newest first; the sweep's expiry scan.
        Index("ix_aid_post_grid_state", "grid_id", "state", "created_at"),
        Index("ix_aid_post_community_state", "community_id", "state", "created_at"),
        Index("ix_aid_post_state_expires", "state", "expires_at"),
    )


class AidMatch(db.Model):
    """A neighbour's "I can help" (on a need) or "I would like this" (on an offer), and what the grid
    worker made of it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("aid_post.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="proposed")
    channel: Mapped[str] = mapped_column(String(20), default="online")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    # What the grid worker agreed with both sides (confirmed), or why not (declined).
    agreed: Mapped[str] = mapped_column(Text, default="")
    decline_reason: Mapped[str] = mapped_column(String(300), default="")

    post: Mapped[AidPost] = relationship()
    resident: Mapped[Resident] = relationship()
    entered_by: Mapped[Account | None] = relationship(foreign_keys=[entered_by_id])

    __table_args__ = (
        UniqueConstraint("post_id", "resident_id", name="uq_aid_match_post_resident"),
        CheckConstraint(_known("state", AID_MATCH_STATES), name="aid_match_state_known"),
        Index("ix_aid_match_post_state", "post_id", "state"),
    )


class AidReport(db.Model):
    """A resident tells the grid worker that a post is wrong (it names someone, it sells something...)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("aid_post.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped[AidPost] = relationship()

    __table_args__ = (UniqueConstraint("post_id", "resident_id", name="uq_aid_report_post_resident"),)


class AidCall(db.Model):
    """A resident without a mobile is told by the grid worker instead of a text message: what was agreed
    for a match, or a post's "still needed?" reminder. The grid worker ticks it when done."""

    id: Mapped[int] = mapped_column(primary_key=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("aid_post.id"), index=True)
    # "matched" or "still_needed"
    reason: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))

    resident: Mapped[Resident | None] = relationship()
    post: Mapped[AidPost] = relationship()

    __table_args__ = (
        CheckConstraint("reason IN ('matched', 'still_needed')", name="aid_call_reason_known"),
        Index("ix_aid_call_grid_open", "grid_id", "done_at"),
    )
