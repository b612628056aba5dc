"""A call for help raised at a kiosk ("Call a staff member"), answered by the community's staff."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .kiosk import Kiosk
from .people import Account, Resident, utcnow

CALL_STATES = ("waiting", "coming", "done")


class StaffCall(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosk.id"))
    # The kiosk's community when the call was raised: the staff list and escalation are per community.
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    # raised_at cut to the hour: calls are counted per kiosk and per hour by one indexed GROUP BY.
    hour: Mapped[datetime]
    # Only when the resident was identified at the kiosk and agreed to say who they are.
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"))
    state: Mapped[str] = mapped_column(String(10), default="waiting")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    answered_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    # Set once, by a conditional UPDATE, when nobody answered in time and the staff were told by the outbox.
    escalated_at: Mapped[datetime | None]

    kiosk: Mapped[Kiosk] = relationship()
    resident: Mapped[Resident | None] = relationship()
    answered_by: Mapped[Account | None] = relationship()

    __table_args__ = (
        CheckConstraint("state IN ('waiting', 'coming', 'done')", name="state_known"),
        Index("ix_staff_call_kiosk_hour", "kiosk_id", "hour"),
        Index("ix_staff_call_community_state", "community_id", "state", "raised_at"),
        # One open call per kiosk: pressing again, or the next person pressing, joins the call already made.
        Index(
            "uq_staff_call_open_per_kiosk",
            "kiosk_id",
            unique=True,
            sqlite_where=text("state != 'done'"),
            postgresql_where=text("state != 'done'"),
        ),
    )
