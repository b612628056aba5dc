"""Health-station posters in Debian's Chromium: scan a real printed station poster and book by taps,
print it on one A4 page in both languages, and measure accessibility on the pages that show it."""

import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader
from pyzbar.pyzbar import decode

from portal.extensions import db
from portal.models import Booking, Poster, Resident
from portal.services.posters import active_station_poster, retire_and_replace

from tests.support.browser import DESKTOP, KIOSK, PHONE, identify_with_code, settle, sign_in
from tests.support.browser_checks import IN_BOTH_LANGUAGES, PageChecks, has_horizontal_scroll

pytestmark = pytest.mark.browser
MM = 96 / 25.4  # CSS pixels per millimetre


def station_code(live_app, station_id=1):
    with live_app.app_context():
        return active_station_poster(db.session, station_id).code


def test_scan_a_printed_station_poster_and_book_by_taps(live, live_app, context_factory):
    code = station_code(live_app)
    with live_app.app_context():
        senior = db.session.scalars(
            db.select(Resident)
            .where(Resident.community_id == 1, Resident.phone.is_not(None))
            .order_by(Resident.id.desc())
        ).first()
        phone, year, resident_id = senior.phone, str(senior.birth_year), senior.id
    staff = context_factory(viewport=DESKTOP).new_page()
    sign_in(staff, live.url, "staff")
    staff.goto(f"{live.url}/posters/{code}")
    png = staff.screenshot(full_page=True)
    scanned = [symbol.data.decode() for symbol in decode(Image.open(io.BytesIO(png)))]
    assert scanned == [f"{live.url}/j/{code}"]

    page = context_factory(viewport=PHONE, has_touch=True).new_page()
    page.goto(scanned[0])
    assert page.url == f"{live.url}/health/stations/1"
    assert "南湖社区智慧健康站" in page.inner_text("main") and "您想预约哪一项？" in page.inner_text("h1")
    page.locator("button[name=service]").first.tap()
    page.wait_for_url("**/health/book/day")
    page.locator("button[name=day]").nth(2).tap()
    page.wait_for_url("**/health/book/time")
    page.locator("button[name=slot]").first.tap()
    page.wait_for_url(re.compile(r"/identify\?next="))
    settle(page)  # htmx changes the address before it settles the new page: typing earlier can be lost
    page.fill("#phone", phone)
    page.fill("#birth_year", year)
    page.locator("button[value=phone]").tap()
    identify_with_code(page, live.url, phone)
    page.wait_for_url(f"{live.url}/health/book/confirm")
    assert "血压测量" in page.inner_text("main")
    page.locator("main form button.button-primary").tap()
    page.wait_for_selector(".slip")
    reference = re.search(r"/health/bookings/([A-Z2-9]{8})", page.url).group(1)

    with live_app.app_context():
        booking = db.session.scalars(db.select(Booking).filter_by(reference=reference)).one()
        assert booking.resident_id == resident_id and booking.status == "booked"
        poster = db.session.scalars(db.select(Poster).filter_by(code=code)).one()
        assert (poster.scans, poster.bookings, poster.signups) == (1, 1, 0)
    staff.goto(f"{live.url}/communities/1/posters")
    row = staff.locator("#station-posters ~ .table-wrap tbody tr").first
    assert code in row.inner_text() and row.locator("td.num").all_inner_texts() == ["1", "1"]


@IN_BOTH_LANGUAGES
def test_a_station_poster_prints_on_one_a4_page_with_a_big_qr_code(live, live_app, context_factory, lang):
    code = station_code(live_app)
    page = context_factory(viewport=DESKTOP).new_page()
    sign_in(page, live.url, "staff")
    page.goto(f"{live.url}/posters/{code}?lang={lang}")
    page.emulate_media(media="print")
    qr = page.locator(".poster .qr").bounding_box()
    assert qr["width"] >= 80 * MM and abs(qr["width"] - qr["height"]) < 1
    assert not page.locator(".print-bar").is_visible() and not page.locator(".site-header").is_visible()
    # Nothing on the poster is cut off: its content fits inside its printed height.
    assert page.evaluate(
        "(() => { const p = document.querySelector('.poster'); return p.scrollHeight <= p.clientHeight + 1; })()"
    )
    ref = page.locator(".poster-ref").bounding_box()
    box = page.locator(".poster").bounding_box()
    assert ref["y"] + ref["height"] <= box["y"] + box["height"]
    page.emulate_media(media="null")  # page.pdf() prints with print media
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    assert len(pdf.pages) == 1
    text = re.sub(r"\s+", "", pdf.pages[0].extract_text())
    assert f"/j/{code}" in text
    for words in (
        ("南湖社区智慧健康站", "扫码预约健康检查", "南湖路18号")
        if lang == "zh"
        else ("NanhuCommunitySmartHealthStation", "Scantobookahealthcheck", "18NanhuRoad")
    ):
        assert words in text
    for chrome in ("打印这张海报", "Printthisposter", "退出登录", "Signout"):
        assert chrome not in text


def visit_station_poster_pages(page, live, live_app, check):
    """Every page that shows station posters, including a replaced one; check(page, label) on each."""
    code = station_code(live_app)
    with live_app.app_context():
        other = active_station_poster(db.session, 2)
        old = other.code
        retire_and_replace(db.session, other)
        db.session.commit()
    page.goto(f"{live.url}/j/{old}")
    check(page, "retired station poster")
    sign_in(page, live.url, "staff")
    for path in [
        "/communities/1/posters",
        f"/posters/{code}",
        f"/posters/{code}/replace",
        "/communities/1/posters/print",
        "/health/manage/stations/1",
    ]:
        page.goto(live.url + path)
        check(page, path)
    page.goto(f"{live.url}/posters/{code}/replace")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/posters/*?replaced=*")
    check(page, "replaced")
    page.goto(f"{live.url}/posters/{code}")
    check(page, "the old station poster")
    page.goto(f"{live.url}/communities/1/posters")
    check(page, "posters with a retired station poster")


@IN_BOTH_LANGUAGES
def test_station_poster_pages_pass_axe_with_big_targets(live, live_app, context_factory, lang):
    page = context_factory(viewport=KIOSK).new_page()
    page.goto(f"{live.url}/?lang={lang}")
    checks = PageChecks(lang=lang)
    visit_station_poster_pages(page, live, live_app, checks.check)
    assert len(checks.seen) == 9  # the walk reached its end
    assert not checks, checks


def test_station_poster_pages_reflow_at_320_px(live, live_app, context_factory):
    page = context_factory(viewport={"width": 320, "height": 640}).new_page()
    page.context.add_cookies([{"name": "textsize", "value": "3", "url": live.url}])
    wide = []

    def check(page, label):
        if has_horizontal_scroll(page):
            wide.append(label)

    visit_station_poster_pages(page, live, live_app, check)
    assert not wide, wide
