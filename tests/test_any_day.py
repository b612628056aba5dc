"""The date rules on any day (issue 9): the demo seed, booking, the nurse's roster, the grid worker's call
list, overdue requests and the helping page's upcoming appointments, on each of the seven weekdays (at
07:30 in Shanghai, which is still the day before in UTC), at a month end and at a year end (23:30, when
today's last times are gone and tomorrow is in the next month or year).

Each case travels to its moment, empties the database and seeds the demo data there, as `make run` on
that day would, then goes through the pages the way people do."""

import re
from datetime import datetime, timedelta

import pytest

from portal.extensions import db
from portal.models import Booking, Request, Resident, Station
from portal.seed import seed_demo
from portal.services.clock import portal_zone, this_year_local, today_local, utcnow
from portal.services.sla import is_overdue

from tests.support.app import restore_snapshot
from tests.support.flows import start_assisting
from tests.support.signin import sign_in

SHANGHAI = "+08:00"
MOMENTS = [f"2026-11-{day}T07:30:00{SHANGHAI}" for day in range(23, 30)] + [
    f"2027-01-31T23:30:00{SHANGHAI}",  # month end
    f"2026-12-31T23:30:00{SHANGHAI}",  # year end
]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "month-end", "year-end"]


def values(html, name):
    return re.findall(rf'name="{name}" value="([^"]+)"', html)


def seed_at(app, clock, moment: str) -> None:
    clock.move_to(datetime.fromisoformat(moment), tick=True)
    with app.app_context():
        restore_snapshot({})  # every table empty, as on a fresh install
        seed_demo()
        db.session.remove()


def demo_bookings(day) -> list[Booking]:
    return db.session.scalars(
        db.select(Booking).where(Booking.day == day, Booking.status == "booked").order_by(Booking.id)
    ).all()


def book_first_free_time(client) -> tuple[list[str], str]:
    """Station -> service -> the first day offered -> its first time -> confirm. Returns the days offered
    and the new booking's reference."""
    service = values(client.get("/health/stations/1").get_data(as_text=True), "service")[0]
    assert client.submit("/health/stations/1", {"service": service}).headers["Location"] == "/health/book/day"
    offered = values(client.get("/health/book/day").get_data(as_text=True), "day")
    day = offered[0]
    assert client.submit("/health/book/day", {"day": day}).headers["Location"] == "/health/book/time"
    slot = values(client.get("/health/book/time").get_data(as_text=True), "slot")[0]
    assert client.submit("/health/book/time", {"slot": slot}).headers["Location"] == "/health/book/confirm"
    response = client.submit("/health/book/confirm")
    assert response.status_code == 303, response.get_data(as_text=True)
    return offered, response.headers["Location"].split("/")[-1].split("?")[0]


@pytest.mark.parametrize("moment", MOMENTS, ids=WEEKDAYS)
def test_the_date_rules_hold_on_any_day(app, client, auth, clock, moment):
    seed_at(app, clock, moment)
    local = datetime.fromisoformat(moment)
    with app.app_context():
        today, tomorrow = today_local(), today_local() + timedelta(days=1)
        assert today == local.date()  # the portal's day, not the server's (UTC) one
        station = db.session.scalars(db.select(Station).order_by(Station.id)).first()
        booked_today = [b for b in demo_bookings(today) if b.service.station_id == station.id]
        booked_tomorrow = demo_bookings(tomorrow)
        # The demo has a morning of checks today and, tomorrow, the 9th to 16th residents who need help in
        # each community (the call list's people): all of them get a place, whatever the day.
        needing = {
            c: [
                r
                for r in db.session.scalars(db.select(Resident).filter_by(community_id=c).order_by(Resident.id))
                if r.needs_help
            ][8:16]
            for c in (1, 2)
        }
        assert len(booked_today) == 8
        assert sorted(b.resident_id for b in booked_tomorrow) == sorted(r.id for rs in needing.values() for r in rs)
        # Resident 1's demo check is this morning: still to come at 07:30, over at 23:30.
        first = db.session.scalars(
            db.select(Resident).where(Resident.community_id == station.community_id).order_by(Resident.id)
        ).first()
        first_booking = db.session.scalars(db.select(Booking).filter_by(resident_id=first.id)).one()
        upcoming = first_booking.slot.starts_at > utcnow()
        assert upcoming == (local.hour < 8)
        first_number, first_ref, first_day = first.number, first_booking.reference, first_booking.day
        assert first_day == today
        overdue = [r.ticket for r in db.session.scalars(db.select(Request)) if is_overdue(r, utcnow())]
        call_refs = {b.reference for b in booked_tomorrow if b.resident.grid_id in (1, 2)}
        roster_refs = [b.reference for b in booked_today]

    # The nurse's roster shows today's bookings, under today's date.
    sign_in(auth, "nurse")
    html = client.get(f"/health/roster/{station.id}?lang=en").get_data(as_text=True)
    assert all(f"/bookings/{ref}/check-in" in html for ref in roster_refs)
    assert f"{local:%A}, {local:%B} {local.day}, {local.year}" in html
    auth.logout()

    # The grid worker's call list is tomorrow's help-needing residents in their grids.
    sign_in(auth, "gridworker")
    html = client.get("/health/calls").get_data(as_text=True)
    listed = set(re.findall(r'action="/health/calls/([A-Z0-9]+)"', html))
    assert listed and listed <= call_refs
    auth.logout()

    # One request of the demo is overdue, on any day, and the overdue view lists it.
    assert overdue == ["HFT4WR9C"]
    sign_in(auth, "staff")
    assert "HFT4WR9C" in client.get("/requests/overdue").get_data(as_text=True)
    auth.logout()

    # A volunteer helping resident 1: their demo check is listed while it is still to come; a new booking
    # goes to the first time still open (tomorrow, in the next month or year, at 23:30) and is listed too.
    sign_in(auth, "volunteer")
    start_assisting(client, first_number, reason="帮居民约量血压")
    html = client.get("/assist/now").get_data(as_text=True)
    assert ("Their next appointments" in html) == upcoming and (
        f'href="/health/bookings/{first_ref}"' in html
    ) == upcoming
    offered, reference = book_first_free_time(client)
    # The first day offered is tomorrow (in the next month or year at 23:30): at 07:30 today is left out
    # because the resident is booked already (one check a day), at 23:30 because its times are gone.
    assert today.isoformat() not in offered and offered[0] == tomorrow.isoformat()
    with app.app_context():
        booking = db.session.scalars(db.select(Booking).filter_by(reference=reference)).one()
        assert booking.day == tomorrow and booking.slot.starts_at > utcnow()
    html = client.get("/assist/now").get_data(as_text=True)
    assert "Their next appointments" in html and f'href="/health/bookings/{reference}"' in html


@pytest.mark.parametrize(
    "moment, year",
    [
        ("2027-01-01T07:00:00+08:00", 2027),  # still 31 December in UTC
        ("2026-12-31T23:30:00+08:00", 2026),
    ],
)
def test_this_year_is_the_year_in_the_portals_time_zone(app, client, clock, moment, year):
    """A birth year up to this year is a year; the year is Shanghai's, whatever the server's clock says."""
    clock.move_to(datetime.fromisoformat(moment), tick=True)
    with app.app_context():
        assert this_year_local() == year and today_local(portal_zone()).year == year
    client.get("/identify?lang=en")
    # This year is accepted (on the open web the next page asks for the code sent by SMS) ...
    response = client.submit("/identify?lang=en", {"phone": "13900000000", "birth_year": str(year)})
    assert response.status_code == 303 and response.headers["Location"] == "/identify/code"
    # ... next year is not.
    html = client.submit("/identify?lang=en", {"phone": "13900000000", "birth_year": str(year + 1)}).get_data(
        as_text=True
    )
    assert "it must be between 1900 and this year" in html


def test_only_the_clock_module_reads_the_system_clock():
    """One place for now (services/clock.py): a new date rule that asks the system clock itself would
    escape the tests' clock, or use the server's day instead of the portal's."""
    import pathlib

    import portal

    reads = re.compile(r"\b(datetime\.now|datetime\.utcnow|date\.today|time\.time|time\.time_ns|time\.localtime)\(")
    package = pathlib.Path(portal.__file__).parent
    found = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        if path.name != "clock.py" or path.parent.name != "services"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if reads.search(line)
    ]
    assert found == []
