"""A kiosk is a registered device (a touch screen in a community centre), not a person."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .areas import Community
from .people import utcnow


class Kiosk(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    location: Mapped[str] = mapped_column(String(160), default="")
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    # Hash of the one-time activation code; cleared once the kiosk is activated.
    activation_code_hash: Mapped[str | None] = mapped_column(String(255))
    activated_at: Mapped[datetime | None]
    # Bumped to revoke the signed kiosk cookie of a lost or replaced device.
    cookie_version: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    community: Mapped[Community] = relationship()
