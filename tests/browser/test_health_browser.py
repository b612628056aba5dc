"""Health-station pages in Debian's Chromium: axe-core on every new page in both languages, target sizes
(the day picker's buttons at least 60 x 60), reflow at 320 px, the flow with JavaScript off and on, the
one-tap check-in, and paper: the slip and the roster each print on one A4 page."""

import io
import re
from datetime import timedelta

import pypdf
import pytest
from pyzbar.pyzbar import decode

from portal.extensions import db
from portal.models import Resident, Slot
from portal.services.booking import book_slot
from portal.services.slots import get_zone

from tests.support.browser import KIOSK, PHONE, identify_with_code, settle, sign_in
from tests.support.browser_checks import (
    IN_BOTH_LANGUAGES,
    PageChecks,
    axe_violations,
    font_size,
    has_horizontal_scroll,
    small_targets,
)

pytestmark = [pytest.mark.browser, pytest.mark.browser_on_postgresql]


def demo_resident(live_app):
    with live_app.app_context():
        senior = db.session.scalars(
            db.select(Resident)
            .where(Resident.community_id == 1, Resident.phone.is_not(None))
            .order_by(Resident.id.desc())
        ).first()
        return senior.phone, str(senior.birth_year)


def book_through_the_pages(page, base, phone, year, day_index=3, check=None):
    """Click through service, day, time, identification and confirm; returns the slip's URL.
    `check(page, path)` runs on every page on the way."""
    check = check or (lambda page, path: None)
    page.goto(f"{base}/health/")
    check(page, "/health/")
    page.click("a[href='/health/stations/1']")
    page.wait_for_selector("button[name=service]")
    check(page, "service")
    page.click("button[name=service] >> nth=0")
    page.wait_for_selector("button[name=day]")
    check(page, "day")
    page.click(f"button[name=day] >> nth={day_index}")
    page.wait_for_selector("button[name=slot]")
    check(page, "time")
    page.click("button[name=slot] >> nth=0")
    page.wait_for_selector("#birth_year")
    settle(page)  # see settle(): the card field takes the focus when htmx settles
    page.fill("#phone", phone)
    page.fill("#birth_year", year)
    page.click("button[value=phone]")
    identify_with_code(page, base, phone)
    page.wait_for_selector("dl.summary-list")
    check(page, "confirm")
    page.click("main form button.button-primary")
    page.wait_for_selector(".slip")
    check(page, "slip")
    return page.url


def book_meanwhile(live_app, phone, slot_id):
    """Book the resident with this phone into another time of the same day and check as `slot_id`."""
    with live_app.app_context():
        resident = db.session.scalars(db.select(Resident).filter_by(phone=phone, community_id=1)).one()
        chosen = db.session.get(Slot, slot_id)
        other = db.session.scalars(
            db.select(Slot).where(
                Slot.service_id == chosen.service_id,
                Slot.day == chosen.day,
                Slot.id != chosen.id,
                Slot.booked < Slot.capacity,
                Slot.closed.is_(False),
            )
        ).first()
        book_slot(
            db.session,
            slot_id=other.id,
            resident=resident,
            now=other.starts_at - timedelta(days=1),
            tz=get_zone(live_app.config["PORTAL_TIMEZONE"]),
        )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_resident_pages_have_no_axe_violations(live, live_app, context_factory, lang):
    phone, year = demo_resident(live_app)
    page = context_factory(viewport=KIOSK).new_page()
    page.goto(f"{live.url}/?lang={lang}")
    checks = PageChecks()
    slip = book_through_the_pages(page, live.url, phone, year, check=checks.check)
    reference = re.search(r"/bookings/([A-Z2-9]{8})", slip).group(1)
    checks.visit(page, live.url, ["/health/my", f"/health/my/{reference}/change", f"/health/my/{reference}/cancel"])
    page.goto(f"{live.url}/health/my/{reference}/change")
    page.click("button[name=day] >> nth=5")
    page.wait_for_selector("button[name=slot]")
    checks.check(page, "change time")
    # The day picker says which day is booked already (and does not offer it again).
    page.goto(f"{live.url}/health/stations/1")
    page.click("button[name=service] >> nth=0")
    page.wait_for_selector(".pick-booked")
    checks.check(page, "day picker with a booked day")
    # A page with a refusal on it: the day chosen gets booked meanwhile (another tab, or a helper).
    page.click("button[name=day] >> nth=3")
    slot_id = int(page.locator("button[name=slot] >> nth=1").get_attribute("value"))
    page.click("button[name=slot] >> nth=1")
    page.wait_for_selector("main form button.button-primary")
    book_meanwhile(live_app, phone, slot_id)
    page.click("main form button.button-primary")
    page.wait_for_selector(".error-summary")
    # site.js moves focus to the summary when htmx settles, a moment after the swap shows it.
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    checks.check(page, "confirm with a refusal")
    assert not checks, checks


@IN_BOTH_LANGUAGES
def test_staff_nurse_and_grid_worker_pages_have_no_axe_violations(live, context_factory, lang):
    page = context_factory(viewport=KIOSK).new_page()
    page.goto(f"{live.url}/?lang={lang}")
    checks = PageChecks()
    pages = {
        "nurse": ["/me", "/health/roster/1", "/health/roster/1/walk-in", "/health/roster/1?day=2000-01-01"],
        "gridworker": ["/me", "/health/calls"],
        "staff": [
            "/health/manage",
            "/health/manage/stations/1",
            "/health/manage/stations/new",
            "/health/manage/services/1/edit",
            "/health/manage/services/1/schedule",
            "/health/manage/stations/1/closures/new",
        ],
    }
    for user, paths in pages.items():
        sign_in(page, live.url, user)
        for path in paths:
            page.goto(live.url + path)
            checks.check(page, f"{user} {path}")
        if user == "nurse":  # the walk-in form with its errors, and a cancellation page
            page.goto(f"{live.url}/health/roster/1/walk-in")
            page.click("main form button.button-primary")
            page.wait_for_selector(".error-summary")
            checks.check(page, "nurse walk-in with errors")
            page.goto(f"{live.url}/health/roster/1")
            page.click("main .row-actions a >> nth=0")
            page.wait_for_selector("input#reason")
            checks.check(page, "nurse cancellation")
        page.context.clear_cookies()
        page.goto(f"{live.url}/?lang={lang}")
    assert not checks, checks


@pytest.mark.parametrize("viewport", [KIOSK, PHONE], ids=["kiosk", "phone"])
def test_day_picker_buttons_are_at_least_60_px_square(live, context_factory, viewport):
    page = context_factory(viewport=viewport).new_page()
    page.goto(f"{live.url}/health/stations/1")
    page.click("button[name=service] >> nth=0")
    page.wait_for_selector("button[name=day]")
    boxes = page.eval_on_selector_all("button.pick", "els => els.map(e => [e.offsetWidth, e.offsetHeight])")
    assert len(boxes) == 14
    assert all(w >= 60 and h >= 60 for w, h in boxes), boxes
    assert small_targets(page, 60) == [] or all("pick" not in t for t in small_targets(page, 60))


def test_high_contrast_choices_and_slip_have_no_axe_violations(live, live_app, context_factory):
    phone, year = demo_resident(live_app)
    page = context_factory(viewport=PHONE).new_page()
    page.context.add_cookies([{"name": "contrast", "value": "high", "url": live.url}])
    problems = {}

    def check(page, path):
        if path in ("day", "time", "slip") and axe_violations(page):
            problems[path] = axe_violations(page)

    book_through_the_pages(page, live.url, phone, year, check=check)
    assert "contrast-high" in page.evaluate("document.documentElement.className")
    assert not problems, problems


def test_pages_reflow_at_320_px(live, live_app, context_factory):
    phone, year = demo_resident(live_app)
    page = context_factory(viewport={"width": 320, "height": 640}).new_page()
    page.context.add_cookies([{"name": "textsize", "value": "3", "url": live.url}])
    wide = []
    slip = book_through_the_pages(
        page, live.url, phone, year, check=lambda page, path: wide.append(path) if has_horizontal_scroll(page) else None
    )
    page.goto(slip)
    sign_in(page, live.url, "nurse")
    for path in ["/health/roster/1", "/health/roster/1/walk-in"]:
        page.goto(live.url + path)
        if has_horizontal_scroll(page):
            wide.append(path)
    assert not wide, f"sideways scrolling at 320 px: {wide}"


def qr_text(page, selector=".slip .qr"):
    """Draw the inline SVG onto a canvas in the page, and let zbar read the pixels."""
    pixels = page.evaluate(
        """async (selector) => {
        const svg = document.querySelector(selector);
        const data = new XMLSerializer().serializeToString(svg);
        const img = new Image();
        img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(data);
        await img.decode();
        const size = 400, canvas = document.createElement("canvas");
        canvas.width = canvas.height = size;
        const ctx = canvas.getContext("2d");
        ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, size, size);
        ctx.drawImage(img, 0, 0, size, size);
        const rgba = ctx.getImageData(0, 0, size, size).data, grey = [];
        for (let i = 0; i < rgba.length; i += 4) grey.push(rgba[i]);
        return grey;
    }""",
        selector,
    )
    return [symbol.data.decode() for symbol in decode((bytes(pixels), 400, 400))]


def test_the_slip_prints_on_one_a4_page_with_a_readable_qr_code(live, live_app, context_factory):
    phone, year = demo_resident(live_app)
    page = context_factory(viewport=KIOSK).new_page()
    slip = book_through_the_pages(page, live.url, phone, year)  # boosted navigation all the way
    reference = re.search(r"/bookings/([A-Z2-9]{8})", slip).group(1)
    assert qr_text(page) == [reference]
    assert font_size(page, ".slip-number") >= 60 and font_size(page, ".slip-big") >= 36
    # On paper the buttons, the site header and the page heading are gone: only the slip is left.
    page.emulate_media(media="print")
    assert page.is_hidden("text=打印预约单") and page.is_hidden(".site-header") and page.is_visible(".slip .qr")
    assert page.is_hidden("main > h1")
    page.emulate_media(media="null")  # page.pdf() uses print media unless another one is emulated
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1
    # The largest text setting still fits on one page.
    page.context.add_cookies([{"name": "textsize", "value": "3", "url": live.url}])
    page.goto(slip)
    assert len(pypdf.PdfReader(io.BytesIO(page.pdf(format="A4"))).pages) == 1


def test_the_roster_prints_on_a4_without_buttons(live, context_factory):
    page = context_factory(viewport=KIOSK).new_page()
    sign_in(page, live.url, "nurse")
    page.goto(f"{live.url}/health/roster/1")
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(pdf.pages) == 1  # the demo day's eight bookings
    box = pdf.pages[0].mediabox
    assert abs(float(box.width) - 595) < 2 and abs(float(box.height) - 842) < 2  # A4 in points
    page.emulate_media(media="print")
    assert page.is_visible(".roster-table") and page.is_hidden(".roster-tools") and page.is_hidden(".row-actions")
    widths = page.evaluate(
        "[document.querySelector('.roster-table').scrollWidth, document.querySelector('main').clientWidth]"
    )
    assert widths[0] <= widths[1]


def test_one_tap_check_in_updates_the_row_in_place(live, context_factory):
    page = context_factory(viewport=KIOSK).new_page()
    sign_in(page, live.url, "nurse")
    page.goto(f"{live.url}/health/roster/1")
    first_row = page.locator(".roster-table tbody tr").first
    first_row.locator("button", has_text="签到").click()
    page.wait_for_selector(".notice >> text=已签到：")
    assert page.url.endswith("/health/roster/1")  # swapped in place, no navigation
    assert "已签到" in page.locator(".roster-table tbody tr").first.inner_text()
    # Scanning a slip's code into the focused field checks that resident in.
    assert page.evaluate("document.activeElement.id") in ("code", "")


def test_the_flow_works_with_javascript_off(live, live_app, context_factory):
    phone, year = demo_resident(live_app)
    page = context_factory(viewport=PHONE, javascript=False).new_page()
    slip = book_through_the_pages(page, live.url, phone, year, day_index=4)
    assert "/health/bookings/" in slip and page.is_visible(".slip-number")
    # Without JavaScript, Print opens the slip's print-friendly version, which says how to print it.
    page.get_by_role("link", name="打印预约单").click()
    page.wait_for_url(re.compile(r"/health/bookings/[A-Z2-9]{8}\?new=1&print=1$"))
    assert "这个页面可以打印了" in page.inner_text("main") and page.is_visible(".slip-number")
    page.get_by_role("link", name="返回原页面").click()
    page.wait_for_url(re.compile(r"/health/bookings/[A-Z2-9]{8}\?new=1$"))
    page.goto(f"{live.url}/health/my")
    page.click("text=取消")
    page.click("text=是的，取消预约")
    page.wait_for_selector("text=您的预约已取消")
