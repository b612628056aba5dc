"""Health-station appointments (智慧健康站): stations, services, weekly schedules, closures, slots, bookings.

The database holds the invariants, not Python:
- a slot never has more normal bookings than places: CHECK (booked <= capacity), and every booking
  takes its place with `UPDATE slot SET booked = booked + 1 WHERE id = :id AND booked < capacity`;
- a walk-in over capacity is counted apart, in `overbooked`, and only through the recorded walk-in path;
- one active booking per resident, per service, per day: a partial unique index;
- queue numbers are unique per service and day, handed out by a counter row.

Times: `starts_at` / `ends_at` are naive UTC like every other timestamp here; `day` is the local date
in PORTAL_TIMEZONE, stored so a day's slots are found without time-zone arithmetic in SQL.
"""

from datetime import date, datetime, time

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text, Time, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .areas import Community
from .people import Account, Resident, utcnow

BOOKING_STATUSES = ("booked", "checked_in", "no_show", "cancelled")
ACTIVE_STATUSES = ("booked", "checked_in")
_ACTIVE_SQL = "status IN ('booked', 'checked_in')"


class Station(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    address: Mapped[str] = mapped_column(String(160), default="")
    address_en: Mapped[str] = mapped_column(String(200), default="")
    opening_notes: Mapped[str] = mapped_column(Text, default="")
    opening_notes_en: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The local date slots were last generated on; the booking pages regenerate once a day.
    slots_generated_on: Mapped[date | None] = mapped_column(Date)

    community: Mapped[Community] = relationship()
    services: Mapped[list["Service"]] = relationship(back_populates="station", order_by="Service.id")
    closures: Mapped[list["Closure"]] = relationship(back_populates="station", order_by="Closure.start_date")

    __table_args__ = (UniqueConstraint("community_id", "name"),)


class Service(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    what_to_bring: Mapped[str] = mapped_column(Text, default="")
    what_to_bring_en: Mapped[str] = mapped_column(Text, default="")
    slot_minutes: Mapped[int] = mapped_column(default=30)
    places_per_slot: Mapped[int] = mapped_column(default=5)
    # Booking closes this many minutes before a slot starts.
    booking_cutoff_minutes: Mapped[int] = mapped_column(default=60)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    station: Mapped[Station] = relationship(back_populates="services")
    schedules: Mapped[list["WeeklySchedule"]] = relationship(
        back_populates="service",
        order_by="(WeeklySchedule.weekday, WeeklySchedule.start_time)",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        UniqueConstraint("station_id", "name"),
        CheckConstraint("slot_minutes BETWEEN 5 AND 480", name="slot_minutes_range"),
        CheckConstraint("places_per_slot BETWEEN 1 AND 500", name="places_range"),
        CheckConstraint("booking_cutoff_minutes BETWEEN 0 AND 10080", name="cutoff_range"),
    )


class WeeklySchedule(db.Model):
    """A service runs on `weekday` (0 = Monday) from start_time to end_time, local time."""

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    weekday: Mapped[int]
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)

    service: Mapped[Service] = relationship(back_populates="schedules")

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("start_time < end_time", name="starts_before_end"),
    )


class Closure(db.Model):
    """The station (or one service, when service_id is set) is closed from start_date to end_date inclusive."""

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), index=True)
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")
    reason_en: Mapped[str] = mapped_column(String(240), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    station: Mapped[Station] = relationship(back_populates="closures")
    service: Mapped[Service | None] = relationship()
    created_by: Mapped[Account | None] = relationship()

    __table_args__ = (CheckConstraint("start_date <= end_date", name="dates_in_order"),)


class Slot(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    day: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    capacity: Mapped[int]
    booked: Mapped[int] = mapped_column(default=0)
    # Walk-ins the nurse added over capacity, each with a recorded confirmation.
    overbooked: Mapped[int] = mapped_column(default=0)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)

    service: Mapped[Service] = relationship()

    __table_args__ = (
        UniqueConstraint("service_id", "starts_at"),
        Index("ix_slot_service_day", "service_id", "day"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("booked >= 0", name="booked_not_negative"),
        CheckConstraint("booked <= capacity", name="within_capacity"),
        CheckConstraint("overbooked >= 0", name="overbooked_not_negative"),
    )

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.booked, 0)


class QueueCounter(db.Model):
    """The last queue number handed out for a service on a day (updated with UPDATE ... RETURNING)."""

    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class Booking(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # Short and unguessable, printed on the slip and in its QR code.
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slot.id"), index=True)
    # Copied from the slot so the database can enforce one active booking per service per day.
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    day: Mapped[date] = mapped_column(Date)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    queue_number: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default="booked")
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    over_capacity: Mapped[bool] = mapped_column(Boolean, default=False)
    # The language the resident booked in; reminders are written in it.
    locale: Mapped[str] = mapped_column(String(12), default="zh_Hans_CN")
    channel: Mapped[str] = mapped_column(String(20), default="online")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_in_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # The grid worker's call list: ticked when someone has phoned or visited about this appointment.
    call_done_at: Mapped[datetime | None]
    call_done_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))

    slot: Mapped[Slot] = relationship()
    service: Mapped[Service] = relationship()
    resident: Mapped[Resident] = relationship()
    entered_by: Mapped[Account | None] = relationship(foreign_keys=[entered_by_id])

    __table_args__ = (
        CheckConstraint("status IN ('booked', 'checked_in', 'no_show', 'cancelled')", name="status_known"),
        UniqueConstraint("service_id", "day", "queue_number", name="uq_booking_queue_number"),
        Index(
            "uq_booking_one_active_per_day",
            "resident_id",
            "service_id",
            "day",
            unique=True,
            sqlite_where=text(_ACTIVE_SQL),
            postgresql_where=text(_ACTIVE_SQL),
        ),
        Index("ix_booking_service_day", "service_id", "day"),
        # The call list: tomorrow's booked appointments (then joined to the residents of some grids).
        Index("ix_booking_day_status", "day", "status"),
    )

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES
