"""The rules that left the views, tested without HTTP: who sees what (services/permissions.py), who may
file for whom (services/filing.py), check-in and walk-ins (services/checkin.py), station management
(services/stations.py) and when a booking can still be changed (services/booking.py)."""

from datetime import time, timedelta

import pytest

from portal.extensions import db
from portal.models import Account, Booking, Request, Resident, Station
from portal.services import permissions
from portal.services.booking import BookingRefused, book_slot, cancel_booking, is_changeable, why_not_offered
from portal.services.checkin import (
    CheckInRefused,
    add_walk_in,
    check_in,
    may_mark,
    resident_bookings_to_check_in,
    slip_to_check_in,
    walk_in_slots,
)
from portal.services.filing import may_file_for, may_see_receipt, way_in
from portal.services.stations import check_closure, check_fields, check_schedule

from tests.support.health import NOW, TODAY, TOMORROW, TZ, make_residents, make_slot


def account(username):
    return db.session.scalars(db.select(Account).filter_by(username=username)).one()


# -- permissions: the scope ladder, once ---------------------------------------------------------------
def test_each_role_sees_its_own_stations_grids_and_communities(app):
    with app.app_context():
        assert {s.community_id for s in permissions.visible_stations(db.session, account("admin"))} == {1, 2}
        assert {s.community_id for s in permissions.visible_stations(db.session, account("nurse"))} == {1}
        assert [c.id for c in permissions.visible_communities(db.session, account("admin"))] == [1, 2]
        assert [c.id for c in permissions.visible_communities(db.session, account("staff"))] == [1]
        assert [g.number for g in permissions.visible_grids(db.session, account("gridworker"))] == [1, 2]
        assert {g.community_id for g in permissions.visible_grids(db.session, account("staff"))} == {1}


def test_residents_in_scope_are_a_grid_workers_grids_and_a_volunteers_community(app):
    with app.app_context():

        def grids_of(username):
            query = permissions.scope_residents(db.select(Resident.grid_id).distinct(), account(username))
            return set(db.session.scalars(query))

        assert grids_of("gridworker") == {1, 2}
        assert grids_of("volunteer") == {1, 2, 3, 4}
        assert grids_of("admin") >= {1, 5}


def test_requests_in_scope_and_nothing_for_roles_that_do_not_handle_them(app):
    with app.app_context():

        def tickets(username):
            return set(db.session.scalars(permissions.scope_requests(db.select(Request.ticket), account(username))))

        assert "K7MX3PQA" in tickets("gridworker") and "DNP7QX3E" not in tickets("gridworker")
        assert {"K7MX3PQA", "DNP7QX3E"} <= tickets("staff") and "CYW3EA7N" not in tickets("staff")
        assert "CYW3EA7N" in tickets("admin")
        assert tickets("volunteer") == set() and tickets("nurse") == set()


# -- filing: who may file for whom ----------------------------------------------------------------------
def test_the_way_into_filing_depends_on_who_is_at_the_screen(app):
    with app.app_context():
        assert way_in(None, assisted=False) == "self"
        assert way_in(account("volunteer"), assisted=False) == "help_first"
        assert way_in(account("gridworker"), assisted=False) == "direct"
        assert way_in(account("gridworker"), assisted=True) == "assisted"
        assert way_in(account("staff"), assisted=False) == "self"


def test_a_flow_holds_only_for_the_same_person_and_scope(app):
    with app.app_context():
        own = db.session.scalars(db.select(Resident).filter_by(grid_id=1)).first()
        other_grid = db.session.scalars(db.select(Resident).filter_by(grid_id=3)).first()
        worker = account("gridworker")
        assert may_file_for("direct", own, account=worker, assisted_resident=None, identified=None)
        assert not may_file_for("direct", other_grid, account=worker, assisted_resident=None, identified=None)
        assert not may_file_for("direct", own, account=account("volunteer"), assisted_resident=None, identified=None)
        assert not may_file_for("direct", own, account=worker, assisted_resident=own, identified=None)
        assert may_file_for("assisted", own, account=worker, assisted_resident=own, identified=None)
        assert not may_file_for("assisted", own, account=worker, assisted_resident=other_grid, identified=None)
        assert may_file_for("self", own, account=None, assisted_resident=None, identified=own)
        assert not may_file_for("self", own, account=None, assisted_resident=None, identified=other_grid)


def test_who_sees_a_receipt(app):
    with app.app_context():
        req = db.session.scalars(db.select(Request).filter_by(ticket="CYW3EA7N")).one()
        nobody = {"account": None, "identified": None, "receipts": []}
        assert not may_see_receipt(req, **nobody)
        assert may_see_receipt(req, **{**nobody, "receipts": ["CYW3EA7N"]})
        assert may_see_receipt(req, **{**nobody, "identified": req.resident})
        assert may_see_receipt(req, **{**nobody, "account": account("admin")})
        assert not may_see_receipt(req, **{**nobody, "account": account("staff")})  # another community's


# -- check-in and walk-ins --------------------------------------------------------------------------------
def test_marking_is_for_today_and_days_gone_only():
    assert may_mark(TODAY, TODAY) and may_mark(TODAY - timedelta(days=3), TODAY)
    assert not may_mark(TOMORROW, TODAY)


def test_a_slip_checks_in_only_at_its_station_on_its_day_while_booked(app, service):  # noqa: F811
    slot = make_slot(service, TODAY, time(10, 30))
    resident = make_residents(1)[0]
    booking = book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ)
    here = service.station
    assert slip_to_check_in(here, booking, TODAY) is booking
    elsewhere = db.session.scalars(db.select(Station).where(Station.id != here.id)).first()
    for where, day, reason in [(elsewhere, TODAY, "unknown_code"), (here, TOMORROW, "other_day")]:
        with pytest.raises(CheckInRefused) as caught:
            slip_to_check_in(where, booking, day)
        assert caught.value.reason == reason
    with pytest.raises(CheckInRefused, match="unknown_code"):
        slip_to_check_in(here, None, TODAY)
    check_in(db.session, booking_id=booking.id, now=NOW, actor=None)
    with pytest.raises(CheckInRefused, match="already"):
        slip_to_check_in(here, db.session.get(Booking, booking.id), TODAY)


def test_a_card_checks_in_every_booking_of_the_day_or_says_there_is_none(app, service):  # noqa: F811
    slot = make_slot(service, TODAY, time(10, 30))
    booked, empty = make_residents(2)
    booking = book_slot(db.session, slot_id=slot.id, resident=booked, now=NOW, tz=TZ)
    assert resident_bookings_to_check_in(db.session, service.station, booked, TODAY) == [booking]
    with pytest.raises(CheckInRefused) as caught:
        resident_bookings_to_check_in(db.session, service.station, empty, TODAY)
    assert (caught.value.reason, caught.value.resident) == ("no_appointment", empty)


def test_walk_ins_take_open_times_and_go_over_the_places_only_when_confirmed(app, service):  # noqa: F811
    full = make_slot(service, TODAY, time(11, 0), capacity=1)
    closed = make_slot(service, TODAY, time(11, 30))
    closed.closed = True
    db.session.commit()
    assert [s.id for s in walk_in_slots(db.session, service.station, TODAY)] == [full.id]
    first, second = make_residents(2)
    common = {"now": NOW, "tz": TZ, "actor": None}
    add_walk_in(db.session, slot=full, resident=first, over_capacity_confirmed=False, **common)
    with pytest.raises(BookingRefused, match="full"):
        add_walk_in(db.session, slot=full, resident=second, over_capacity_confirmed=False, **common)
    booking = add_walk_in(db.session, slot=full, resident=second, over_capacity_confirmed=True, **common)
    assert booking.over_capacity and booking.status == "checked_in"
    with pytest.raises(BookingRefused, match="duplicate"):
        add_walk_in(db.session, slot=full, resident=second, over_capacity_confirmed=True, **common)


# -- booking: what can still be changed, and why a time is not offered ------------------------------------
def test_a_booking_can_be_changed_until_it_starts_and_while_booked(app, service):  # noqa: F811
    slot = make_slot(service, TODAY, time(10, 30))
    booking = book_slot(db.session, slot_id=slot.id, resident=make_residents(1)[0], now=NOW, tz=TZ)
    assert is_changeable(booking, NOW)
    assert not is_changeable(booking, NOW + timedelta(hours=2))  # 11:00 in Shanghai: it has started
    cancel_booking(db.session, booking_id=booking.id, now=NOW, tz=TZ)
    assert not is_changeable(db.session.get(Booking, booking.id), NOW)


def test_why_a_time_is_not_offered(app, service):  # noqa: F811
    earlier, later = make_slot(service, TODAY, time(8, 0)), make_slot(service, TOMORROW, time(8, 0))
    assert why_not_offered(earlier, NOW) == "past"
    assert why_not_offered(later, NOW) == "full"
    later.closed = True
    assert why_not_offered(later, NOW) == "closed"


# -- station management -------------------------------------------------------------------------------------
def test_station_and_service_fields():
    assert check_fields({"name": "", "address": "路"}) == {"name": "missing"}
    assert check_fields({"name": "站", "address": ""}) == {"address": "missing"}
    assert check_fields(
        {"name": "x", "slot_minutes": "4", "places_per_slot": "500", "booking_cutoff_minutes": "sixty"},
        required=("name",),
    ) == {"slot_minutes": "number", "booking_cutoff_minutes": "number"}


def test_weekly_opening_times():
    assert check_schedule("0", "08:30", "11:30") == (0, time(8, 30), time(11, 30), {})
    assert check_schedule("7", "09:30", "08:00")[3] == {"weekday": "missing", "end_time": "before_start"}
    assert check_schedule("2", "noon", "25:00")[3] == {"start_time": "invalid", "end_time": "invalid"}


def test_closures():
    values = {"start_date": "2026-10-01", "end_date": "", "service": "all", "reason": "国庆"}
    start, end, errors = check_closure(values, {})
    assert (start, end, errors) == (TODAY.replace(month=10, day=1), TODAY.replace(month=10, day=1), {})
    _s, _e, errors = check_closure({**values, "end_date": "2026-09-30", "service": "9", "reason": ""}, {"1": 1})
    assert errors == {"end_date": "before_start", "service": "missing", "reason": "missing"}
    assert check_closure({**values, "start_date": "soon", "end_date": "later"}, {})[2] == {
        "start_date": "invalid",
        "end_date": "invalid",
    }
