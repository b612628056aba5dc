"""Slots from weekly schedules, for a rolling window of days, in the portal's local time zone.

Generation is idempotent: it inserts only missing slots (INSERT ... ON CONFLICT DO NOTHING, so two
generators running at once cannot make duplicates), removes only future slots that no schedule wants
and that have never had a booking, and never touches a slot with bookings except to raise its capacity.

Times are stored as naive UTC; `Slot.day` is the local date. Callers pass `now` (aware, or naive UTC)
and the zone, so tests control the clock.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, case, delete, exists, func, select, update

from ..models import Booking, Closure, Service, Slot, Station

# The zone conversions live in services/dates.py; callers of this module still import them from here.
from .dates import as_utc_naive, get_zone, local_to_utc, local_today, to_local  # noqa: F401

DEFAULT_WINDOW_DAYS = 28


def insert_ignoring_conflicts(session, table, rows: list[dict], index_elements: list[str]) -> int:
    """INSERT rows, skipping any that clash with an existing row on `index_elements`. Returns rows added."""
    if not rows:
        return 0
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(rows).on_conflict_do_nothing(index_elements=index_elements)
    # Counted with RETURNING: drivers disagree on rowcount for multi-row INSERT ... ON CONFLICT.
    first_key = list(table.primary_key.columns)[0]
    return len(session.execute(statement.returning(first_key)).all())


def planned_times(service: Service, day: date, tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """(start, end) in naive UTC for every slot the weekly schedule puts on `day`."""
    planned = []
    length = timedelta(minutes=service.slot_minutes)
    for row in service.schedules:
        if row.weekday != day.weekday():
            continue
        start = datetime.combine(day, row.start_time, tzinfo=tz)
        close = datetime.combine(day, row.end_time, tzinfo=tz)
        while start + length <= close:
            planned.append((as_utc_naive(start), as_utc_naive(start + length)))
            start += length
    return sorted(set(planned))


def closure_covers(closures, service_id: int, day: date) -> bool:
    return any(c.start_date <= day <= c.end_date and c.service_id in (None, service_id) for c in closures)


def generate_slots(
    session, *, now: datetime, tz: ZoneInfo, days: int = DEFAULT_WINDOW_DAYS, station_ids: list[int] | None = None
) -> dict:
    """Bring the slots of the next `days` local days in line with the schedules. Does not commit.

    Returns counts: created, removed (empty future slots no schedule wants any more), resized.
    """
    now_utc = as_utc_naive(now)
    today = local_today(now, tz)
    last_day = today + timedelta(days=days - 1)
    counts = {"created": 0, "removed": 0, "resized": 0}
    stations = session.scalars(
        select(Station).where(*([Station.id.in_(station_ids)] if station_ids else [])).order_by(Station.id)
    ).all()
    for station in stations:
        closures = [c for c in station.closures if c.end_date >= today and c.start_date <= last_day]
        for service in station.services:
            wanted = []
            if station.active and service.active:
                for offset in range(days):
                    day = today + timedelta(days=offset)
                    for starts_at, ends_at in planned_times(service, day, tz):
                        if starts_at > now_utc:
                            wanted.append(
                                {
                                    "service_id": service.id,
                                    "day": day,
                                    "starts_at": starts_at,
                                    "ends_at": ends_at,
                                    "capacity": service.places_per_slot,
                                    "booked": 0,
                                    "overbooked": 0,
                                    "closed": closure_covers(closures, service.id, day),
                                }
                            )
            existing = set(
                session.scalars(
                    select(Slot.starts_at).where(Slot.service_id == service.id, Slot.starts_at > now_utc)
                ).all()
            )
            missing = [row for row in wanted if row["starts_at"] not in existing]
            counts["created"] += insert_ignoring_conflicts(
                session, Slot.__table__, missing, ["service_id", "starts_at"]
            )
            wanted_starts = [row["starts_at"] for row in wanted]
            # A slot that has ever had a booking (even a cancelled one) stays: its history matters.
            stale = delete(Slot).where(
                Slot.service_id == service.id,
                Slot.starts_at > now_utc,
                Slot.day <= last_day,
                Slot.booked == 0,
                Slot.overbooked == 0,
                ~exists().where(Booking.slot_id == Slot.id),
                *([Slot.starts_at.not_in(wanted_starts)] if wanted_starts else []),
            )
            counts["removed"] += max(
                session.execute(stale, execution_options={"synchronize_session": False}).rowcount or 0, 0
            )
            # Never below the places already taken: the CHECK (booked <= capacity) must keep holding.
            resized = (
                update(Slot)
                .where(
                    Slot.service_id == service.id,
                    Slot.starts_at > now_utc,
                    Slot.capacity != service.places_per_slot,
                )
                .values(
                    capacity=case((Slot.booked > service.places_per_slot, Slot.booked), else_=service.places_per_slot)
                )
            )
            counts["resized"] += max(
                session.execute(resized, execution_options={"synchronize_session": False}).rowcount or 0, 0
            )
        station.slots_generated_on = today
    session.flush()
    return counts


def ensure_slots(session, station: Station, *, now: datetime, tz: ZoneInfo) -> bool:
    """Generate a station's slots once per local day, when its booking pages are first opened.

    Returns True when it generated (and committed)."""
    if station.slots_generated_on == local_today(now, tz):
        return False
    generate_slots(session, now=now, tz=tz, station_ids=[station.id])
    session.commit()
    return True


def slots_in_closure(closure: Closure):
    """A WHERE clause for every slot a closure covers."""
    services = [closure.service_id] if closure.service_id else [s.id for s in closure.station.services]
    return and_(Slot.service_id.in_(services), Slot.day >= closure.start_date, Slot.day <= closure.end_date)


def reopen_after_closure(session, closure: Closure) -> int:
    """Open the slots of a removed closure again, except days another closure still covers. Does not commit."""
    others = [c for c in closure.station.closures if c.id != closure.id]
    reopened = 0
    for slot in session.scalars(select(Slot).where(slots_in_closure(closure), Slot.closed.is_(True))).all():
        if not closure_covers(others, slot.service_id, slot.day):
            slot.closed = False
            reopened += 1
    session.flush()
    return reopened


# The day picker's and time picker's statements are built once, with their values as bound parameters:
# building one of these SELECTs (and its cache key) anew took about 0.2 ms, more than running it.
_LIMIT = bindparam("limit", type_=Slot.starts_at.type)
_BOOKABLE = and_(Slot.closed.is_(False), Slot.starts_at > _LIMIT)
DAYS_OF_SERVICE = (
    select(
        Slot.day,
        func.count(),
        func.sum(case((Slot.closed.is_(True), 1), else_=0)),
        func.sum(case((_BOOKABLE, 1), else_=0)),
        func.sum(case((and_(_BOOKABLE, Slot.capacity > Slot.booked), Slot.capacity - Slot.booked), else_=0)),
    )
    .where(
        Slot.service_id == bindparam("service_id"),
        Slot.day >= bindparam("first_day"),
        Slot.day <= bindparam("last_day"),
    )
    .group_by(Slot.day)
)
TIMES_OF_DAY = (
    select(Slot)
    .where(
        Slot.service_id == bindparam("service_id"), _BOOKABLE, Slot.day == bindparam("day"), Slot.booked < Slot.capacity
    )
    .order_by(Slot.starts_at)
)


def booking_limit(service: Service, now: datetime) -> datetime:
    """The first start time a resident may still book: the service's cut-off from now."""
    return as_utc_naive(now) + timedelta(minutes=service.booking_cutoff_minutes)


def day_availability(session, service: Service, first_day: date, count: int, now: datetime) -> list[dict]:
    """One entry per day: {day, state, places}. States: open (places left), full, closed (a closure),
    late (the day's times have passed or booking has closed) and none (the service does not run)."""
    last_day = first_day + timedelta(days=count - 1)
    # One row a day, counted by the database: times, closed times, bookable times, places left in those.
    values = {"service_id": service.id, "first_day": first_day, "last_day": last_day}
    rows = session.execute(DAYS_OF_SERVICE, {**values, "limit": booking_limit(service, now)})
    found = {day: (times, closed, open_times, places) for day, times, closed, open_times, places in rows}
    days = []
    for offset in range(count):
        day = first_day + timedelta(days=offset)
        times, closed, open_times, places = found.get(day, (0, 0, 0, 0))
        if places:
            state = "open"
        elif closed:
            state = "closed"
        elif open_times:
            state = "full"
        elif times:
            state = "late"
        else:
            state = "none"
        days.append({"day": day, "state": state, "places": int(places)})
    return days


def bookable_slots(session, service: Service, day: date, now: datetime) -> list[Slot]:
    """The times on `day` that a resident can still book and that have a place left."""
    values = {"service_id": service.id, "day": day, "limit": booking_limit(service, now)}
    return session.scalars(TIMES_OF_DAY, values).all()
