"""What identification leaves in the database: failed tries (per phone, per card, per client address)
and the one-time codes sent by SMS. Both are counted here, not in a process's memory, so every app
process and host sees the same pause."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .people import utcnow


class IdentifyFailure(db.Model):
    """One identification that did not match. `key` is a keyed hash of the phone number, the card's
    resident number or the client address, so the table holds no phone number in clear."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint("kind IN ('phone', 'card', 'address')", name="kind_known"),
        Index("ix_identify_failure_kind_key_at", "kind", "key", "at"),
    )


class OneTimeCode(db.Model):
    """A 6-digit code sent by SMS to prove a phone number on the open web (identify, sign-up).
    Only its hash is stored; `attempts` counts wrong entries, and a code is used at most once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(10))
    phone: Mapped[str] = mapped_column(String(11), index=True)
    birth_year: Mapped[int | None]
    code_hash: Mapped[str] = mapped_column(String(255))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("purpose IN ('identify', 'signup')", name="purpose_known"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )
