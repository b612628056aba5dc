"""The web front door in Debian's Chromium at phone size, in both languages, JavaScript on and off:
identify by phone, birth year and the code sent by SMS (read off /admin/outbox the way a tester
would), and sign up with the code. axe, 48 px targets and 320 px reflow on every page."""

import re

import pytest

from portal.extensions import db
from portal.models import Resident
from portal.services.posters import active_grid_poster

from tests.support.browser import PHONE, settle, sign_in
from tests.support.browser_checks import axe_violations, has_horizontal_scroll, small_targets

pytestmark = pytest.mark.browser
WORDS = {
    "zh": {
        "phone_button": "用手机号码继续",
        "continue": "继续",
        "wrong": "验证码不对",
        "outbox": "短信（仅开发环境）",
        "registered": "您已经登记过了",
        "card": "显示我的居民卡",
    },
    "en": {
        "phone_button": "Continue with my phone number",
        "continue": "Continue",
        "wrong": "That code is not right",
        "outbox": "Text messages (development only)",
        "registered": "You are already registered",
        "card": "Show my resident card",
    },
}


def measure(page, label, problems):
    """axe, targets and reflow need scripts in the page: measured in the JavaScript-on runs."""
    if not page.context.linli_javascript:
        return
    found = axe_violations(page) + [f"small target: {t}" for t in small_targets(page)]
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    if has_horizontal_scroll(page):
        found.append("scrolls sideways at 320 px")
    page.set_viewport_size(size)
    if found:
        problems[label] = found


def submit(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    settle(page)


def code_from_outbox(staff, base_url, masked_tail):
    """The newest code for this phone, read on the development outbox page like a tester would."""
    staff.goto(f"{base_url}/admin/outbox")
    item = staff.locator("li.outbox-message", has_text=masked_tail).first
    return re.search(r"\b(\d{6})\b", item.inner_text()).group(1)


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_identify_by_phone_with_the_sms_code(live, live_app, context_factory, lang, javascript):
    words, problems = WORDS[lang], {}
    with live_app.app_context():
        senior = db.session.scalars(
            db.select(Resident).where(Resident.phone.is_not(None)).order_by(Resident.id)
        ).first()
        phone, year = senior.phone, str(senior.birth_year)
    context = context_factory(viewport=PHONE, javascript=javascript)
    context.linli_javascript = javascript
    page = context.new_page()
    page.goto(f"{live.url}/identify?lang={lang}&next=/privacy")
    measure(page, "identify", problems)
    page.fill("#phone", phone)
    page.fill("#birth_year", year)
    submit(page, words["phone_button"])
    page.wait_for_url("**/identify/code")
    settle(page)
    assert phone not in page.content() and phone[-4:] in page.inner_text("main")
    measure(page, "code", problems)
    page.fill("#code", "12345")
    submit(page, words["continue"])
    page.wait_for_selector(".error-summary")
    assert page.input_value("#code") == "12345"  # what was typed is kept
    assert page.locator(".error-summary a[href='#code']").count() == 1
    measure(page, "code with an error", problems)
    page.fill("#code", "000000")
    submit(page, words["continue"])
    page.wait_for_selector(f".error-summary >> text={words['wrong']}")
    assert words["wrong"] in page.inner_text(".error-summary")
    staff = context_factory(viewport=PHONE).new_page()
    staff.context.linli_javascript = True
    sign_in(staff, live.url, "staff")
    staff.goto(f"{live.url}/admin/outbox?lang={lang}")
    assert words["outbox"] in staff.inner_text("h1")
    measure(staff, "outbox", problems)
    code = code_from_outbox(staff, live.url, phone[-4:])
    page.fill("#code", code)
    submit(page, words["continue"])
    page.wait_for_url("**/privacy")
    assert not problems, problems


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sign_up_proves_the_phone_and_a_registered_number_gets_its_card(live, live_app, context_factory, lang):
    words, problems = WORDS[lang], {}
    with live_app.app_context():
        code = active_grid_poster(db.session, 1).code
        existing = db.session.scalars(
            db.select(Resident).where(Resident.grid_id == 1, Resident.phone.is_not(None)).order_by(Resident.id)
        ).first()
        phone, number = existing.phone, existing.number
    context = context_factory(viewport=PHONE)
    context.linli_javascript = True
    page = context.new_page()
    staff = context_factory(viewport=PHONE).new_page()
    sign_in(staff, live.url, "staff")
    page.goto(f"{live.url}/join/{code}?lang={lang}")
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/signup/name")
    settle(page)
    page.fill("#name", "王秀英")
    submit(page, words["continue"])
    page.wait_for_url("**/signup/phone")
    settle(page)
    page.fill("#phone", phone)
    submit(page, words["continue"])
    page.wait_for_url("**/signup/phone-code")
    settle(page)
    assert words["registered"] not in page.inner_text("main")  # not before the code
    measure(page, "sign-up code", problems)
    page.fill("#code", code_from_outbox(staff, live.url, phone[-4:]))
    submit(page, words["continue"])
    page.wait_for_url("**/signup/already-registered")  # right after the phone, not after six questions
    assert words["registered"] in page.inner_text("h1")
    measure(page, "already registered", problems)
    page.get_by_role("link", name=words["card"]).click()
    page.wait_for_url(f"**/cards/{number}")
    assert not problems, problems
