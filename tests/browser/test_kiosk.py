"""Kiosk mode in Debian's Chromium at 1080 x 1920 portrait: tiles, card and keypad identification with
taps only, the idle warning, nothing left after Start again, and axe on every kiosk screen."""

import re

import pytest

from portal.extensions import db
from portal.kiosk.tiles import MAX_TILES
from portal.models import Kiosk, KioskIdentifyFailure, utcnow

from tests.support.browser import KIOSK, KIOSK_HOME, issue_code, open_kiosk, sign_in
from tests.support.browser_checks import (
    IN_BOTH_LANGUAGES,
    PageChecks,
    axe_violations,
    font_size,
    has_horizontal_scroll,
    small_targets,
)
from tests.support.kiosk import DEMO_KIOSK

pytestmark = [pytest.mark.browser, pytest.mark.browser_on_postgresql]
IDENTIFY = re.compile(r"^[^?]*/kiosk/identify\?next=.*")
ME = re.compile(r"^[^?]*/kiosk/me$")


def scan_card(page, token):
    """A barcode scanner in keyboard mode types the token, then Enter, into the focused field (the page
    puts the focus there once it has loaded; a loaded machine may take a moment)."""
    page.wait_for_function("document.activeElement && document.activeElement.id === 'token'", timeout=10_000)
    page.keyboard.type(token)
    page.keyboard.press("Enter")


def tap_number(page, digits):
    for digit in digits:
        page.locator(f".keypad-key[value='{digit}']").click()


def test_kiosk_home_has_big_tiles_and_labels_and_no_way_out(live, context_factory):
    page = open_kiosk(live, context_factory)
    tiles = page.locator(".kiosk-tile")
    assert 1 <= tiles.count() <= MAX_TILES
    for i in range(tiles.count()):
        box = tiles.nth(i).bounding_box()
        assert box["width"] >= 60 and box["height"] >= 60, box
        assert box["width"] >= 300 and box["height"] >= 250, box  # in practice far larger
        label = tiles.nth(i).locator(".kiosk-tile-label")
        assert label.inner_text().strip()
        assert page.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)", label.element_handle()) >= 30
        assert tiles.nth(i).locator("svg").bounding_box()["width"] >= 60
    start_again = page.get_by_role("button", name="重新开始")
    assert start_again.bounding_box()["height"] >= 60
    read_aloud = page.locator(".kiosk-read-aloud")
    if read_aloud.is_visible():
        assert read_aloud.bounding_box()["height"] >= 60
    assert small_targets(page) == [] and not has_horizontal_scroll(page) and font_size(page) >= 18
    assert page.locator(".site-nav").count() == 0
    assert page.locator("a[href^='http'], a[href='/login'], a[href='/privacy']").count() == 0
    assert page.evaluate("[...document.forms].every((form) => form.autocomplete === 'off')")


def test_identification_by_a_scanned_card(live, context_factory, live_senior):
    page = open_kiosk(live, context_factory)
    page.goto(f"{live.url}/kiosk/me")
    page.wait_for_url(IDENTIFY)
    scan_card(page, live_senior["token"])
    page.wait_for_url(ME)
    assert f"已确认您是 {live_senior['masked']}" in page.inner_text("main")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_identification_by_keypad_with_taps_only(live, context_factory, live_senior, javascript):
    page = open_kiosk(live, context_factory, javascript=javascript)
    page.goto(f"{live.url}/kiosk/me")
    page.get_by_role("link", name="输入我的手机号码").click()
    page.wait_for_url("**/kiosk/identify/phone")
    if javascript:
        page.evaluate("window.__samePage = true")
    tap_number(page, live_senior["phone"][:-1] + "9")
    page.locator(".keypad-key[value='delete']").click()
    tap_number(page, live_senior["phone"][-1])
    assert page.input_value("#phone") == live_senior["phone"]
    if javascript:  # the taps filled the field in the page, with no page load
        assert page.evaluate("window.__samePage === true")
    page.get_by_role("button", name="下一步").click()
    page.wait_for_url("**/kiosk/identify/year")
    tap_number(page, live_senior["birth_year"])
    page.get_by_role("button", name="下一步").click()
    page.wait_for_url(ME)
    assert f"已确认您是 {live_senior['masked']}" in page.inner_text("main")


def test_idle_warning_can_be_extended_ten_times_then_starts_again(live, context_factory, live_senior):
    page = open_kiosk(live, context_factory, clock=True)
    idle = live.app.config["PORTAL_KIOSK_IDLE_SECONDS"]
    page.goto(f"{live.url}/kiosk/identify?next=/kiosk/me")
    scan_card(page, live_senior["token"])
    page.wait_for_url(ME)
    warning = page.get_by_role("alertdialog", name="您还在吗？")
    for attempt in range(10):
        page.clock.run_for((idle - 10) * 1000)
        assert not warning.is_visible(), attempt
        page.clock.run_for(11_000)
        warning.wait_for(state="visible")
        seconds = int(page.inner_text(".kiosk-countdown"))
        assert 20 <= seconds <= 30
        assert page.evaluate("document.activeElement.classList.contains('kiosk-more-time')")
        if attempt == 0:
            assert axe_violations(page) == []
            more = page.get_by_role("button", name="我还需要时间").bounding_box()
            assert more["height"] >= 60
        page.get_by_role("button", name="我还需要时间").click()
        warning.wait_for(state="hidden")
        assert f"已确认您是 {live_senior['masked']}" in page.inner_text("main")
    page.clock.run_for(idle * 1000 + 1000)
    warning.wait_for(state="visible")
    page.clock.run_for(31_000)  # the countdown ends: Start again
    page.wait_for_url(KIOSK_HOME)
    assert live_senior["masked"] not in page.content()
    page.goto(f"{live.url}/kiosk/me")
    page.wait_for_url(IDENTIFY)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_back_after_start_again_shows_no_personal_data(live, context_factory, live_senior, javascript):
    page = open_kiosk(live, context_factory, javascript=javascript)
    page.goto(f"{live.url}/kiosk/identify?next=/kiosk/me")
    page.fill("#token", live_senior["token"])
    page.get_by_role("button", name="用居民卡继续").click()
    page.wait_for_url(ME)
    page.goto(f"{live.url}/kiosk/join")
    assert live_senior["masked"] in page.goto(f"{live.url}/kiosk/me").text()
    page.get_by_role("button", name="重新开始").click()
    page.wait_for_url(KIOSK_HOME)
    for _ in range(3):  # back to /kiosk/me, /kiosk/join, /kiosk/me again: none shows the person
        page.go_back()
        page.wait_for_load_state()
        assert live_senior["masked"] not in page.content()
        assert "已确认您是" not in page.content()


def test_a_replayed_post_after_start_again_is_refused(live, context_factory, live_senior):
    page = open_kiosk(live, context_factory)
    page.goto(f"{live.url}/kiosk/identify?next=/kiosk/me")
    old_token = page.input_value("input[name=csrf_token] >> nth=0")
    page.get_by_role("button", name="重新开始").click()
    page.wait_for_url(KIOSK_HOME)
    # The browser sends the old form again, with the old visit's CSRF token.
    response = page.request.post(
        f"{live.url}/kiosk/identify",
        form={"csrf_token": old_token, "token": live_senior["token"], "next": "/kiosk/me"},
        max_redirects=0,
    )
    assert response.status == 400 and "这个页面已经过期" in response.text()
    page.evaluate(
        """([token, card]) => {
        const form = document.createElement('form');
        form.method = 'post'; form.action = '/kiosk/identify';
        for (const [name, value] of [['csrf_token', token], ['token', card], ['next', '/kiosk/me']]) {
          const input = document.createElement('input'); input.name = name; input.value = value; form.append(input);
        }
        document.body.append(form); form.submit();
    }""",
        [old_token, live_senior["token"]],
    )
    page.wait_for_load_state()
    assert "这个页面已经过期" in page.inner_text("h1")
    page.goto(f"{live.url}/kiosk/me")
    page.wait_for_url(IDENTIFY)


@IN_BOTH_LANGUAGES
def test_every_kiosk_screen_has_no_axe_violations(live, context_factory, live_senior, lang):
    checks = PageChecks(reflow=True)
    page = context_factory(viewport=KIOSK).new_page()
    page.goto(f"{live.url}/kiosk?lang={lang}")
    checks.check(page, "not a kiosk")
    page.goto(f"{live.url}/kiosk/activate")
    page.locator("main button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    checks.check(page, "activation error")
    page.fill("#code", issue_code(live))
    page.locator("main button[type=submit]").click()
    page.wait_for_url(KIOSK_HOME)
    for path in ["/kiosk", "/kiosk/join", "/kiosk/identify", "/kiosk/identify/phone", "/no-such-page"]:
        page.goto(live.url + path)
        checks.check(page, path)
    page.goto(f"{live.url}/kiosk/identify")
    page.locator("#token").fill("not a card")
    page.locator("#token").press("Enter")
    page.wait_for_selector(".error-summary")
    checks.check(page, "card error")
    page.goto(f"{live.url}/kiosk/identify/phone")
    tap_number(page, "139")
    page.locator(".keypad-next").click()
    page.wait_for_selector(".error-summary")
    checks.check(page, "phone error")
    page.locator("#phone").fill(live_senior["phone"])
    page.locator(".keypad-next").click()
    page.wait_for_url("**/kiosk/identify/year")
    checks.check(page, "year")
    tap_number(page, "1901")
    page.locator(".keypad-next").click()
    page.wait_for_selector(".error-summary")
    checks.check(page, "no match")
    page.goto(f"{live.url}/kiosk/identify?next=/kiosk/me")
    scan_card(page, live_senior["token"])
    page.wait_for_url(ME)
    checks.check(page, "identified")
    page.goto(f"{live.url}/kiosk")
    checks.check(page, "home, identified")
    idle = live.app.config["PORTAL_KIOSK_IDLE_SECONDS"]
    live.app.config["PORTAL_KIOSK_IDLE_SECONDS"] = 1  # only for the page loaded next
    try:
        page.goto(f"{live.url}/kiosk/me")
    finally:
        live.app.config["PORTAL_KIOSK_IDLE_SECONDS"] = idle
    page.wait_for_selector("#kiosk-idle[open]")
    checks.check(page, "idle warning")
    page.locator(".kiosk-more-time").click()
    with live.app.app_context():
        kiosk_id = db.session.scalars(db.select(Kiosk.id).filter_by(name=DEMO_KIOSK)).one()
        db.session.add_all([KioskIdentifyFailure(kiosk_id=kiosk_id, at=utcnow()) for _ in range(5)])
        db.session.commit()
    page.goto(f"{live.url}/kiosk/identify")
    checks.check(page, "paused")
    assert not checks, checks


@IN_BOTH_LANGUAGES
def test_kiosk_admin_pages_have_no_axe_violations(live, context_factory, lang):
    checks = PageChecks(reflow=True)
    page = context_factory(viewport=KIOSK).new_page()
    page.goto(f"{live.url}/?lang={lang}")
    sign_in(page, live.url, "staff")
    page.goto(f"{live.url}/admin/kiosks")
    checks.check(page, "list")
    page.goto(f"{live.url}/admin/kiosks/new")
    page.locator("main button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    checks.check(page, "new, error")
    page.fill("#name", "Health station")
    page.locator("main button[type=submit]").click()
    page.wait_for_selector(".kiosk-code")
    assert re.search(r"K\d+-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", page.inner_text(".kiosk-code"))
    checks.check(page, "detail with code")
    assert not checks, checks


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_print_button_prints_at_once_or_opens_a_print_friendly_page(live, context_factory, javascript):
    page = open_kiosk(live, context_factory, javascript=javascript)
    if javascript:
        page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    page.goto(f"{live.url}/kiosk/join")
    button = page.get_by_role("link", name="打印这些步骤")
    assert button.bounding_box()["height"] >= 60
    button.click()
    if javascript:
        assert page.evaluate("window.__printed") == 1 and page.url.endswith("/kiosk/join")
    else:
        page.wait_for_url("**/kiosk/join?print=1")
        assert "这个页面可以打印了" in page.inner_text("main")
        assert page.get_by_role("link", name="打印这些步骤").count() == 0
        assert "在您住的楼栋门口" in page.inner_text("main")  # the steps themselves are still there
        page.get_by_role("link", name="返回原页面").click()
        page.wait_for_url(re.compile(r"^[^?]*/kiosk/join$"))
    page.emulate_media(media="print")
    assert not page.locator(".kiosk-bar").is_visible() and not page.locator(".print-button").is_visible()
