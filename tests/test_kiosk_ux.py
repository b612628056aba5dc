"""At a kiosk (and on the web), an identified resident who already has a check on a day learns it on the
day picker, where that day says "You are booked" in words and a link goes to My appointments; the kiosk
bar's Home goes back to the kiosk home and keeps the visit (Start again is the way to end it)."""

import re
from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.models import Resident, Slot
from portal.services.booking import book_slot
from portal.services.slots import get_zone, to_local

DAY_TILE = re.compile(r"<li>\s*<button(?P<attrs>[^>]*)>(?P<body>.*?)</button>\s*</li>", re.S)


def booked_tiles(html: str) -> list[tuple[str, str]]:
    """The day picker's tiles that say "You are booked": (the button's attributes, its words)."""
    tiles = []
    for match in DAY_TILE.finditer(html):
        words = " ".join(re.sub(r"<[^>]+>", " ", match.group("body")).split())
        if "您已预约" in words:
            tiles.append((match.group("attrs"), words))
    return tiles


def open_days(html: str) -> list[str]:
    return re.findall(r'name="day" value="(\d{4}-\d\d-\d\d)"', html)


def choose_blood_pressure(client) -> int:
    html = client.get("/health/stations/1").get_data(as_text=True)
    service = re.search(r'name="service" value="(\d+)"', html).group(1)
    assert client.submit("/health/stations/1", {"service": service}).headers["Location"] == "/health/book/day"
    return int(service)


def book_for(app, resident_id: int, service_id: int, iso_day: str) -> tuple[str, str]:
    """Book the last time with a place on that day for the resident, as if done the day before:
    (its reference, its time as the pages show it)."""
    with app.app_context():
        slot = db.session.scalars(
            db.select(Slot)
            .where(
                Slot.service_id == service_id,
                Slot.day == date.fromisoformat(iso_day),
                Slot.booked < Slot.capacity,
                Slot.closed.is_(False),
            )
            .order_by(Slot.starts_at.desc())
        ).first()
        tz = get_zone(app.config["PORTAL_TIMEZONE"])
        booking = book_slot(
            db.session,
            slot_id=slot.id,
            resident=db.session.get(Resident, resident_id),
            now=slot.starts_at - timedelta(days=1),
            tz=tz,
        )
        return booking.reference, to_local(slot.starts_at, tz).strftime("%H:%M")


@pytest.fixture
def identified(kiosk, senior):
    assert kiosk.submit("/kiosk/identify", {"token": senior["token"], "next": ""}).status_code == 303
    return kiosk


def test_the_day_picker_says_you_are_booked_on_the_day_and_offers_my_appointments(app, identified, senior):
    service = choose_blood_pressure(identified)
    html = identified.get("/health/book/day").get_data(as_text=True)
    day, before = open_days(html)[-1], booked_tiles(html)
    reference, at = book_for(app, senior["id"], service, day)
    html = identified.get("/health/book/day").get_data(as_text=True)
    assert day not in open_days(html)  # no longer offered as a choice
    [(attrs, words)] = [tile for tile in booked_tiles(html) if tile not in before]
    assert "disabled" in attrs and words.endswith(f"您已预约：{at}")
    assert 'href="/health/my"' in html and "我的预约" in html
    # In English too.
    html = identified.get("/health/book/day?lang=en").get_data(as_text=True)
    assert f"You are booked: {at}" in html and 'href="/health/my"' in html
    # A day picker kept open from before (or a replayed form) is refused in the same words, with what was chosen.
    html = identified.submit("/health/book/day", {"day": day}).get_data(as_text=True)
    assert "You already have this check on" in html and at in html
    # My appointments is one tap away and needs no identification again.
    mine = identified.get("/health/my")
    assert mine.status_code == 200 and reference[:4] in mine.get_data(as_text=True)


def test_someone_not_identified_sees_no_booking_mark(app, client):
    choose_blood_pressure(client)
    html = client.get("/health/book/day").get_data(as_text=True)
    assert "您已预约" not in html and 'href="/health/my"' not in html


def test_changing_a_booking_keeps_its_own_day_and_marks_the_others(app, identified, senior):
    service = choose_blood_pressure(identified)
    html = identified.get("/health/book/day").get_data(as_text=True)
    days, before = open_days(html), len(booked_tiles(html))
    moving, _ = book_for(app, senior["id"], service, days[-1])
    book_for(app, senior["id"], service, days[-2])
    html = identified.get(f"/health/my/{moving}/change").get_data(as_text=True)
    assert days[-1] in open_days(html) and days[-2] not in open_days(html)
    assert len(booked_tiles(html)) == before + 1


def test_the_kiosk_bar_home_keeps_the_resident_identified(app, identified, senior):
    choose_blood_pressure(identified)
    html = identified.get("/health/book/day").get_data(as_text=True)
    bar = html.split('<header class="kiosk-bar', 1)[1].split("</header>", 1)[0]
    home = re.search(r'<a class="button button-secondary kiosk-home" href="([^"]+)">(.*?)</a>', bar, re.S)
    assert home and home.group(1) == "/kiosk" and "首页" in home.group(2)
    assert "重新开始" in bar  # Start again is still there, next to it
    html = identified.get(home.group(1)).get_data(as_text=True)
    assert "kiosk-who" in html and "kiosk-home" not in html  # "You are identified as ..."; no Home on the home
    # Still identified: My appointments opens without asking again.
    assert identified.get("/health/my").status_code == 200
    assert identified.get("/health/book/day").status_code == 200  # and the booking is where it was


def test_start_again_still_forgets_the_resident(app, identified):
    identified.submit("/kiosk/reset")
    identified.get("/kiosk")
    assert identified.get("/health/my").status_code == 303
