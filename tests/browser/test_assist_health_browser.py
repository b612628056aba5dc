"""A volunteer books a health check for the resident they are helping, in Chromium with JavaScript off
at tablet size: from the helping page to the slip, the banner on every page, and no axe violations on
the helping page and "Their appointments" (with an appointment on them) in both languages."""

import pytest

from portal.extensions import db
from portal.models import Account, Booking, Resident

from tests.support.browser import shot, sign_in
from tests.support.browser_checks import PageChecks
from tests.support.records import resident_in

pytestmark = pytest.mark.browser
TABLET = {"width": 800, "height": 1280}


def start_assisting(page, base_url, number):
    sign_in(page, base_url, "volunteer")
    page.goto(f"{base_url}/assist/residents/{number}")
    page.check("#identity_check")
    page.check("#consent")
    page.fill("#reason", "帮居民约量血压")
    page.get_by_role("button", name="开始代办").click()
    page.wait_for_url("**/assist/now")


def test_a_volunteer_books_for_the_resident_with_javascript_off(live, live_app, context_factory):
    senior = resident_in(live_app, 1)
    page = context_factory(viewport=TABLET, javascript=False).new_page()
    start_assisting(page, live.url, senior["number"])
    masked = senior["name"][0] + "*" * (len(senior["name"]) - 2) + senior["name"][-1]
    banner = []

    def note_banner(step):
        if masked not in page.inner_text(".assisted-banner"):
            banner.append(step)

    page.get_by_role("link", name="帮居民预约健康检查").click()
    page.wait_for_url("**/health/")
    note_banner("stations")
    page.locator("main a[href='/health/stations/1']").click()
    note_banner("service")
    page.locator("button[name=service] >> nth=0").click()
    page.wait_for_url("**/health/book/day")
    note_banner("day")
    page.locator("button[name=day] >> nth=4").click()
    page.wait_for_url("**/health/book/time")
    note_banner("time")
    page.locator("button[name=slot] >> nth=0").click()
    page.wait_for_url("**/health/book/confirm")  # no identification: the helper checked at the start
    note_banner("confirm")
    page.get_by_role("button", name="确认预约").click()
    page.wait_for_url("**/health/bookings/*")
    note_banner("slip")
    assert page.is_visible(".slip-number") and banner == []
    with live_app.app_context():
        booking = db.session.scalars(db.select(Booking).order_by(Booking.id.desc())).first()
        volunteer = db.session.scalars(db.select(Account.id).filter_by(username="volunteer")).one()
        helped = db.session.scalars(db.select(Resident.id).filter_by(number=senior["number"])).one()
        assert (booking.resident_id, booking.channel, booking.entered_by_id) == (helped, "volunteer", volunteer)
    page.get_by_role("link", name=f"回到为 {masked} 代办").click()
    page.wait_for_url("**/assist/now")
    assert "居民接下来的预约" in page.inner_text("main")
    # axe runs in the page, so it needs JavaScript: the same pages, with the appointment, in a second browser.
    page = context_factory(viewport=TABLET).new_page()
    start_assisting(page, live.url, senior["number"])
    checks = PageChecks()
    for lang in ["zh", "en"]:
        for path in ["/assist/now", "/health/my"]:
            page.goto(f"{live.url}{path}?lang={lang}")
            checks.check(page, f"{path} {lang}")
            if lang == "zh":
                shot(page, "assist-" + path.strip("/").replace("/", "-"))
    assert not checks, checks
