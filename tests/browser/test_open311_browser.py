"""The admins' Open311 keys page in a real browser: a key made through the form (its errors first),
shown once in a panel that reflows at 320 px, revoked; axe zero on each screen in both languages."""

import pytest

from tests.support.browser import KIOSK, sign_in
from tests.support.browser_checks import IN_BOTH_LANGUAGES, PageChecks, has_horizontal_scroll

pytestmark = pytest.mark.browser
SHOTS = "/tmp/shots-open311"


@IN_BOTH_LANGUAGES
def test_an_admin_makes_and_revokes_a_partner_key(live, context_factory, lang):
    page = context_factory(viewport=KIOSK).new_page()
    page.goto(f"{live.url}/?lang={lang}")
    sign_in(page, live.url, "admin")
    checks = PageChecks(lang=lang).visit(page, live.url, ["/admin/open311"])
    page.locator("form[action='/admin/open311/keys'] button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    checks.check(page, "key form with errors")
    page.fill("#name", "City 12345 hotline")
    page.locator("label[for^=community]").first.click()
    page.locator("form[action='/admin/open311/keys'] button[type=submit]").click()
    page.wait_for_selector(".partner-key")
    key = page.inner_text(".partner-key").strip()
    assert len(key) == 43
    checks.check(page, "the new key, shown once")
    page.screenshot(path=f"{SHOTS}/keys-new-{lang}.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 640})
    assert not has_horizontal_scroll(page), "the key panel scrolls sideways at 320 px"
    page.screenshot(path=f"{SHOTS}/keys-new-320-{lang}.png", full_page=True)
    page.reload()
    assert page.locator(".partner-key").count() == 0 and key not in page.content()
    page.set_viewport_size(KIOSK)
    page.locator("form[action$='/revoke'] button[type=submit]").first.click()
    page.wait_for_selector(".notice")
    checks.check(page, "the key revoked")
    page.screenshot(path=f"{SHOTS}/keys-revoked-{lang}.png", full_page=True)
    assert not checks, checks
