"""Health stations for the tests: a test station with a known schedule and a fixed clock, and the demo
station's blood-pressure service with a resident who can book it.

NOW is Monday 2 March 2026, 09:00 in Shanghai (01:00 UTC). The test service runs Monday to Friday,
08:00 to 12:00, in 30-minute slots of 5 places; booking closes 60 minutes before a slot starts.
"""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from portal.extensions import db
from portal.models import Community, Resident, Service, Slot, Station, WeeklySchedule
from portal.services.booking import BookingRefused
from portal.services.residents import new_resident_number
from portal.services.slots import get_zone, local_to_utc

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
TODAY = date(2026, 3, 2)
TOMORROW = TODAY + timedelta(days=1)


def local_today(app) -> date:
    """Today's date in the portal's time zone."""
    return datetime.now(timezone.utc).astimezone(get_zone(app.config["PORTAL_TIMEZONE"])).date()


def make_station(name="测试健康站", places=5, cutoff=60, weekdays=range(5), start=time(8), end=time(12)) -> Station:
    community = db.session.scalars(db.select(Community).order_by(Community.id)).first()
    station = Station(
        community_id=community.id,
        name=name,
        name_en="Test health station",
        address="测试路1号",
        address_en="1 Test Road",
    )
    service = Service(
        station=station,
        name="血压测量",
        name_en="Blood pressure check",
        slot_minutes=30,
        places_per_slot=places,
        booking_cutoff_minutes=cutoff,
        what_to_bring="社保卡",
        what_to_bring_en="Your social security card",
    )
    for weekday in weekdays:
        service.schedules.append(WeeklySchedule(weekday=weekday, start_time=start, end_time=end))
    db.session.add(station)
    db.session.commit()
    return station


def make_slot(service: Service, day: date, at: time, capacity: int = 5) -> Slot:
    starts_at = local_to_utc(day, at, TZ)
    slot = Slot(
        service_id=service.id,
        day=day,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=service.slot_minutes),
        capacity=capacity,
    )
    db.session.add(slot)
    db.session.commit()
    return slot


def make_residents(count: int, phone: bool = True, start: int = 0) -> list[Resident]:
    """New residents in the first community's first grid, with distinct phone numbers (or none)."""
    community = db.session.scalars(db.select(Community).order_by(Community.id)).first()
    grid = community.grids[0]
    residents = [
        Resident(
            number=new_resident_number(),
            name=f"测试{start + i}号",
            birth_year=1950,
            phone=f"1370000{start + i:04d}" if phone else None,
            community_id=community.id,
            grid_id=grid.id,
            building_id=grid.buildings[0].id,
        )
        for i in range(count)
    ]
    db.session.add_all(residents)
    db.session.commit()
    return residents


@pytest.fixture
def station(app):
    with app.app_context():
        yield make_station()


@pytest.fixture
def service(station):
    return station.services[0]


def refused(reason, call, *args, **kwargs):
    """Call a booking service and check that it refuses with `reason`; returns the refusal."""
    with pytest.raises(BookingRefused) as caught:
        call(*args, **kwargs)
    assert caught.value.reason == reason
    return caught.value


def count(model, **filters):
    """How many rows of `model` match the filters."""
    return db.session.scalar(db.select(db.func.count()).select_from(model).filter_by(**filters))


@pytest.fixture
def slot(service):
    """A 2-place slot of the test service, tomorrow at 09:00."""
    return make_slot(service, TOMORROW, time(9, 0), capacity=2)


@pytest.fixture
def resident(station):
    """A new resident with a phone, for booking at the test station."""
    return make_residents(1)[0]


@pytest.fixture
def demo(app):
    """The first demo station's blood-pressure service and a resident of its community who has a phone."""
    with app.app_context():
        station = db.session.scalars(db.select(Station).order_by(Station.id)).first()
        pressure = db.session.scalars(db.select(Service).filter_by(station_id=station.id, name="血压测量")).one()
        senior = db.session.scalars(
            db.select(Resident)
            .where(Resident.community_id == station.community_id, Resident.phone.is_not(None))
            .order_by(Resident.id.desc())
        ).first()
        return {
            "station": station.id,
            "service": pressure.id,
            "phone": senior.phone,
            "year": str(senior.birth_year),
            "resident": senior.id,
        }
