"""What a resident asks about their own data (个人信息, PIPL): a correction of their record, or removal.

Staff of the resident's community see the pending ones in a queue and apply or decline them. The resident
sees the outcome on My information. One pending removal per resident: a partial unique index.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import Account, Resident, utcnow

DATA_REQUEST_KINDS = ("correction", "removal")
DATA_REQUEST_STATES = ("pending", "applied", "declined")
# What part of the record a correction is about ("other": anything else, applied by hand).
CORRECTION_FIELDS = ("name", "phone", "birth_year", "room", "family_contact", "other")


class DataRequest(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    # The resident's community when asked: the staff queue is per community.
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    kind: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(10), default="pending")
    field: Mapped[str] = mapped_column(String(20), default="")
    # The resident's own words: what is wrong, and what it should be.
    what_is_wrong: Mapped[str] = mapped_column(Text, default="")
    should_be: Mapped[str] = mapped_column(Text, default="")
    # The staff's reason when they decline, shown to the resident.
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(20), default="online")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))

    resident: Mapped[Resident] = relationship()
    entered_by: Mapped[Account | None] = relationship(foreign_keys=[entered_by_id])
    decided_by: Mapped[Account | None] = relationship(foreign_keys=[decided_by_id])

    __table_args__ = (
        CheckConstraint("kind IN ('correction', 'removal')", name="kind_known"),
        CheckConstraint("state IN ('pending', 'applied', 'declined')", name="state_known"),
        CheckConstraint(
            "field IN ('', 'name', 'phone', 'birth_year', 'room', 'family_contact', 'other')", name="field_known"
        ),
        CheckConstraint("(state = 'pending') = (decided_at IS NULL)", name="decided_when_not_pending"),
        # The staff queue: a community's pending requests, oldest first.
        Index("ix_data_request_community_state", "community_id", "state", "created_at"),
        # Asking twice to be removed (two tabs, a helper and the resident at once) leaves one request.
        Index(
            "uq_data_request_pending_removal",
            "resident_id",
            unique=True,
            sqlite_where=text("kind = 'removal' AND state = 'pending'"),
            postgresql_where=text("kind = 'removal' AND state = 'pending'"),
        ),
    )
