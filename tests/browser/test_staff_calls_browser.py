"""Call a staff member, in Debian's Chromium at 1080x1920: the kiosk presses the button, a member of staff
in another browser context sees the call appear by itself (htmx polling), answers "I'm coming", and the
kiosk shows who is on the way without a reload; the same with JavaScript off by plain forms. axe, 60 px
targets for the kiosk's call buttons, 48 px elsewhere, 320 px reflow, both languages. Set LINLI_SCREENSHOTS to a
folder to keep screenshots of the kiosk with the call button and of the staff's call list."""

import os

import pytest

from tests.support.browser import DESKTOP, KIOSK, PHONE, open_kiosk, settle, sign_in
from tests.support.browser_checks import IN_BOTH_LANGUAGES, PageChecks, has_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.browser_on_postgresql]
CALLS = "/admin/kiosks/calls"


def screenshot(page, name):
    if os.environ.get("LINLI_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["LINLI_SCREENSHOTS"], f"{name}.png"), full_page=True)


def kiosk_page(live, context_factory, javascript=True, lang="zh"):
    return open_kiosk(live, context_factory, javascript=javascript, lang=lang, has_touch=True)


def test_a_kiosk_call_is_answered_by_staff_in_another_browser(live, context_factory):
    kiosk = kiosk_page(live, context_factory)
    staff = context_factory(viewport=DESKTOP).new_page()
    sign_in(staff, live.url, "staff")
    staff.goto(live.url + CALLS)
    assert "还没有呼叫" in staff.inner_text("main")
    screenshot(kiosk, "kiosk-home-call-button-1080")

    kiosk.locator(".kiosk-call").tap()
    kiosk.wait_for_url("**/kiosk/call")
    assert kiosk.inner_text("h1") == "有人会来帮您"
    # The staff list refreshes itself: the call appears without a reload.
    staff.locator(".call-item").wait_for(timeout=15_000)
    assert "南湖社区服务中心" in staff.inner_text(".call-list") and "还没有人回应" in staff.inner_text(".call-list")
    screenshot(staff, "staff-call-list-desktop")
    staff.locator(".call-item button.button-primary").click()
    staff.wait_for_function(
        "document.querySelector('.call-item') && document.querySelector('.call-item').innerText.includes('正在赶来')"
    )
    # ... and the kiosk learns it by itself too.
    kiosk.wait_for_function("document.querySelector('.call-state').innerText.includes('正在赶来')", timeout=15_000)
    screenshot(kiosk, "kiosk-call-coming-1080")
    staff.locator(".call-item button.button-secondary").click()
    kiosk.wait_for_function("document.querySelector('.call-state').innerText.includes('完成')", timeout=15_000)


def test_the_same_with_javascript_off(live, context_factory):
    kiosk = kiosk_page(live, context_factory, javascript=False)
    kiosk.locator(".kiosk-call").click()
    kiosk.wait_for_url("**/kiosk/call")
    staff = context_factory(viewport=PHONE, javascript=False).new_page()
    sign_in(staff, live.url, "staff")
    staff.goto(live.url + CALLS)
    staff.locator(".call-item button.button-primary").click()
    staff.wait_for_url("**" + CALLS)
    assert "正在赶来" in staff.inner_text(".call-list")
    screenshot(staff, "staff-call-list-390-no-js")
    kiosk.locator("a", has_text="看看有没有人来").click()
    assert "正在赶来" in kiosk.inner_text(".call-state")


@IN_BOTH_LANGUAGES
def test_call_pages_pass_axe_with_big_targets_and_reflow(live, context_factory, lang):
    kiosk = kiosk_page(live, context_factory, lang=lang)
    checks = PageChecks(minimum=48, reflow=True, lang=lang)
    checks.check(kiosk, "kiosk home")
    box = kiosk.locator(".kiosk-call").bounding_box()
    assert box["width"] >= 60 and box["height"] >= 60  # a main action on the kiosk
    kiosk.locator(".kiosk-call").tap()
    kiosk.wait_for_url("**/kiosk/call")
    settle(kiosk)
    checks.check(kiosk, "kiosk call")
    for button in kiosk.locator("main .button").all():
        assert button.bounding_box()["height"] >= 60, button.inner_text()
    staff = context_factory(viewport=KIOSK).new_page()
    sign_in(staff, live.url, "staff")
    staff_checks = PageChecks(minimum=48, reflow=True, lang=lang)
    staff.goto(f"{live.url}{CALLS}?lang={lang}")
    staff_checks.check(staff, "call list")
    staff.locator(".call-item button.button-primary").click()
    staff.wait_for_url("**" + CALLS + "*")
    settle(staff)
    staff_checks.check(staff, "call list, answered")
    wide = []
    for page, name in ((kiosk, "kiosk call"), (staff, "call list")):
        page.set_viewport_size({"width": 320, "height": 800})
        if has_horizontal_scroll(page):
            wide.append(name)
    assert len(checks.seen) == 2 and len(staff_checks.seen) == 2
    assert not checks and not staff_checks and not wide, (dict(checks), dict(staff_checks), wide)
