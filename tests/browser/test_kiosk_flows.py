"""Whole flows at a kiosk, in Debian's Chromium at 1080 x 1920 with a touch screen, done with taps only
(the one exception: the free-text description of a problem is filled in): book a health check to
the slip, and report a problem to the receipt. Every screen on the way keeps the kiosk chrome (a big
Start again, no site navigation, no sign-in, no link out) and has no axe violations; after Start
again, Back shows nothing of the person."""

import os
import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from portal.extensions import db
from portal.models import Booking, Request

from tests.support.browser import KIOSK_HOME, open_kiosk
from tests.support.browser_checks import page_problems

pytestmark = pytest.mark.browser
SLIP = re.compile(r"^[^?]*/health/bookings/([A-Z2-9]{8})\?new=1$")
RECEIPT = re.compile(r"^[^?]*/requests/([^/]+)/receipt$")

CHROME_JS = """
() => {
  const found = [];
  const again = document.querySelector('.kiosk-bar .kiosk-start-again');
  if (!again) { found.push('no Start again button'); }
  else {
    const box = again.getBoundingClientRect();
    if (box.height < 60 || box.width < 60) found.push(`Start again is ${Math.round(box.width)}x${Math.round(box.height)}`);
  }
  if (document.querySelector('.site-nav, .site-header')) found.push('site navigation');
  for (const a of document.querySelectorAll('a[href]')) {
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin) found.push(`link out: ${a.href}`);
    else if (/^\\/(login|privacy|me)(\\/|$)/.test(url.pathname)) found.push(`link to ${url.pathname}`);
    if (a.target && a.target !== '_self') found.push(`link opens a new window: ${a.href}`);
  }
  return found;
}
"""


class Screens:
    """Checks every kiosk screen the flow reaches and keeps what was wrong, by screen."""

    def __init__(self, page):
        self.page = page
        self.problems = {}

    def check(self, name):
        page = self.page
        page.wait_for_load_state()
        # Boosted navigation: htmx changes the address before it has settled the new page.
        page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
        found = page.evaluate(CHROME_JS) + page_problems(page, reflow=True)
        if found:
            self.problems[name] = found
        if os.environ.get("LINLI_SCREENSHOTS"):  # a folder: look at each screen of the flow
            slug = re.sub(r"\W+", "-", name).strip("-")
            page.screenshot(path=os.path.join(os.environ["LINLI_SCREENSHOTS"], f"kiosk-{slug}.png"), full_page=True)


def open_touch_kiosk(live, context_factory):
    return open_kiosk(live, context_factory, tap=True)


def tap_digits(page, digits):
    for digit in digits:
        page.locator(f".keypad-key[value='{digit}']").tap()


def identify_by_keypad(page, screens, live_senior):
    """From the identification screen: the phone number and birth year, tapped on the keypad."""
    page.wait_for_url(re.compile(r"/kiosk/identify\?next="))
    screens.check("identify")
    page.get_by_role("link", name="输入我的手机号码").tap()
    page.wait_for_url("**/kiosk/identify/phone")
    tap_digits(page, live_senior["phone"])
    screens.check("keypad: phone")
    page.get_by_role("button", name="下一步").tap()
    page.wait_for_url("**/kiosk/identify/year")
    tap_digits(page, live_senior["birth_year"])
    screens.check("keypad: year")
    page.get_by_role("button", name="下一步").tap()


def settled(page, tries=20):
    """(html, visible text) once the page stops changing: after Back, htmx may reload a boosted page."""
    for _ in range(tries):
        page.wait_for_load_state()
        try:
            return page.content(), page.inner_text("body")
        except PlaywrightError:
            page.wait_for_timeout(250)
    raise AssertionError(f"{page.url} kept navigating")


def assert_one_shared_print_button(page):
    """The slip or receipt prints with components/print.html's button: one, big, printing at once."""
    button = page.locator("[data-print], .print-button")
    assert button.count() == 1 and button.evaluate("el => el.matches('a.print-button[data-print]')")
    box = button.bounding_box()
    assert box["height"] >= 60 and box["width"] >= 60, box
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    button.tap()
    assert page.evaluate("window.__printed") == 1  # once: no second print script also listening


def start_again_and_go_back(page, live_senior, shown, steps):
    """Start again, then Back through the visit. The person's name and phone may not be anywhere in
    any page, and what they booked or reported (`shown`) not on the screen."""
    page.get_by_role("button", name="重新开始").tap()
    page.wait_for_url(KIOSK_HOME)
    seen = []
    for _ in range(steps):
        page.go_back()
        html, text = settled(page)
        seen += [f"{page.url}: {word}" for word in (live_senior["masked"], live_senior["phone"]) if word in html]
        seen += [f"{page.url}: {word}" for word in shown if word in (html if word.startswith("href=") else text)]
    return seen


def test_a_health_check_booked_at_the_kiosk_with_taps_only(live, context_factory, live_senior):
    page = open_touch_kiosk(live, context_factory)
    screens = Screens(page)
    page.get_by_role("link", name="预约健康检查").tap()
    identify_by_keypad(page, screens, live_senior)
    page.wait_for_url("**/health/")
    screens.check("stations")
    page.locator("main a.tile-link[href='/health/stations/1']").tap()
    page.wait_for_selector("button[name=service]")
    screens.check("service")
    page.locator("button[name=service] >> nth=0").tap()
    page.wait_for_selector("button[name=day]")
    screens.check("day")
    page.locator("button[name=day] >> nth=1").tap()
    page.wait_for_selector("button[name=slot]")
    screens.check("time")
    page.locator("button[name=slot] >> nth=0").tap()
    page.wait_for_url("**/health/book/confirm")
    screens.check("confirm")
    page.get_by_role("button", name="确认预约").tap()
    page.wait_for_url(SLIP)
    reference = SLIP.match(page.url).group(1)
    screens.check("slip")
    queue_number = page.inner_text(".slip-number").strip()
    assert queue_number.isdigit()
    # The slip prints with the shared Print button (components/print.html).
    assert_one_shared_print_button(page)
    with live.app.app_context():
        booking = db.session.scalars(db.select(Booking).filter_by(reference=reference)).one()
        assert (booking.resident_id, booking.channel, booking.kiosk_id, booking.entered_by_id) == (
            live_senior["id"],
            "kiosk",
            live_senior["kiosk_id"],
            None,
        )
        assert str(booking.queue_number) == queue_number
    page.get_by_role("link", name="我的预约").tap()
    page.wait_for_url("**/health/my")
    screens.check("my appointments")
    assert page.locator(f"main a[href='/health/bookings/{reference}']").count() == 1
    assert screens.problems == {}
    seen = start_again_and_go_back(page, live_senior, [reference[:4], "健康站预约单", "排队号"], 5)
    assert seen == []


def test_a_problem_reported_at_the_kiosk_with_taps_only(live, context_factory, live_senior):
    page = open_touch_kiosk(live, context_factory)
    screens = Screens(page)
    page.get_by_role("link", name="反映问题").tap()
    identify_by_keypad(page, screens, live_senior)
    page.wait_for_url("**/requests/new/category")
    screens.check("category")
    page.locator("label.choice-label >> nth=0").tap()
    page.get_by_role("button", name="继续").tap()
    page.wait_for_url("**/requests/new/description")
    screens.check("description")
    page.fill("#description", "三楼楼道灯坏了一个星期")
    page.get_by_role("button", name="继续").tap()
    page.wait_for_url("**/requests/new/location")
    screens.check("location")
    page.get_by_text("没有具体地点").tap()
    page.get_by_role("button", name="继续").tap()
    # No photo question at a kiosk: its file chooser would open a window of the browser's own.
    page.wait_for_url("**/requests/new/check")
    screens.check("check")
    page.get_by_role("button", name="提交诉求").tap()
    page.wait_for_url(RECEIPT)
    screens.check("receipt")
    ticket = page.inner_text(".receipt-ticket").strip()
    assert_one_shared_print_button(page)
    with live.app.app_context():
        filed = db.session.scalars(db.select(Request).filter_by(ticket=RECEIPT.match(page.url).group(1))).one()
        assert (filed.resident_id, filed.channel, filed.kiosk_id, filed.entered_by_id) == (
            live_senior["id"],
            "kiosk",
            live_senior["kiosk_id"],
            None,
        )
        assert filed.description == "三楼楼道灯坏了一个星期"
    # Checking on it needs no typing either: Home, "Check my request", then the request itself.
    page.locator(".kiosk-bar").get_by_role("link", name="首页").tap()  # the bar's Home keeps the visit
    page.wait_for_url(KIOSK_HOME)
    page.get_by_role("link", name="查询我的诉求").tap()
    page.wait_for_url("**/requests/status")
    screens.check("check my request")
    page.get_by_role("link", name="English").tap()
    page.get_by_role("heading", name="Your requests").wait_for()
    screens.check("check my request, in English")
    page.get_by_role("link", name="中文").tap()
    page.get_by_role("heading", name="您的诉求").wait_for()
    page.get_by_role("link", name=ticket).tap()
    page.wait_for_url(f"**/requests/status/{filed.ticket}")
    screens.check("status")
    assert page.inner_text(".status-label").strip() == "等待受理"
    assert screens.problems == {}
    # The public status page (/requests/status/<ticket>) shows the number by design, and nothing personal;
    # the receipt and the list of the person's own requests must be gone.
    seen = start_again_and_go_back(
        page, live_senior, ["三楼楼道灯", "您的诉求编号", f'href="/requests/status/{filed.ticket}"'], 7
    )
    assert seen == []
