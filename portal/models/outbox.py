"""Messages waiting to be sent (SMS reminders, escalations). A sender delivers them later."""

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
    attempts: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")

    resident: Mapped[Resident | None] = relationship()
    account: Mapped[Account | None] = relationship()

    __table_args__ = (CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name="status_known"),)
