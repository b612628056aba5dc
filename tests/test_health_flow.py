"""The resident's booking flow through the test client: one choice per page, with JavaScript off (plain
forms) and on (the same requests as htmx's boosted navigation), the slip, My appointments, and the
plain-language refusals that keep what was chosen."""

import re
from datetime import date, timedelta, timezone

import pytest

from portal.extensions import db
from portal.models import Booking, OutboxMessage, Resident, Slot
from portal.services.booking import book_slot
from portal.services.slots import get_zone

from tests.support.flows import BOOSTED, book_one, identify, values, walk_to_confirm
from tests.support.identity import identify_on_web


@pytest.mark.parametrize("headers", [{}, BOOSTED], ids=["javascript-off", "javascript-on"])
def test_a_resident_books_and_gets_a_slip(app, client, demo, headers):
    day, slot_id = walk_to_confirm(client, demo, headers)
    # Who are you: the shared identification page, then straight back to confirm.
    response = client.get("/health/book/confirm", headers=headers)
    assert response.status_code == 303 and response.headers["Location"].startswith("/identify?next=")
    response = identify_on_web(client, demo["phone"], demo["year"], "/health/book/confirm", headers=headers)
    assert response.headers["Location"] == "/health/book/confirm"
    html = client.get("/health/book/confirm", headers=headers).get_data(as_text=True)
    assert "请核对您的预约" in html and "血压测量" in html and "社保卡" in html
    response = client.submit("/health/book/confirm", {}, headers=headers)
    assert response.status_code == 303
    slip_url = response.headers["Location"]
    assert re.match(r"^/health/bookings/[A-Z2-9]{8}\?new=1$", slip_url)
    html = client.get(slip_url, headers=headers).get_data(as_text=True)
    with app.app_context():
        booking = db.session.scalars(
            db.select(Booking).filter_by(resident_id=demo["resident"]).order_by(Booking.id.desc())
        ).first()
        slot = db.session.get(Slot, slot_id)
        assert booking.slot_id == slot_id and booking.channel == "online" and booking.locale == "zh_Hans_CN"
        assert slot.booked >= 1
        message = db.session.scalars(db.select(OutboxMessage).filter_by(resident_id=demo["resident"])).one()
        assert message.kind == "booking.created" and message.recipient == demo["phone"]
    assert "预约成功" in html and "健康站预约单" in html
    assert f'<dd class="slip-number">{booking.queue_number}</dd>' in html
    assert "星期" in html and "南湖社区智慧健康站" in html and "南湖路18号社区服务中心一楼" in html
    assert "社保卡，平时吃的药的名字。" in html
    assert '<svg class="qr" role="img"' in html and booking.reference[:4] + "-" + booking.reference[4:] in html
    # The flow is finished: its answers are gone, so a new booking starts from the station.
    assert client.get("/health/book/day").headers["Location"] == "/health/"


def test_choices_are_kept_when_going_back(client, demo):
    day, slot_id = walk_to_confirm(client, demo)
    html = client.get("/health/book/day").get_data(as_text=True)
    assert re.search(rf'value="{day}"\s+class="pick pick-day pick-chosen"', html)
    html = client.get(f"/health/stations/{demo['station']}").get_data(as_text=True)
    assert "pick-chosen" in html and "您选的" in html


def test_steps_cannot_be_skipped_by_address(client, demo):
    client.get(f"/health/stations/{demo['station']}")
    assert client.get("/health/book/time").headers["Location"] == f"/health/stations/{demo['station']}"
    client.submit(f"/health/stations/{demo['station']}", {"service": demo["service"]})
    assert client.get("/health/book/time").headers["Location"] == "/health/book/day"


def fill(app, slot_ids):
    with app.app_context():
        for slot in db.session.scalars(db.select(Slot).where(Slot.id.in_(slot_ids))).all():
            slot.booked = slot.capacity
        db.session.commit()


def test_full_days_show_but_cannot_be_chosen(app, client, demo):
    client.get(f"/health/stations/{demo['station']}")
    client.submit(f"/health/stations/{demo['station']}", {"service": demo["service"]})
    html = client.get("/health/book/day").get_data(as_text=True)
    day = values(html, "day")[4]
    with app.app_context():
        fill(
            app,
            [
                s.id
                for s in db.session.scalars(
                    db.select(Slot).filter_by(service_id=demo["service"], day=date.fromisoformat(day))
                ).all()
            ],
        )
    html = client.get("/health/book/day").get_data(as_text=True)
    assert day not in values(html, "day")
    assert re.search(r'type="button" disabled\s+class="pick pick-day pick-off">', html)
    assert "已约满" in html
    # Someone who chose it from an older page gets a plain sentence and stays on the day page.
    response = client.submit("/health/book/day", {"day": day})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "已经约满了，请选其他日子" in html and "<title>错误：" in html


def test_only_times_with_places_are_offered(app, client, demo):
    walk_to_confirm(client, demo)
    html = client.get("/health/book/time").get_data(as_text=True)
    first, second = values(html, "slot")[:2]
    fill(app, [int(first)])
    html = client.get("/health/book/time").get_data(as_text=True)
    assert first not in values(html, "slot") and second in values(html, "slot")
    response = client.submit("/health/book/time", {"slot": first})
    assert response.status_code == 200 and "已经约满了，请选其他时间" in response.get_data(as_text=True)


def test_a_place_taken_meanwhile_is_refused_plainly_and_the_choices_are_kept(app, client, demo):
    day, slot_id = walk_to_confirm(client, demo)
    identify(client, demo)
    fill(app, [slot_id])
    response = client.submit("/health/book/confirm", {})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "抱歉" in html and "已经约满了，请选其他时间。" in html
    assert 'href="#time"' in html and 'id="time"' in html  # summary link lands on the time row
    assert "血压测量" in html  # what they chose is still there
    assert client.get("/health/book/day").status_code == 200  # and the flow is still going


def test_one_booking_per_service_per_day(app, client, demo):
    day, slot_id = walk_to_confirm(client, demo)
    identify(client, demo)
    assert client.submit("/health/book/confirm", {}).status_code == 303
    # The day picker says so before anything is chosen, and does not offer that day again.
    client.submit(f"/health/stations/{demo['station']}", {"service": demo["service"]})
    html = client.get("/health/book/day").get_data(as_text=True)
    assert day not in values(html, "day") and "您已预约" in html
    # Booked on another day in the meantime (another tab, or a helper): the confirm page still refuses it.
    other_day, other_slot = walk_to_confirm(client, demo)
    with app.app_context():
        meanwhile = db.session.scalars(
            db.select(Slot).where(
                Slot.service_id == demo["service"],
                Slot.day == date.fromisoformat(other_day),
                Slot.id != other_slot,
                Slot.booked < Slot.capacity,
            )
        ).first()
        book_slot(
            db.session,
            slot_id=meanwhile.id,
            resident=db.session.get(Resident, demo["resident"]),
            now=meanwhile.starts_at - timedelta(days=1),
            tz=get_zone(app.config["PORTAL_TIMEZONE"]),
        )
    html = client.submit("/health/book/confirm", {}).get_data(as_text=True)
    assert "同一个项目每天只能约一次" in html and 'href="#day"' in html


def test_booking_closes_before_the_start(app, client, demo, clock):
    day, slot_id = walk_to_confirm(client, demo)
    with app.app_context():
        slot = db.session.get(Slot, slot_id)
        almost = slot.starts_at.replace(tzinfo=timezone.utc) - timedelta(minutes=10)
    # Ten minutes before the start (identified then: an identification lasts 30 minutes).
    clock.move_to(almost)
    identify(client, demo)
    html = client.submit("/health/book/confirm", {}).get_data(as_text=True)
    assert "已停止预约" in html and "开始前30分钟" in html
    clock.shift(timedelta(hours=1))
    identify(client, demo)
    html = client.submit("/health/book/confirm", {}).get_data(as_text=True)
    assert "已经过了" in html


def test_closed_days_cannot_be_booked(app, client, demo):
    day, slot_id = walk_to_confirm(client, demo)
    identify(client, demo)
    with app.app_context():
        db.session.get(Slot, slot_id).closed = True
        db.session.commit()
    html = client.submit("/health/book/confirm", {}).get_data(as_text=True)
    assert "停诊" in html


def test_english_is_complete(client, demo):
    client.get("/?lang=en")
    html = client.get(f"/health/stations/{demo['station']}").get_data(as_text=True)
    assert "What would you like to book?" in html and "Blood pressure check" in html
    assert "18 Nanhu Road" in html
    client.submit(f"/health/stations/{demo['station']}", {"service": demo["service"]})
    html = client.get("/health/book/day").get_data(as_text=True)
    assert "Which day would you like?" in html and re.search(
        r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)", html
    )
    assert "places left" in html


def test_my_appointments_cancel_gives_the_place_back(app, client, demo):
    reference = book_one(client, demo)
    html = client.get("/health/my").get_data(as_text=True)
    assert "我的预约" in html and "血压测量" in html and f"/health/my/{reference}/cancel" in html
    assert client.get(f"/health/my/{reference}/cancel").status_code == 200
    response = client.submit(f"/health/my/{reference}/cancel", {})
    assert response.headers["Location"] == "/health/my?cancelled=1"
    html = client.get("/health/my?cancelled=1").get_data(as_text=True)
    assert "您的预约已取消" in html and "已取消" in html
    with app.app_context():
        booking = db.session.scalars(db.select(Booking).filter_by(reference=reference)).one()
        assert booking.status == "cancelled" and booking.slot.booked == 0
        assert db.session.scalars(
            db.select(OutboxMessage.kind).filter_by(resident_id=demo["resident"]).order_by(OutboxMessage.id)
        ).all() == ["booking.created", "booking.cancelled"]


def test_my_appointments_change_time(app, client, demo):
    reference = book_one(client, demo)
    html = client.get(f"/health/my/{reference}/change").get_data(as_text=True)
    new_day = values(html, "day")[6]
    response = client.submit(f"/health/my/{reference}/change", {"day": new_day})
    assert response.headers["Location"] == f"/health/my/{reference}/change/{new_day}"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    new_slot = values(html, "slot")[1]
    response = client.submit(f"/health/my/{reference}/change/{new_day}", {"slot": new_slot})
    assert response.headers["Location"] == f"/health/bookings/{reference}?changed=1"
    assert "您的预约已改时间" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        booking = db.session.scalars(db.select(Booking).filter_by(reference=reference)).one()
        assert booking.slot_id == int(new_slot) and booking.day.isoformat() == new_day


def test_a_refused_change_keeps_the_old_time(app, client, demo):
    reference = book_one(client, demo)
    html = client.get(f"/health/my/{reference}/change").get_data(as_text=True)
    new_day = values(html, "day")[6]
    html = client.get(f"/health/my/{reference}/change/{new_day}").get_data(as_text=True)
    new_slot = values(html, "slot")[0]
    fill(app, [int(new_slot)])
    response = client.submit(f"/health/my/{reference}/change/{new_day}", {"slot": new_slot})
    assert response.status_code == 200 and "已经约满了" in response.get_data(as_text=True)
    with app.app_context():
        booking = db.session.scalars(db.select(Booking).filter_by(reference=reference)).one()
        assert booking.slot_id != int(new_slot) and booking.status == "booked" and booking.slot.booked == 1


def test_nobody_else_can_see_or_cancel_a_booking(app, client, demo):
    reference = book_one(client, demo)
    client.submit("/identify/forget", {"next": "/"})
    assert client.get(f"/health/bookings/{reference}").headers["Location"].startswith("/identify")
    with app.app_context():
        other = db.session.scalars(
            db.select(Resident).where(Resident.phone.is_not(None), Resident.id != demo["resident"])
        ).first()
        phone, year = other.phone, str(other.birth_year)
    identify_on_web(client, phone, year)
    assert client.get(f"/health/bookings/{reference}").status_code == 404
    assert client.get(f"/health/my/{reference}/cancel").status_code == 404
    assert client.submit(f"/health/my/{reference}/cancel", {}).status_code == 404


def test_my_appointments_needs_identification(client):
    response = client.get("/health/my")
    assert response.status_code == 303 and response.headers["Location"] == "/identify?next=/health/my"


def test_the_home_page_leads_to_the_stations(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/health/"' in html and 'href="/health/my"' in html
    html = client.get("/health/").get_data(as_text=True)
    assert "南湖社区智慧健康站" in html and "月河社区智慧健康站" in html
