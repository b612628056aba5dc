"""Staff accounts and residents."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash

from ..extensions import db
from ..services import clock
from ..services.hashing import hash_secret
from .areas import Building, Community, Grid

ROLES = ("admin", "staff", "gridworker", "volunteer", "nurse")


utcnow = clock.utcnow  # naive UTC now, for column defaults; see services/clock.py


account_grids = Table(
    "account_grid",
    db.metadata,
    Column("account_id", Integer, ForeignKey("account.id"), primary_key=True),
    Column("grid_id", Integer, ForeignKey("grid.id"), primary_key=True),
)


class Account(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20))
    # Admins work across the whole street and have no community; every other role has one.
    community_id: Mapped[int | None] = mapped_column(ForeignKey("community.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A grid worker's work phone, entered by staff and shown on their grids' public pages. Never a
    # personal number.
    work_phone: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    community: Mapped[Community | None] = relationship()
    grids: Mapped[list[Grid]] = relationship(secondary=account_grids, order_by="Grid.number")

    __table_args__ = (
        CheckConstraint("role IN ('admin', 'staff', 'gridworker', 'volunteer', 'nurse')", name="role_known"),
        CheckConstraint("role = 'admin' OR community_id IS NOT NULL", name="scoped"),
    )

    def set_password(self, password: str) -> None:
        self.password_hash = hash_secret(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class Resident(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # Shown to the resident and printed on the card; not the database id.
    number: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    # Normalised 11-digit mobile, or None for residents without a phone.
    phone: Mapped[str | None] = mapped_column(String(11))
    family_contact: Mapped[str] = mapped_column(String(120), default="")
    birth_year: Mapped[int]
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("grid.id"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"))
    room: Mapped[str] = mapped_column(String(40), default="")
    lives_alone: Mapped[bool] = mapped_column(Boolean, default=False)
    difficulty_walking: Mapped[bool] = mapped_column(Boolean, default=False)
    hearing_difficulty: Mapped[bool] = mapped_column(Boolean, default=False)
    sight_difficulty: Mapped[bool] = mapped_column(Boolean, default=False)
    no_smartphone: Mapped[bool] = mapped_column(Boolean, default=False)
    # How the record reached us: qr, gridworker, volunteer, kiosk, phone, seed.
    channel: Mapped[str] = mapped_column(String(20), default="qr")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))
    consented_at: Mapped[datetime | None]
    card_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the resident asked to be removed and staff confirmed it: the record is then anonymised
    # (services/removal.py) and kept only so the de-identified counts stay the same.
    removed_at: Mapped[datetime | None]

    community: Mapped[Community] = relationship()
    grid: Mapped[Grid] = relationship()
    building: Mapped[Building] = relationship()
    entered_by: Mapped[Account | None] = relationship()

    __table_args__ = (
        # 最多采一次: one record per phone number per community, enforced by the database.
        UniqueConstraint("community_id", "phone", name="uq_resident_community_phone"),
        CheckConstraint("birth_year BETWEEN 1900 AND 2100", name="birth_year_range"),
        # A grid's residents list, in building and room order, a page at a time.
        Index("ix_resident_grid_building_room", "grid_id", "building_id", "room"),
    )

    @property
    def needs_help(self) -> bool:
        return self.phone is None or self.lives_alone or self.difficulty_walking or self.no_smartphone
