"""Health stations for seed-scale: stations with the demo's three services and weekly schedules
(health/seed.py SERVICES), a past closure per station, posters, and the slots of the whole year the
bookings fill: past slots as generate_slots would have made them day by day, future ones for the
booking window. Slots follow services/slots.planned_times exactly, so generate_slots later finds
nothing to add or remove."""

from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import bindparam, select, update

from ..health.seed import SERVICES, STATIONS
from ..models import Closure, Poster, Service, Slot, Station, WeeklySchedule
from ..services.posters import ALPHABET as POSTER_ALPHABET
from ..services.posters import CODE_LENGTH as POSTER_CODE_LENGTH
from ..services.slots import planned_times
from .fake import UniqueDraws
from .places import chinese_number

NOTES = next(iter(STATIONS.values()))[4:6]  # the demo's opening hours, in both languages
CLOSURE = ("设备检修，暂停服务", "Closed for equipment maintenance")


def stations_wanted(figures, city) -> dict:
    """How many stations each community has in the end: figures.stations spread evenly."""
    count = len(city.communities)
    base, extra = divmod(figures.stations, count)
    return {c["id"]: base + (1 if i < extra else 0) for i, c in enumerate(city.communities)}


def build_stations(loader, rng, figures, city, today) -> list:
    """Stations, their services and schedules. Returns every station as (id, community_id)."""
    session = loader.session
    have = {}
    for (community_id,) in session.execute(select(Station.community_id)):
        have[community_id] = have.get(community_id, 0) + 1
    rows = []
    for community, wanted in ((c, stations_wanted(figures, city)[c["id"]]) for c in city.communities):
        place, place_en = community["name"].removesuffix("社区"), community["name_en"].removesuffix(" Community")
        for k in range(have.get(community["id"], 0) + 1, wanted + 1):
            number = rng.randint(2, 98)
            rows.append(
                {
                    "community_id": community["id"],
                    "name": f"{community['name']}智慧健康站"
                    if k == 1
                    else f"{community['name']}第{chinese_number(k)}健康服务点",
                    "name_en": f"{community['name_en']} Smart Health Station"
                    if k == 1
                    else f"{community['name_en']} Health Point {k}",
                    "address": f"{place}路{number}号社区服务中心一楼",
                    "address_en": f"Ground floor, Community Service Centre, {number} {place_en} Road",
                    "opening_notes": NOTES[0],
                    "opening_notes_en": NOTES[1],
                    "active": True,
                    "slots_generated_on": today,
                }
            )
    loader.insert(Station.__table__, rows)
    stations = session.execute(select(Station.id, Station.community_id).order_by(Station.id)).all()
    with_services = {sid for (sid,) in session.execute(select(Service.station_id).distinct())}
    new = [s.id for s in stations if s.id not in with_services]
    service_rows = [
        {
            "station_id": station_id,
            "name": name,
            "name_en": name_en,
            "description": desc,
            "description_en": desc_en,
            "what_to_bring": bring,
            "what_to_bring_en": bring_en,
            "slot_minutes": minutes,
            "places_per_slot": places,
            "booking_cutoff_minutes": cutoff,
            "active": True,
        }
        for station_id in new
        for name, name_en, desc, desc_en, bring, bring_en, minutes, places, cutoff, _rows in SERVICES
    ]
    loader.insert(Service.__table__, service_rows)
    by_name = {s[0]: s[9] for s in SERVICES}
    schedule_rows = [
        {"service_id": service.id, "weekday": weekday, "start_time": start, "end_time": end}
        for service in session.execute(select(Service.id, Service.name).where(Service.station_id.in_(new or [0])))
        for weekdays, start, end in by_name[service.name]
        for weekday in weekdays
    ]
    loader.insert(WeeklySchedule.__table__, schedule_rows)
    return [(s.id, s.community_id) for s in stations]


def build_closures(loader, city, stations, today, now) -> dict:
    """One past closure of three days per station, at a different week for each. {station id: (first, last)}."""
    closures, rows = {}, []
    for i, (station_id, community_id) in enumerate(stations):
        first = today - timedelta(days=190 + (i * 9) % 63)
        closures[station_id] = (first, first + timedelta(days=2))
        staff = city.staff.get(community_id) or [None]
        rows.append(
            {
                "station_id": station_id,
                "service_id": None,
                "start_date": first,
                "end_date": first + timedelta(days=2),
                "reason": CLOSURE[0],
                "reason_en": CLOSURE[1],
                "created_by_id": staff[0],
                "created_at": now - timedelta(days=(today - first).days + 7),
            }
        )
    loader.insert(Closure.__table__, rows)
    return closures


def build_posters(loader, rng, city, stations, now) -> None:
    """A working join poster for every grid and a booking poster for every station that has none, with
    the scans and sign-ups a year of use leaves."""
    session = loader.session
    codes = UniqueDraws(rng, POSTER_ALPHABET, POSTER_CODE_LENGTH, session.scalars(select(Poster.code)))
    active = session.execute(select(Poster.grid_id, Poster.station_id).where(Poster.active.is_(True))).all()
    grids_with = {g for g, _s in active if g}
    stations_with = {s for _g, s in active if s}
    rows = []
    for grid in city.grids:
        if grid["id"] not in grids_with:
            signups = rng.randint(40, 160)
            row = {"kind": "grid", "grid_id": grid["id"], "station_id": None, "community_id": grid["community_id"]}
            rows.append({**row, "signups": signups, "scans": signups + rng.randint(20, 200), "bookings": 0})
    for station_id, community_id in stations:
        if station_id not in stations_with:
            bookings = rng.randint(50, 400)
            row = {"kind": "station", "grid_id": None, "station_id": station_id, "community_id": community_id}
            rows.append({**row, "signups": 0, "scans": bookings * 2 + rng.randint(0, 100), "bookings": bookings})
    for row in rows:
        row.update(code=codes.draw(), active=True, created_at=now - timedelta(days=rng.randint(200, 500)))
    loader.insert(Poster.__table__, rows)


def load_services(session) -> list:
    """Every service with its schedule, in the shape planned_times reads."""
    schedules = {}
    for row in session.execute(
        select(WeeklySchedule.service_id, WeeklySchedule.weekday, WeeklySchedule.start_time, WeeklySchedule.end_time)
    ):
        schedules.setdefault(row.service_id, []).append(
            SimpleNamespace(weekday=row.weekday, start_time=row.start_time, end_time=row.end_time)
        )
    services = session.execute(
        select(
            Service.id,
            Service.station_id,
            Service.slot_minutes,
            Service.places_per_slot,
            Service.booking_cutoff_minutes,
        )
        .where(Service.active.is_(True))
        .order_by(Service.id)
    ).all()
    return [
        SimpleNamespace(
            id=s.id,
            station_id=s.station_id,
            slot_minutes=s.slot_minutes,
            places=s.places_per_slot,
            cutoff=s.booking_cutoff_minutes,
            schedules=schedules.get(s.id, []),
        )
        for s in services
    ]


def plan_slots(session, services, closures, first_day, last_day, tz) -> list[dict]:
    """Every slot of every service from first_day to last_day: those already there (the demo's booking
    window) with their id and places taken, the others to be inserted."""
    existing = {
        (row.service_id, row.starts_at): row
        for row in session.execute(
            select(
                Slot.id, Slot.service_id, Slot.starts_at, Slot.capacity, Slot.booked, Slot.overbooked, Slot.closed
            ).where(Slot.day >= first_day, Slot.day <= last_day)
        )
    }
    slots, day = [], first_day
    while day <= last_day:
        for service in services:
            closed_from, closed_to = closures.get(service.station_id, (None, None))
            for starts_at, ends_at in planned_times(service, day, tz):
                row = existing.get((service.id, starts_at))
                slots.append(
                    {
                        "id": row.id if row else None,
                        "service_id": service.id,
                        "station_id": service.station_id,
                        "day": day,
                        "starts_at": starts_at,
                        "ends_at": ends_at,
                        "capacity": row.capacity if row else service.places,
                        "booked": row.booked if row else 0,
                        "overbooked": row.overbooked if row else 0,
                        "closed": row.closed if row else bool(closed_from and closed_from <= day <= closed_to),
                        "taken_before": row.booked if row else 0,
                        "over_before": row.overbooked if row else 0,
                    }
                )
        day += timedelta(days=1)
    return slots


def write_slots(loader, slots: list[dict]) -> None:
    """Insert the new slots (with their final counts) and set the counts of those already there; every
    slot gets its id."""
    new = [s for s in slots if s["id"] is None]
    columns = ("service_id", "day", "starts_at", "ends_at", "capacity", "booked", "overbooked", "closed")
    loader.insert(Slot.__table__, [{k: s[k] for k in columns} for s in new])
    changed = [
        s
        for s in slots
        if s["id"] is not None and (s["booked"], s["overbooked"]) != (s["taken_before"], s["over_before"])
    ]
    if changed:
        statement = (
            update(Slot.__table__)
            .where(Slot.__table__.c.id == bindparam("slot_id"))
            .values(
                booked=Slot.__table__.c.booked + bindparam("more"),
                overbooked=Slot.__table__.c.overbooked + bindparam("more_over"),
            )
        )
        loader.execute(
            statement,
            [
                {
                    "slot_id": s["id"],
                    "more": s["booked"] - s["taken_before"],
                    "more_over": s["overbooked"] - s["over_before"],
                }
                for s in changed
            ],
        )
    service_ids = sorted({s["service_id"] for s in new})
    if new:
        ids = {}
        for service_id in service_ids:
            ids.update(
                {
                    (service_id, starts_at): slot_id
                    for slot_id, starts_at in loader.execute(
                        select(Slot.id, Slot.starts_at).where(Slot.service_id == service_id, Slot.day >= new[0]["day"])
                    )
                }
            )
        for s in new:
            s["id"] = ids[(s["service_id"], s["starts_at"])]
