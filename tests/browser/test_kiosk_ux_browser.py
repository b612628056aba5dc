"""In Debian's Chromium: the day picker says "You are booked" (in words) on a day the identified resident
already has that check, and offers My appointments; the kiosk bar's Home goes back to the kiosk home and
keeps the visit; the nurse's walk-in form puts times with places first and says "full". Each with axe,
48 px targets (60 px for the kiosk's main actions), 320 px reflow, both languages, JavaScript on and off.
Set LINLI_SCREENSHOTS to a folder to keep screenshots of the day picker at kiosk and phone size."""

import os
import re
from datetime import date, datetime, time, timedelta, timezone

import pytest

from portal.extensions import db
from portal.models import Resident, Slot
from portal.services.booking import book_slot
from portal.services.slots import get_zone, local_today, to_local

from tests.support.browser import KIOSK_HOME, PHONE, open_kiosk, sign_in
from tests.support.browser_checks import axe_violations, font_size, has_horizontal_scroll, small_targets
from tests.support.health import make_slot, make_station

pytestmark = pytest.mark.browser
STATIONS = re.compile(r"^[^?]*/health/$")  # not /kiosk/identify?next=/health/
JS = pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])


def problems(page, javascript=True, minimum=48):
    """axe, target sizes, text size and sideways scrolling. axe runs in the page, so with JavaScript off
    the same pages are measured in the JavaScript-on run; here only the flow itself is checked."""
    if not javascript:
        return []
    page.wait_for_load_state()
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    found = axe_violations(page) + [f"small target: {t}" for t in small_targets(page, minimum)]
    if font_size(page) < 18:
        found.append(f"body text is {font_size(page)} px")
    if has_horizontal_scroll(page):
        found.append("scrolls sideways")
    return found


def reflow_problems(page, javascript=True):
    """At 320 CSS px wide: no sideways scrolling."""
    if not javascript:
        return []
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    found = ["scrolls sideways at 320 px"] if has_horizontal_scroll(page) else []
    page.set_viewport_size(size)
    return found


def screenshot(page, name):
    if os.environ.get("LINLI_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["LINLI_SCREENSHOTS"], f"{name}.png"), full_page=True)


def book_last_open_day(live, resident_id, service_id, page) -> str:
    """Book the resident, in the database, on the last day the picker on `page` offers: its time as shown."""
    day = page.locator("button[name=day]").last.get_attribute("value")
    with live.app.app_context():
        slot = db.session.scalars(
            db.select(Slot)
            .where(
                Slot.service_id == service_id,
                Slot.day == date.fromisoformat(day),
                Slot.booked < Slot.capacity,
                Slot.closed.is_(False),
            )
            .order_by(Slot.starts_at.desc())
        ).first()
        tz = get_zone(live.app.config["PORTAL_TIMEZONE"])
        book_slot(
            db.session,
            slot_id=slot.id,
            resident=db.session.get(Resident, resident_id),
            now=slot.starts_at - timedelta(days=1),
            tz=tz,
        )
        return to_local(slot.starts_at, tz).strftime("%H:%M")


def open_day_picker(page, base) -> int:
    """The first check of station 1, chosen: its service id."""
    page.goto(f"{base}/health/stations/1")
    service = int(page.locator("button[name=service]").first.get_attribute("value"))
    page.locator("button[name=service]").first.click()
    page.wait_for_selector("button[name=day]")
    return service


@JS
def test_at_a_kiosk_the_day_picker_says_you_are_booked_and_home_keeps_the_visit(
    live, context_factory, live_senior, javascript
):
    page = open_kiosk(live, context_factory, javascript=javascript)
    page.goto(f"{live.url}/kiosk/identify?next=/health/")
    page.fill("#token", live_senior["token"])
    page.keyboard.press("Enter")
    page.wait_for_url(STATIONS)
    service = open_day_picker(page, live.url)
    at = book_last_open_day(live, live_senior["id"], service, page)
    page.reload()
    page.wait_for_selector(".booked-notice")
    booked = page.locator(".pick-booked").filter(has_text=f"您已预约：{at}")
    assert booked.count() == 1 and booked.is_disabled()
    mine = page.locator("main .booked-notice a[href='/health/my']")
    box = mine.bounding_box()
    assert box["height"] >= 60 and box["width"] >= 60, box  # a main action at a kiosk
    found = {"day picker": problems(page, javascript) + reflow_problems(page, javascript)}
    if javascript:
        screenshot(page, "day-picker-kiosk-zh")
    page.get_by_role("link", name="English").click()
    page.wait_for_selector(f".pick-booked:has-text('You are booked: {at}')")
    found["day picker, English"] = problems(page, javascript)
    if javascript:
        screenshot(page, "day-picker-kiosk-en")
    page.get_by_role("link", name="中文").click()
    page.wait_for_selector(".booked-notice")
    # Home sits next to Start again, as big, and keeps the visit.
    home = page.locator(".kiosk-bar a.kiosk-home")
    again = page.locator(".kiosk-bar .kiosk-start-again")
    assert home.inner_text().strip() == "首页"
    assert home.bounding_box()["height"] >= 60 and abs(home.bounding_box()["y"] - again.bounding_box()["y"]) < 5
    home.click()
    page.wait_for_url(KIOSK_HOME)
    page.wait_for_selector(".kiosk-who")  # "You are identified as ..."
    found["home"] = problems(page, javascript)
    page.locator("a.kiosk-tile[href='/health/my']").click()
    page.wait_for_url("**/health/my")  # straight there: no identification again
    found["my appointments"] = problems(page, javascript)
    assert page.locator("main a[href^='/health/bookings/']").count() >= 1
    page.get_by_role("button", name="重新开始").click()
    page.wait_for_url(KIOSK_HOME)
    page.goto(f"{live.url}/health/my")
    page.wait_for_url(re.compile(r"/kiosk/identify\?next="))
    assert {name: found for name, found in found.items() if found} == {}


@JS
def test_on_a_phone_the_day_picker_says_you_are_booked(live, context_factory, live_senior, javascript):
    page = context_factory(viewport=PHONE, javascript=javascript).new_page()
    page.goto(f"{live.url}/identify?next=/health/")
    page.fill("#token", live_senior["token"])
    page.click("button[value=card]")
    page.wait_for_url(STATIONS)
    service = open_day_picker(page, live.url)
    at = book_last_open_day(live, live_senior["id"], service, page)
    page.reload()
    page.wait_for_selector(".booked-notice")
    assert page.locator(".pick-booked").filter(has_text=f"您已预约：{at}").count() == 1
    assert page.locator("main .booked-notice a[href='/health/my']").is_visible()
    found = {"zh": problems(page, javascript) + reflow_problems(page, javascript)}
    if javascript:
        screenshot(page, "day-picker-phone-zh")
    page.goto(f"{live.url}/health/book/day?lang=en")
    assert page.locator(".pick-booked").filter(has_text=f"You are booked: {at}").count() == 1
    found["en"] = problems(page, javascript) + reflow_problems(page, javascript)
    if javascript:
        screenshot(page, "day-picker-phone-en")
    page.locator("main .booked-notice a[href='/health/my']").click()
    page.wait_for_url("**/health/my")
    assert {name: found for name, found in found.items() if found} == {}


@pytest.fixture
def walk_in_times(live):
    """A station with three times today: 08:00 full, 09:00 with places, 10:00 full."""
    with live.app.app_context():
        station = make_station(name="现场来访测试站", weekdays=())
        today = local_today(datetime.now(timezone.utc), get_zone(live.app.config["PORTAL_TIMEZONE"]))
        for at, capacity, booked in ((time(8), 2, 2), (time(9), 2, 0), (time(10), 1, 1)):
            make_slot(station.services[0], today, at, capacity=capacity).booked = booked
        db.session.commit()
        return station.id


@JS
def test_the_walk_in_form_puts_times_with_places_first_and_says_full(live, context_factory, walk_in_times, javascript):
    found = {}
    for viewport in (PHONE, {"width": 1280, "height": 900}):
        page = context_factory(viewport=viewport, javascript=javascript).new_page()
        sign_in(page, live.url, "nurse")
        page.goto(f"{live.url}/health/roster/{walk_in_times}/walk-in")
        labels = [t.strip() for t in page.locator("fieldset label.choice-label").all_inner_texts()]
        assert labels[:3] == ["09:00 血压测量", "08:00 血压测量：已满", "10:00 血压测量：已满"]
        assert page.locator("input[name=slot]:disabled").count() == 0
        found[f"zh {viewport['width']}"] = problems(page, javascript) + reflow_problems(page, javascript)
        page.get_by_role("link", name="English").click()
        page.wait_for_selector("text=08:00 Blood pressure check: full")
        found[f"en {viewport['width']}"] = problems(page, javascript)
        # A full time without the tick is refused in words, and what was chosen stays.
        page.locator("input[name=slot]").nth(1).check()
        page.fill("#phone", "13900000000")
        page.fill("#birth_year", "1938")
        page.get_by_role("button", name="Add and check in").click()
        page.wait_for_selector(".error-summary")
        assert page.locator("input[name=slot]").nth(1).is_checked() and page.locator("#slot-error").count() == 1
        found[f"en error {viewport['width']}"] = problems(page, javascript)
    assert {name: found for name, found in found.items() if found} == {}
