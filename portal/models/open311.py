"""Partners of the Open311 API: each city system that files requests has its own key.

Only the SHA-256 of a key is stored; the key itself is shown once, when an admin makes it. A key belongs to
one community (the Open311 jurisdiction it files in) and is revoked, never deleted, so the requests it
filed still say where they came from.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .areas import Community
from .people import Account, utcnow


class PartnerKey(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # Who the key is for, in the admin's words: "City 12345 hotline".
    name: Mapped[str] = mapped_column(String(80))
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    # hex SHA-256 of the key: found by an index, then compared with hmac.compare_digest.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the key, so an admin can tell keys apart without seeing them.
    prefix: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    revoked_at: Mapped[datetime | None]

    community: Mapped[Community] = relationship()
    created_by: Mapped[Account | None] = relationship()

    __table_args__ = (CheckConstraint("length(key_hash) = 64", name="hash_length"),)

    @property
    def active(self) -> bool:
        return self.revoked_at is None
