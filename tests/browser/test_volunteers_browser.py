"""Volunteer register (活地图) in Debian's Chromium: a resident joins the register at a kiosk by taps only, a
volunteer account changes its entry with JavaScript on and off, a volunteer answers a call-out from the link
with no sign-in, and every register page reflows at 320 px in both languages. Set LINLI_SCREENSHOTS to a
folder to keep the screens (the staff's list, the plan, who is coming, the answer link at phone size)."""

import re

import pytest

from portal.extensions import db
from portal.models import CallOutReply, Volunteer
from portal.services.volunteers import answer_token

from tests.support.browser import KIOSK, PHONE, TapJourney, shot, sign_in
from tests.support.browser_checks import has_horizontal_scroll
from tests.support.health import make_residents

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_a_volunteer_account_changes_its_entry(live, context_factory, javascript):
    page = context_factory(javascript=javascript).new_page()
    sign_in(page, live.url, "volunteer")
    page.goto(f"{live.url}/volunteers/me?lang=en")
    page.locator("label[for=skills]").click()  # first aid, not chosen in the demo
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/volunteers/me?done=changed*")
    assert "Your entry is changed." in page.locator("main").inner_text()
    assert "First aid" in page.locator("main dl").inner_text()
    with live.app.app_context():
        entry = db.session.scalars(db.select(Volunteer).where(Volunteer.account_id.is_not(None))).one()
        assert entry.skills & 1


def test_a_resident_joins_at_the_kiosk_by_taps_only(live, context_factory):
    with live.app.app_context():
        resident = make_residents(1, start=600)[0]
        resident_id, phone, year = resident.id, resident.phone, str(resident.birth_year)
    journey = TapJourney(live, context_factory, "当志愿者", "volunteers")
    page, check, problems = journey.page, journey.check, journey.problems
    page.wait_for_url(re.compile(r"/kiosk/identify\?next="))
    page.get_by_role("link", name="输入我的手机号码").tap()
    page.wait_for_url("**/kiosk/identify/phone")
    for digit in phone:
        page.locator(f".keypad-key[value='{digit}']").tap()
    page.get_by_role("button", name="下一步").tap()
    page.wait_for_url("**/kiosk/identify/year")
    for digit in year:
        page.locator(f".keypad-key[value='{digit}']").tap()
    page.get_by_role("button", name="下一步").tap()
    page.wait_for_url("**/volunteers/me")
    check("form")
    for label in ("label[for=skills-5]", "label[for=day5]", "label[for=consent]"):
        page.locator(label).tap()
    page.get_by_role("button", name="登记当志愿者").tap()
    page.wait_for_url("**/volunteers/me?done=joined*")
    check("joined")
    assert "您已登记为志愿者" in page.inner_text("main")
    with live.app.app_context():
        entry = db.session.scalars(db.select(Volunteer).where(Volunteer.resident_id == resident_id)).one()
        assert entry.channel == "kiosk" and entry.kiosk_id is not None and entry.availability == 1 << 15
    assert problems == {}


def test_the_answer_link_works_with_no_sign_in_at_phone_size(live, context_factory):
    with live.app.app_context():
        reply = db.session.scalars(db.select(CallOutReply).where(CallOutReply.answer.is_(None))).first()
        token, reply_id = answer_token(reply, live.app.config["SECRET_KEY"]), reply.id
    page = context_factory(viewport=PHONE).new_page()
    page.goto(f"{live.url}/v/{token}?lang=zh")
    shot(page, "volunteers-answer-phone")
    page.locator("main button[value=yes]").click()
    page.wait_for_url("**done=yes*")
    with live.app.app_context():
        assert db.session.get(CallOutReply, reply_id).answer == "yes"


def test_the_register_pages_reflow_at_320_px(live, context_factory):
    page = context_factory(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, live.url, "staff")
    for lang in ("zh", "en"):
        for path in ("/volunteers", "/volunteers/plan", "/volunteers/callouts", "/volunteers/callouts/1"):
            page.goto(f"{live.url}{path}?lang={lang}")
            assert not has_horizontal_scroll(page), f"{path} scrolls sideways at 320 px ({lang})"
    big = context_factory(viewport=KIOSK).new_page()
    sign_in(big, live.url, "staff")
    for path, name in (("/volunteers", "volunteers-list"), ("/volunteers/plan", "volunteers-plan"),
                       ("/volunteers/callouts/1", "volunteers-callout")):  # fmt: skip
        big.goto(f"{live.url}{path}")
        shot(big, name)
    mine = context_factory(viewport={"width": 320, "height": 640}).new_page()
    sign_in(mine, live.url, "volunteer")
    for lang in ("zh", "en"):
        mine.goto(f"{live.url}/volunteers/me?lang={lang}")
        assert not has_horizontal_scroll(mine), f"/volunteers/me scrolls sideways at 320 px ({lang})"
