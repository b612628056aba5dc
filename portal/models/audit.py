"""The audit log: who did what, for whom, when and why. Rows are only ever added."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import Account, Resident, utcnow


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), index=True)
    # What happened, as a stable code such as "card.reissue" or "booking.create".
    action: Mapped[str] = mapped_column(String(60))
    # Why: the reason the helper gave, or the consent note.
    reason: Mapped[str] = mapped_column(Text, default="")
    # What exactly: a short, de-identified description (a ticket or booking reference, never a phone).
    detail: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(20), default="")
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))

    actor: Mapped[Account | None] = relationship()
    resident: Mapped[Resident | None] = relationship()

    # What one account looked at since a moment (the call list logs each card once a day).
    __table_args__ = (Index("ix_audit_event_actor_action_at", "actor_id", "action", "at"),)


class AuditIsAppendOnly(RuntimeError):
    pass


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def refuse_changes(mapper, connection, target):
    raise AuditIsAppendOnly("audit events cannot be changed or deleted")
