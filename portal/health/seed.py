"""Demo data for the health stations: one station per community with its QR poster, three services with
weekly schedules, slots for the coming weeks, and a few bookings today and tomorrow so the nurse's roster and the grid
worker's call list have something on them. Idempotent, like seed_demo()."""

from datetime import time, timedelta

from ..extensions import db
from ..models import Account, Booking, Community, Resident, Service, Slot, Station, WeeklySchedule
from ..services.booking import BookingRefused, book_slot
from ..services.clock import portal_zone, today_local
from ..services.posters import ensure_station_posters
from ..services.slots import generate_slots, local_to_utc

STATIONS = {
    "南湖社区": (
        "南湖社区智慧健康站",
        "Nanhu Community Smart Health Station",
        "南湖路18号社区服务中心一楼",
        "Ground floor, Community Service Centre, 18 Nanhu Road",
        "每天上午8:30到11:30，下午2:00到4:30。测血糖请空腹来。",
        "Open every day 8:30 to 11:30 and 2:00 to 4:30. Come without breakfast for a blood sugar test.",
    ),
    "月河社区": (
        "月河社区智慧健康站",
        "Yuehe Community Smart Health Station",
        "月河街6号邻里中心二楼",
        "First floor, Neighbourhood Centre, 6 Yuehe Street",
        "每天上午8:30到11:30，下午2:00到4:30。",
        "Open every day 8:30 to 11:30 and 2:00 to 4:30.",
    ),
}
EVERY_DAY = range(7)
# name, name_en, description, description_en, bring, bring_en, minutes, places, cutoff, [(weekdays, start, end)]
SERVICES = [
    (
        "血压测量",
        "Blood pressure check",
        "护士为您量血压，并记在您的健康档案里。",
        "A nurse measures your blood pressure and notes it in your health record.",
        "社保卡，平时吃的药的名字。",
        "Your social security card and the names of the medicines you take.",
        30,
        5,
        30,
        [(EVERY_DAY, time(8, 30), time(11, 30)), (EVERY_DAY, time(14, 0), time(16, 30))],
    ),
    (
        "血糖检测",
        "Blood sugar test",
        "指尖采血，几分钟出结果。",
        "A finger-prick test; the result is ready in a few minutes.",
        "请空腹来（前一晚10点后不吃东西），带上社保卡。",
        "Do not eat after 10 pm the evening before. Bring your social security card.",
        30,
        4,
        60,
        [(range(6), time(7, 30), time(9, 30))],
    ),
    (
        "义诊",
        "Free clinic day",
        "社区医院的医生来站里看诊，免费。",
        "Doctors from the community hospital see patients at the station, free of charge.",
        "社保卡，病历本，正在吃的药。",
        "Your social security card, your medical record book and the medicines you take.",
        60,
        10,
        120,
        [((2,), time(9, 0), time(11, 0))],
    ),
]


def seed_health() -> dict:
    tz = portal_zone()
    today = today_local(tz)
    stations = []
    for community in db.session.scalars(db.select(Community).order_by(Community.id)).all():
        if community.name not in STATIONS:
            continue
        name, name_en, address, address_en, notes, notes_en = STATIONS[community.name]
        station = db.session.scalars(db.select(Station).filter_by(community_id=community.id, name=name)).first()
        if station is None:
            station = Station(
                community_id=community.id,
                name=name,
                name_en=name_en,
                address=address,
                address_en=address_en,
                opening_notes=notes,
                opening_notes_en=notes_en,
            )
            db.session.add(station)
            db.session.flush()
        stations.append(station)
        for s_name, s_en, desc, desc_en, bring, bring_en, minutes, places, cutoff, rows in SERVICES:
            service = db.session.scalars(db.select(Service).filter_by(station_id=station.id, name=s_name)).first()
            if service is None:
                service = Service(
                    station_id=station.id,
                    name=s_name,
                    name_en=s_en,
                    description=desc,
                    description_en=desc_en,
                    what_to_bring=bring,
                    what_to_bring_en=bring_en,
                    slot_minutes=minutes,
                    places_per_slot=places,
                    booking_cutoff_minutes=cutoff,
                )
                db.session.add(service)
                db.session.flush()
                for weekdays, start, end in rows:
                    for weekday in weekdays:
                        db.session.add(
                            WeeklySchedule(service_id=service.id, weekday=weekday, start_time=start, end_time=end)
                        )
    db.session.flush()
    # Each station's QR poster, leading to its booking page (the posters page would make it anyway).
    ensure_station_posters(db.session, [s for s in stations if s.active])
    # From local midnight, so today's morning slots exist for the demo roster even in the afternoon.
    midnight = local_to_utc(today, time(0, 0), tz)
    generate_slots(db.session, now=midnight, tz=tz)
    db.session.commit()
    for station in stations:
        seed_bookings(station, today, midnight, tz)
    return {"stations": len(stations)}


def seed_bookings(station: Station, today, midnight, tz) -> None:
    """Today: a morning of blood-pressure checks. Tomorrow: residents who need help, for the call list."""
    service_ids = [s.id for s in station.services]
    if db.session.scalar(db.select(db.func.count()).select_from(Booking).where(Booking.service_id.in_(service_ids))):
        return
    residents = db.session.scalars(
        db.select(Resident).where(Resident.community_id == station.community_id).order_by(Resident.id)
    ).all()
    helpers = {
        a.role: a
        for a in db.session.scalars(db.select(Account).where(Account.community_id == station.community_id)).all()
    }
    pressure = station.services[0]
    channels = ["online", "kiosk", "volunteer", "gridworker", "online", "phone"]
    plan = [(today, residents[:8]), (today + timedelta(days=1), [r for r in residents if r.needs_help][8:16])]
    for day, people in plan:
        slots = db.session.scalars(
            db.select(Slot)
            .where(Slot.service_id == pressure.id, Slot.day == day, Slot.closed.is_(False))
            .order_by(Slot.starts_at)
        ).all()
        for index, resident in enumerate(people):
            if not slots:
                break
            channel = channels[index % len(channels)]
            helper = helpers.get(channel)
            origin = {"channel": channel, "entered_by_id": helper.id if helper else None, "kiosk_id": None}
            try:
                book_slot(
                    db.session,
                    slot_id=slots[(index // 3) % len(slots)].id,
                    resident=resident,
                    now=midnight,
                    tz=tz,
                    origin=origin,
                    announce=False,
                )
            except BookingRefused:
                db.session.rollback()
