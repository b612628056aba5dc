"""The volunteer register (活地图): residents and volunteer accounts who offer their skills to the grid, the
days and parts of the day they can usually help, and the call-outs staff send them.

The database holds the invariants:
- one register entry per resident and one per account: UNIQUE on each (several NULLs are allowed), and a
  CHECK that an entry belongs to exactly one of the two;
- one reply per volunteer and call-out: UNIQUE (callout_id, volunteer_id); a reply's answer is set by a
  conditional UPDATE (services/volunteers.py), so two answers at once cannot both count.

Skills and weekly availability are bit sets (services/volunteers.py names the bits), so the staff's filters
are one bitwise AND in either database and a page needs no extra queries.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .areas import Building, Community, Grid
from .people import Account, Resident, utcnow

MESSAGE_LENGTH = 140
OTHER_SKILL_LENGTH = 80


class Volunteer(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"))
    # The building they live in or look after: the plan counts volunteers per building.
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"))
    # Exactly one of the two: a resident, or a volunteer account.
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), unique=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), unique=True)
    skills: Mapped[int] = mapped_column(default=0)
    # Anything else they offer, in their own words (a dialect, a trade).
    other_skill: Mapped[str] = mapped_column(String(OTHER_SKILL_LENGTH), default="")
    # One bit per day (Monday 0) and part of the day (morning, afternoon, evening): day * 3 + part.
    availability: Mapped[int] = mapped_column(default=0)
    consented_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(20), default="online")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    community: Mapped[Community] = relationship()
    grid: Mapped[Grid] = relationship()
    building: Mapped[Building] = relationship()
    resident: Mapped[Resident | None] = relationship()
    account: Mapped[Account | None] = relationship(foreign_keys=[account_id])
    entered_by: Mapped[Account | None] = relationship(foreign_keys=[entered_by_id])

    __table_args__ = (
        CheckConstraint("(resident_id IS NULL) <> (account_id IS NULL)", name="volunteer_resident_or_account"),
        CheckConstraint("skills >= 0 AND availability >= 0", name="volunteer_bits_not_negative"),
        # The staff list: a grid's volunteers, building by building.
        Index("ix_volunteer_grid_building", "grid_id", "building_id", "id"),
        Index("ix_volunteer_community", "community_id", "id"),
    )


class CallOut(db.Model):
    """Staff ask the volunteers of a grid (with a skill, free at a time) to come and help."""

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"), index=True)
    message: Mapped[str] = mapped_column(String(MESSAGE_LENGTH))
    # What the volunteers were picked by (empty / None: any).
    skill: Mapped[str] = mapped_column(String(20), default="")
    slot: Mapped[int | None]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    grid: Mapped[Grid] = relationship()
    created_by: Mapped[Account] = relationship()


class CallOutReply(db.Model):
    """One volunteer asked by one call-out, and their answer: yes, no, or none yet."""

    id: Mapped[int] = mapped_column(primary_key=True)
    callout_id: Mapped[int] = mapped_column(ForeignKey("call_out.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer.id"), index=True)
    # The random part of the answer link (/v/<token>), which is also signed with the secret key.
    nonce: Mapped[str] = mapped_column(String(32), unique=True)
    # Whether a message went out (a resident with no mobile number is phoned by the grid worker instead).
    messaged: Mapped[bool] = mapped_column(default=False)
    answer: Mapped[str | None] = mapped_column(String(3))
    answered_at: Mapped[datetime | None]
    # "link" (the volunteer, from the message) or "call" (ticked by a grid worker after phoning).
    answered_via: Mapped[str | None] = mapped_column(String(8))
    ticked_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))

    callout: Mapped[CallOut] = relationship()
    volunteer: Mapped[Volunteer] = relationship()

    __table_args__ = (
        UniqueConstraint("callout_id", "volunteer_id", name="uq_callout_reply_one_per_volunteer"),
        CheckConstraint("answer IS NULL OR answer IN ('yes', 'no')", name="callout_answer_known"),
    )
