"""A kiosk is a registered device (a touch screen in a community centre), not a person."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .areas import Community
from .people import utcnow


class Kiosk(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    # The name in English, shown on English screens (empty: the Chinese name), like other place names.
    name_en: Mapped[str] = mapped_column(String(120), default="", server_default="")
    location: Mapped[str] = mapped_column(String(160), default="")
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    # Hash of the one-time activation code; cleared once the kiosk is activated.
    activation_code_hash: Mapped[str | None] = mapped_column(String(255))
    # An unused activation code stops working after this moment.
    activation_expires_at: Mapped[datetime | None]
    activated_at: Mapped[datetime | None]
    # Bumped to revoke the signed kiosk cookie of a lost or replaced device.
    cookie_version: Mapped[int] = mapped_column(default=1)
    # Bumped by every "Start again": a session cookie from an earlier visit is refused, even if replayed.
    visit: Mapped[int] = mapped_column(default=0, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # What its printer takes: a4, a5, or a thermal roll 80 or 58 mm wide. Slips printed at this kiosk
    # follow it (static/css/slips.css); pages printed anywhere else stay on A4.
    paper: Mapped[str] = mapped_column(String(8), default="a4", server_default="a4")

    community: Mapped[Community] = relationship()

    __table_args__ = (CheckConstraint("paper IN ('a4', 'a5', 'roll80', 'roll58')", name="paper_known"),)


class KioskIdentifyFailure(db.Model):
    """One identification at a kiosk that did not match anyone. Counted per kiosk in the database,
    so the pause after repeated failures holds across every app process."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosk.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_kiosk_identify_failure_kiosk_at", "kiosk_id", "at"),)
