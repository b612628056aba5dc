"""Notices (通知公告): posted by staff to their community or to chosen grids, by grid workers to their own
grids. A notice is written in one language, optionally with a translation; it is current from its start
date to its end date (inclusive, the portal's local dates). Each identified resident who opens it is
counted once (notice_read, unique per notice and resident)."""

from datetime import date, datetime

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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .areas import Community, Grid
from .people import Account, Resident, utcnow

TITLE_LENGTH = 120
BODY_LENGTH = 4000

notice_grids = Table(
    "notice_grid",
    db.metadata,
    Column("notice_id", Integer, ForeignKey("notice.id", ondelete="CASCADE"), primary_key=True),
    Column("grid_id", Integer, ForeignKey("grid.id"), primary_key=True, index=True),
)


class Notice(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    # True: every grid of the community; False: only the grids in notice_grid.
    whole_community: Mapped[bool] = mapped_column(Boolean, default=False)
    # The language the notice was written in ('zh' or 'en'); title_other/body_other are the other one.
    language: Mapped[str] = mapped_column(String(2), default="zh")
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    body: Mapped[str] = mapped_column(Text)
    title_other: Mapped[str] = mapped_column(String(TITLE_LENGTH), default="")
    body_other: Mapped[str] = mapped_column(Text, default="")
    important: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    author_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))

    community: Mapped[Community] = relationship()
    author: Mapped[Account] = relationship(foreign_keys=[author_id])
    grids: Mapped[list[Grid]] = relationship(secondary=notice_grids, order_by="Grid.number")

    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("language IN ('zh', 'en')", name="language_known"),
        # The lists: a community's current notices, important first, newest first.
        Index("ix_notice_community_dates", "community_id", "ends_on", "starts_on"),
    )


class NoticeRead(db.Model):
    """One row the first time an identified resident opens a notice; never a second (the unique constraint,
    inserted with ON CONFLICT DO NOTHING)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = mapped_column(String(20), default="online")
    # A helper in an assisted session who opened it with the resident (portal.channels.record_origin).
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))

    notice: Mapped[Notice] = relationship()
    resident: Mapped[Resident] = relationship()
    entered_by: Mapped[Account | None] = relationship(foreign_keys=[entered_by_id])

    __table_args__ = (UniqueConstraint("notice_id", "resident_id", name="uq_notice_read_once"),)
