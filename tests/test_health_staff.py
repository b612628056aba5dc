"""The nurse's roster: check-in, scan, no-show, cancel and walk-ins; who may see it, and what gets
recorded (the call list and the station pages: test_health_calls_and_stations.py)."""

from datetime import time, timedelta

import pytest

from portal.extensions import db
from portal.models import AuditEvent, Booking, Resident, Service, Slot, Station
from portal.services.booking import book_slot
from portal.services.cards import card_token
from portal.services.slots import get_zone, local_to_utc

from tests.support.flows import HTMX
from tests.support.health import local_today
from tests.support.signin import sign_in


@pytest.fixture
def today_booking(app):
    """A fresh booking today at station 1, for a resident with a phone, in a slot with one place left."""
    with app.app_context():
        station = db.session.scalars(db.select(Station).order_by(Station.id)).first()
        service = station.services[0]
        tz = get_zone(app.config["PORTAL_TIMEZONE"])
        day = local_today(app)
        starts_at = local_to_utc(day, time(6, 0), tz)
        slot = Slot(
            service_id=service.id, day=day, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=30), capacity=2
        )
        db.session.add(slot)
        db.session.commit()
        resident = db.session.scalars(
            db.select(Resident)
            .where(Resident.community_id == station.community_id, Resident.phone.is_not(None))
            .order_by(Resident.id.desc())
        ).first()
        booking = book_slot(db.session, slot_id=slot.id, resident=resident, now=starts_at - timedelta(days=1), tz=tz)
        return {
            "station": station.id,
            "slot": slot.id,
            "reference": booking.reference,
            "resident": resident.id,
            "token": card_token(resident, app.config["SECRET_KEY"]),
            "name": resident.name,
            "phone": resident.phone,
        }


def free_resident(app, today_booking):
    """A resident of community 1, with a phone, with no booking today."""
    booked_today = db.select(Booking.resident_id).where(Booking.day == local_today(app))
    return db.session.scalars(
        db.select(Resident)
        .where(Resident.community_id == 1, Resident.phone.is_not(None), Resident.id.not_in(booked_today))
        .order_by(Resident.id.desc())
    ).first()


def booking_status(app, reference):
    with app.app_context():
        return db.session.scalars(db.select(Booking.status).filter_by(reference=reference)).one()


def test_the_roster_masks_names_and_phones(app, client, auth, today_booking):
    sign_in(auth, "nurse")
    assert client.get("/health/roster").headers["Location"] == f"/health/roster/{today_booking['station']}"
    html = client.get(f"/health/roster/{today_booking['station']}").get_data(as_text=True)
    assert "当天名单" in html and "血压测量" in html
    assert today_booking["name"] not in html and today_booking["phone"] not in html
    masked_phone = today_booking["phone"][:3] + "****" + today_booking["phone"][-4:]
    assert masked_phone in html and "06:00" in html and "已预约" in html
    assert "自助服务机" in html and "志愿者代约" in html  # channels of the demo bookings


@pytest.mark.parametrize("user, expected", [(None, 303), ("gridworker", 403), ("volunteer", 403)])
def test_only_nurses_and_staff_see_rosters(client, auth, user, expected):
    if user:
        sign_in(auth, user)
    assert client.get("/health/roster/1").status_code == expected


def test_a_nurse_sees_only_her_own_communitys_station(client, auth):
    sign_in(auth, "nurse")
    assert client.get("/health/roster/2").status_code == 404
    assert client.submit("/health/roster/2/scan", {"code": "X"}).status_code == 404


def test_one_tap_check_in_without_javascript(app, client, auth, today_booking):
    sign_in(auth, "nurse")
    url = f"/health/roster/{today_booking['station']}/bookings/{today_booking['reference']}/check-in"
    response = client.submit(url, {})
    assert response.status_code == 303 and "done=check-in" in response.headers["Location"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已签到：" in html
    assert booking_status(app, today_booking["reference"]) == "checked_in"
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="booking.check_in")).one()
        assert event.resident_id == today_booking["resident"] and event.actor.username == "nurse"


def test_one_tap_check_in_with_htmx_swaps_the_roster(app, client, auth, today_booking):
    sign_in(auth, "nurse")
    client.get(f"/health/roster/{today_booking['station']}")
    url = f"/health/roster/{today_booking['station']}/bookings/{today_booking['reference']}/check-in"
    response = client.submit(url, {}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div id="roster"') and "已签到：" in html
    assert booking_status(app, today_booking["reference"]) == "checked_in"
    # A second tap (or a second nurse) changes nothing and shows the roster as it is.
    assert client.submit(url, {}, headers=HTMX).status_code == 200
    with app.app_context():
        assert (
            db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).filter_by(action="booking.check_in"))
            == 1
        )


@pytest.mark.parametrize("code_kind", ["card", "slip"])
def test_check_in_by_scanning_the_card_or_the_slip(app, client, auth, today_booking, code_kind):
    sign_in(auth, "nurse")
    code = today_booking["token"] if code_kind == "card" else today_booking["reference"].lower()
    html = client.submit(f"/health/roster/{today_booking['station']}/scan", {"code": f" {code}\n"}).get_data(
        as_text=True
    )
    assert "已签到：" in html
    assert booking_status(app, today_booking["reference"]) == "checked_in"


def test_scanning_problems_are_explained_and_the_code_kept(app, client, auth, today_booking):
    sign_in(auth, "nurse")
    url = f"/health/roster/{today_booking['station']}/scan"
    html = client.submit(url, {"code": "NOPE1234"}).get_data(as_text=True)
    assert "本站没有这个号码的预约" in html and 'value="NOPE1234"' in html and "<title>错误：" in html
    html = client.submit(url, {"code": "LC1-12345678-1-AAAAAAAAAAAAAAAA"}).get_data(as_text=True)
    assert "卡片编码不对" in html
    html = client.submit(url, {"code": ""}).get_data(as_text=True)
    assert "扫居民卡或预约单上的二维码" in html
    with app.app_context():  # a slip for another day
        other = db.session.scalars(
            db.select(Booking)
            .join(Service, Booking.service_id == Service.id)
            .where(Booking.day > local_today(app), Service.station_id == today_booking["station"])
            .order_by(Booking.id)
        ).first()
        reference = other.reference
    html = client.submit(url, {"code": reference}).get_data(as_text=True)
    assert "不是今天的" in html


def test_no_show_and_staff_cancellation(app, client, auth, today_booking):
    sign_in(auth, "nurse")
    station, reference = today_booking["station"], today_booking["reference"]
    client.submit(f"/health/roster/{station}/bookings/{reference}/no-show", {})
    assert booking_status(app, reference) == "no_show"
    with app.app_context():  # a second booking on this station's roster, in the fixture's slot
        slot = db.session.get(Slot, today_booking["slot"])
        tz = get_zone(app.config["PORTAL_TIMEZONE"])
        other = book_slot(
            db.session,
            slot_id=slot.id,
            resident=free_resident(app, today_booking),
            now=slot.starts_at - timedelta(days=1),
            tz=tz,
        )
        other_ref = other.reference
    assert "原因（选填）" in client.get(f"/health/roster/{station}/bookings/{other_ref}/cancel").get_data(as_text=True)
    response = client.submit(f"/health/roster/{station}/bookings/{other_ref}/cancel", {"reason": "电话取消"})
    assert response.status_code == 303
    assert booking_status(app, other_ref) == "cancelled"
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="booking.cancel")).one()
        assert event.reason == "电话取消" and event.actor.username == "nurse" and event.detail == other_ref


def test_walk_in_into_a_slot_with_room(app, client, auth, today_booking):
    sign_in(auth, "nurse")
    url = f"/health/roster/{today_booking['station']}/walk-in"
    html = client.get(url).get_data(as_text=True)
    assert "添加现场来访" in html and f'value="{today_booking["slot"]}"' in html
    with app.app_context():
        walker = free_resident(app, today_booking)
        phone, year, walker_id = walker.phone, str(walker.birth_year), walker.id
    response = client.submit(url, {"phone": phone, "birth_year": year, "slot": today_booking["slot"]})
    assert response.status_code == 303 and "done=walk-in" in response.headers["Location"]
    with app.app_context():
        booking = db.session.scalars(db.select(Booking).filter_by(resident_id=walker_id, walk_in=True)).one()
        assert booking.status == "checked_in" and not booking.over_capacity and booking.channel == "staff"
        assert db.session.get(Slot, today_booking["slot"]).booked == 2
    assert "现场来访" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_walk_in_over_capacity_needs_an_explicit_recorded_confirmation(app, client, auth, today_booking):
    sign_in(auth, "nurse")
    url = f"/health/roster/{today_booking['station']}/walk-in"
    with app.app_context():
        db.session.get(Slot, today_booking["slot"]).capacity = 1  # the one booking fills it
        db.session.commit()
        walker = free_resident(app, today_booking)
        form = {"phone": walker.phone, "birth_year": str(walker.birth_year), "slot": today_booking["slot"]}
        walker_id = walker.id
    response = client.submit(url, form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "这个时间已约满" in html and "超出名额添加" in html
    assert f'value="{form["phone"]}"' in html  # what the nurse typed is kept
    response = client.submit(url, {**form, "over_capacity": "yes"})
    assert response.status_code == 303
    with app.app_context():
        booking = db.session.scalars(db.select(Booking).filter_by(resident_id=walker_id)).one()
        slot = db.session.get(Slot, today_booking["slot"])
        assert booking.over_capacity and (slot.booked, slot.capacity, slot.overbooked) == (1, 1, 1)
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="booking.walk_in_over_capacity")).one()
        assert event.actor.username == "nurse" and event.resident_id == walker_id
    html = client.get(f"/health/roster/{today_booking['station']}").get_data(as_text=True)
    assert "超出名额" in html


def test_a_walk_in_for_someone_already_booked_says_check_them_in(app, client, auth, today_booking):
    sign_in(auth, "nurse")
    with app.app_context():
        resident = db.session.get(Resident, today_booking["resident"])
        form = {"phone": resident.phone, "birth_year": str(resident.birth_year), "slot": today_booking["slot"]}
    html = client.submit(f"/health/roster/{today_booking['station']}/walk-in", form).get_data(as_text=True)
    assert "这位居民今天已经约了这个项目，请直接为他签到" in html


def test_walk_in_form_errors_are_plain(client, auth, today_booking):
    sign_in(auth, "nurse")
    html = client.submit(f"/health/roster/{today_booking['station']}/walk-in", {}).get_data(as_text=True)
    assert "请输入手机号码" in html and "请为现场来访选择时间和检查项目" in html and "<title>错误：" in html
