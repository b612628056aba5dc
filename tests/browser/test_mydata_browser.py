"""My information in Chromium: a resident identified with their card reads it at kiosk and phone size,
asks for a correction (with the error summary first), and prints it on A4. Both languages, axe-clean."""

import io
import re

import pypdf
import pytest

from tests.support.browser import KIOSK, KIOSK_HOME, PHONE, issue_code
from tests.support.browser_checks import IN_BOTH_LANGUAGES, PageChecks, has_horizontal_scroll

pytestmark = pytest.mark.browser
SHOTS = "/tmp/shots-mydata"
MINE = re.compile(r"^[^?]*/my-information$")


def identify_with_card(page, base_url, token):
    page.goto(f"{base_url}/identify?next=/my-information")
    page.fill("#token", token)
    page.locator("main button[name=how][value=card]").click()
    page.wait_for_url(MINE)


@IN_BOTH_LANGUAGES
def test_my_information_pages_are_accessible_at_kiosk_and_phone_size(live, context_factory, live_senior, lang):
    checks = PageChecks(lang=lang)
    page = context_factory(viewport=KIOSK).new_page()
    page.goto(f"{live.url}/?lang={lang}")
    identify_with_card(page, live.url, live_senior["token"])
    checks.check(page, "my information")
    page.screenshot(path=f"{SHOTS}/mine-kiosk-{lang}.png", full_page=True)
    page.locator("main form[action='/my-information/phone'] button").click()
    page.locator("main .summary-list").first.filter(has_text=live_senior["phone"]).wait_for()
    checks.check(page, "full number shown")
    checks.visit(
        page,
        live.url,
        [
            "/my-information/records/audit",
            "/my-information/records/activity_signups",
            "/my-information/records/notice_reads",
            "/my-information/remove",
            "/my-information/correct",
        ],
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    page.wait_for_function("document.activeElement.classList.contains('error-summary')")
    checks.check(page, "correction with errors")
    page.check("#field-4")  # the room number
    page.fill("#what_is_wrong", "房号少了一位")
    page.fill("#should_be", "1203")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("main .notice")
    checks.check(page, "correction sent")
    assert "1203" in page.inner_text("main")

    small = context_factory(viewport=PHONE).new_page()
    small.context.add_cookies(page.context.cookies())
    small.goto(f"{live.url}/my-information")
    assert not has_horizontal_scroll(small)
    checks.check(small, "my information on a phone")
    small.screenshot(path=f"{SHOTS}/mine-phone-{lang}.png", full_page=True)
    assert not checks, checks


def test_my_information_prints_on_a4(live, context_factory, live_senior):
    page = context_factory(viewport=KIOSK).new_page()
    identify_with_card(page, live.url, live_senior["token"])
    page.goto(f"{live.url}/my-information/print")
    page.emulate_media(media="print")
    assert page.is_hidden(".print-button") and page.is_hidden(".site-header")
    page.emulate_media(media="null")
    data = page.pdf(format="A4", print_background=True)
    with open(f"{SHOTS}/print.pdf", "wb") as out:
        out.write(data)
    pdf = pypdf.PdfReader(io.BytesIO(data))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert abs(float(pdf.pages[0].mediabox.width) - 595) < 2  # A4 wide
    assert "健康预约" in text and live_senior["phone"] not in text


def test_at_a_kiosk_the_tile_leads_through_the_card_to_my_information(live, context_factory, live_senior):
    page = context_factory(viewport=KIOSK).new_page()
    page.goto(f"{live.url}/kiosk/activate")
    page.fill("#code", issue_code(live))
    page.locator("main button[type=submit]").click()
    page.wait_for_url(KIOSK_HOME)
    page.locator("a.kiosk-tile[href='/kiosk/identify?next=/my-information']").click()
    # The scanner types the card's code into the focused field, then Enter.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'token'", timeout=10_000)
    page.keyboard.type(live_senior["token"])
    page.keyboard.press("Enter")
    page.wait_for_url(MINE)
    assert live_senior["phone"][-4:] in page.inner_text("main .summary-list >> nth=0")
    # No file is saved on a shared screen: the download is not offered there.
    assert page.locator("a[href='/my-information/download.json']").count() == 0
    checks = PageChecks(reflow=True, lang="zh")
    checks.check(page, "my information at a kiosk")
    page.screenshot(path=f"{SHOTS}/mine-kiosk-mode-zh.png")
    assert not checks, checks
