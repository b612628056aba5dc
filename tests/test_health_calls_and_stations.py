"""The grid worker's call list and the staff pages for stations, services, schedules and closures: who
may see what, and what gets recorded (the nurse's roster: test_health_staff.py)."""

import re
from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import AuditEvent, Booking, Closure, OutboxMessage, Resident, Service, Slot, Station

from tests.support.flows import HTMX
from tests.support.health import local_today
from tests.support.signin import sign_in

# ---- the grid worker's call list ----------------------------------------------------------------


def tomorrows_call_list(app):
    """(bookings expected on the grid worker's list, bookings that must not be on it)."""
    with app.app_context():
        tomorrow = local_today(app) + timedelta(days=1)
        rows = db.session.scalars(db.select(Booking).where(Booking.day == tomorrow, Booking.status == "booked")).all()
        mine = [
            b
            for b in rows
            if b.resident.grid.number in (1, 2) and b.resident.community_id == 1 and b.resident.needs_help
        ]
        others = [b for b in rows if b not in mine]
        return (
            [(b.reference, b.resident.family_contact, b.resident.phone) for b in mine],
            [b.reference for b in others],
        )


def test_the_call_list_shows_tomorrows_residents_who_need_a_person(app, client, auth):
    mine, others = tomorrows_call_list(app)
    assert mine, "the demo data should put someone on the call list"
    sign_in(auth, "gridworker")
    html = client.get("/health/calls").get_data(as_text=True)
    assert "明天的电话提醒" in html
    for reference, family, phone in mine:
        assert f"/health/calls/{reference}" in html
        assert (family or "未登记") in html
        assert (phone or "没有手机") in html
    for reference in others:
        assert f"/health/calls/{reference}" not in html
    viewed = db.select(db.func.count()).select_from(AuditEvent).filter_by(action="resident.contact_view")
    with app.app_context():  # showing full contact details is recorded
        assert db.session.scalar(viewed) == len(mine)
    client.get("/health/calls")  # once a day per card and viewer: opening the list again adds nothing
    with app.app_context():
        assert db.session.scalar(viewed) == len(mine)


def test_ticking_a_call_is_kept(app, client, auth):
    (reference, _family, _phone), *_rest = tomorrows_call_list(app)[0]
    sign_in(auth, "gridworker")
    client.get("/health/calls")
    response = client.submit(f"/health/calls/{reference}", {"done": "1"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert "<html" not in html and html.lstrip().startswith('<div id="calls"') and "撤销" in html
    assert re.search(r"已完成：1 / \d+", html)
    assert "已完成：1" in client.get("/health/calls").get_data(as_text=True)  # persisted
    response = client.submit(f"/health/calls/{reference}", {"done": "0"})  # without JavaScript
    assert response.status_code == 303
    assert "已完成：0" in client.get("/health/calls").get_data(as_text=True)


def test_a_grid_worker_cannot_tick_another_grids_resident(app, client, auth):
    with app.app_context():
        foreign = db.session.scalars(db.select(Booking).join(Resident).where(Resident.community_id == 2)).first()
        reference = foreign.reference
    sign_in(auth, "gridworker")
    assert client.submit(f"/health/calls/{reference}", {"done": "1"}).status_code == 404


def test_nurses_have_no_call_list(client, auth):
    sign_in(auth, "nurse")
    assert client.get("/health/calls").status_code == 403


# ---- staff: stations, services, schedules, closures ------------------------------------------------


def test_staff_add_a_station_service_and_opening_time_and_slots_appear(app, client, auth):
    sign_in(auth, "staff")
    html = client.submit("/health/manage/stations/new", {"name": "", "address": ""}).get_data(as_text=True)
    assert "请填写名称" in html and "请填写地址" in html and "<title>错误：" in html
    response = client.submit("/health/manage/stations/new", {"name": "南湖第二健康站", "address": "南湖路20号"})
    station_url = response.headers["Location"]
    station_id = int(station_url.rsplit("/", 1)[1])
    response = client.submit(
        f"/health/manage/stations/{station_id}/services/new",
        {"name": "血压测量", "slot_minutes": "abc", "places_per_slot": "5", "booking_cutoff_minutes": "60"},
    )
    assert "请填写5到480之间的整数" in response.get_data(as_text=True)
    response = client.submit(
        f"/health/manage/stations/{station_id}/services/new",
        {"name": "血压测量", "slot_minutes": "20", "places_per_slot": "3", "booking_cutoff_minutes": "0"},
    )
    schedule_url = response.headers["Location"]
    html = client.submit(schedule_url, {"weekday": "9", "start_time": "10:00", "end_time": "09:00"}).get_data(
        as_text=True
    )
    assert "请选择星期几" in html and "结束时间要晚于开始时间" in html
    weekday = (local_today(app) + timedelta(days=2)).weekday()
    response = client.submit(schedule_url, {"weekday": str(weekday), "start_time": "09:00", "end_time": "10:00"})
    assert response.status_code == 303
    with app.app_context():
        service = db.session.scalars(db.select(Service).filter_by(station_id=station_id)).one()
        slots = db.session.scalars(db.select(Slot).filter_by(service_id=service.id)).all()
        assert len(slots) == 3 * 4  # 09:00, 09:20, 09:40 on that weekday, for 4 weeks
        assert {s.capacity for s in slots} == {3}
    html = client.get(station_url).get_data(as_text=True)
    assert "南湖第二健康站" in html and "09:00–10:00" in html


def test_a_closure_cancels_bookings_and_queues_notices(app, client, auth):
    with app.app_context():
        tomorrow = local_today(app) + timedelta(days=1)
        affected = db.session.scalars(
            db.select(Booking)
            .join(Service)
            .where(Booking.day == tomorrow, Service.station_id == 1, Booking.status == "booked")
        ).all()
        with_phone = sum(1 for b in affected if b.resident.phone)
        assert affected
    sign_in(auth, "staff")
    html = client.submit("/health/manage/stations/1/closures/new", {"start_date": "soon"}).get_data(as_text=True)
    assert "请填写停诊的第一天" in html and "请填写告诉居民的停诊原因" in html
    response = client.submit(
        "/health/manage/stations/1/closures/new",
        {"start_date": tomorrow.isoformat(), "service": "all", "reason": "护士培训"},
    )
    assert response.status_code == 303 and f"cancelled={len(affected)}" in response.headers["Location"]
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count())
                .select_from(Booking)
                .where(Booking.day == tomorrow, Booking.status == "booked", Booking.service_id.in_([1, 2, 3]))
            )
            == 0
        )
        notices = db.session.scalars(db.select(OutboxMessage).filter_by(kind="booking.closure")).all()
        assert len(notices) == with_phone and all("护士培训" in n.text for n in notices)
        assert all(
            s.closed
            for s in db.session.scalars(db.select(Slot).where(Slot.day == tomorrow, Slot.service_id == 1)).all()
        )
        closure_id = db.session.scalars(db.select(Closure.id)).one()
    client.submit(f"/health/manage/closures/{closure_id}/delete", {})
    with app.app_context():
        assert not any(
            s.closed
            for s in db.session.scalars(db.select(Slot).where(Slot.day == tomorrow, Slot.service_id == 1)).all()
        )


def test_the_generate_button_reports_what_it_did(client, auth):
    sign_in(auth, "staff")
    response = client.submit("/health/manage/stations/1/generate", {})
    assert "generated=1" in response.headers["Location"]
    assert "可预约时间已更新" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    "user, url, expected",
    [
        ("staff", "/health/manage/stations/2", 404),
        ("nurse", "/health/manage", 403),
        ("gridworker", "/health/manage/stations/1", 403),
        ("admin", "/health/manage/stations/2", 200),
        (None, "/health/manage", 303),
    ],
)
def test_who_may_manage_stations(client, auth, user, url, expected):
    if user:
        sign_in(auth, user)
    assert client.get(url).status_code == expected


def test_the_demo_data_is_idempotent(app):
    from portal.seed import seed_demo

    with app.app_context():
        before = [
            db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (Station, Service, Slot, Booking)
        ]
        seed_demo()
        after = [
            db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (Station, Service, Slot, Booking)
        ]
        assert before == after and before[0] == 2 and before[3] > 0
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 0


def test_english_staff_pages(client, auth):
    client.get("/?lang=en")
    sign_in(auth, "nurse")
    html = client.get("/health/roster/1").get_data(as_text=True)
    assert "Day roster" in html and "Blood pressure check" in html and "Check in" in html
    sign_in(auth, "gridworker")
    assert "Reminder calls for tomorrow" in client.get("/health/calls").get_data(as_text=True)
