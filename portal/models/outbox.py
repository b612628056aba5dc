"""Messages waiting to be sent (SMS reminders, escalations). A sender delivers them later
(services/outbox_delivery.py), several at once if need be."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import Account, Resident, utcnow


class OutboxMessage(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # "sms" to a resident's phone, or "staff" to a staff account's queue.
    channel: Mapped[str] = mapped_column(String(20), default="sms")
    recipient: Mapped[str] = mapped_column(String(40), default="")
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    # A stable code for what the message is about, such as "booking.created".
    kind: Mapped[str] = mapped_column(String(60))
    locale: Mapped[str] = mapped_column(String(12), default="zh_Hans_CN")
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    # Times a sender has claimed it (services/outbox_delivery.py).
    attempts: Mapped[int] = mapped_column(default=0)
    # The lease of a message being sent: which sender holds it, and until when. When a sender dies, its
    # claim runs out and another sender takes the message again. Once sent, claimed_by says who sent it.
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")

    resident: Mapped[Resident | None] = relationship()
    account: Mapped[Account | None] = relationship()

    __table_args__ = (CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name="status_known"),)
