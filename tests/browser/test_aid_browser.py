"""Mutual aid (邻里互助) in Debian's Chromium: a tap-only kiosk journey at 1080×1920 from the Neighbours tile
to a need posted with the kiosk's channel (each screen checked: axe, target sizes, 320 px reflow); "I can
help" with JavaScript on and off; the mutual-aid page at kiosk and phone size. Set LINLI_SCREENSHOTS to a
folder to keep the screens."""

import re

import pytest

from portal.aid.seed import OPEN_NEED
from portal.extensions import db
from portal.models import AidMatch, AidPost

from tests.support.browser import KIOSK, PHONE, TapJourney, open_kiosk, settle, shot
from tests.support.browser_checks import page_problems
from tests.support.health import make_residents

pytestmark = pytest.mark.browser


def test_kiosk_tap_only_from_the_neighbours_tile_to_a_need_posted(live, context_factory):
    with live.app.app_context():
        resident = make_residents(1, start=560)[0]
        rid, phone, year = resident.id, resident.phone, str(resident.birth_year)
    journey = TapJourney(live, context_factory, "邻里互助", "aid")
    page, check, problems = journey.page, journey.check, journey.problems
    page.wait_for_url("**/aid")
    check("list")
    page.get_by_role("link", name="我要求助").tap()
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
    page.wait_for_url("**/aid/new/category")
    check("category")
    page.get_by_label(re.compile("跑腿办事")).tap()
    page.get_by_role("button", name="继续").tap()
    page.wait_for_url("**/aid/new/text")
    check("text")
    page.get_by_role("button", name="帮我取药").tap()
    page.wait_for_url("**/aid/new/where")
    check("where")
    page.get_by_role("button", name="继续").tap()  # my grid is chosen already
    page.wait_for_url("**/aid/new/check")
    check("check")
    page.get_by_role("button", name="发布").tap()
    page.wait_for_url(re.compile(r".*/aid/\d+\?done=posted"))
    check("posted")
    assert "您的信息已发布" in page.inner_text("main")
    with live.app.app_context():
        post = db.session.scalars(db.select(AidPost).where(AidPost.resident_id == rid)).one()
        assert post.channel == "kiosk" and post.kiosk_id is not None and post.entered_by_id is None
        assert post.kind == "need" and post.category == "errand" and post.text == "帮我取药"
    assert problems == {}


def keypad_identify(page, phone, year, tap=True):
    press = (lambda locator: locator.tap()) if tap else (lambda locator: locator.click())
    press(page.get_by_role("link", name="输入我的手机号码"))
    page.wait_for_url("**/kiosk/identify/phone")
    for digit in phone:
        press(page.locator(f".keypad-key[value='{digit}']"))
    press(page.get_by_role("button", name="下一步"))
    page.wait_for_url("**/kiosk/identify/year")
    for digit in year:
        press(page.locator(f".keypad-key[value='{digit}']"))
    press(page.get_by_role("button", name="下一步"))


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_i_can_help_with_javascript_on_and_off(live, context_factory, javascript):
    with live.app.app_context():
        resident = make_residents(1, start=570 + int(javascript))[0]
        rid, phone, year = resident.id, resident.phone, str(resident.birth_year)
        need = db.session.scalar(db.select(AidPost.id).where(AidPost.text == OPEN_NEED))
    page = open_kiosk(live, context_factory, javascript=javascript)
    page.goto(f"{live.url}/aid/{need}")
    page.get_by_role("link", name="我能帮忙").click()
    page.wait_for_url(re.compile(r"/kiosk/identify\?next="))
    keypad_identify(page, phone, year, tap=False)
    page.wait_for_url(f"**/aid/{need}/respond")
    page.get_by_role("button", name="是", exact=True).click()
    page.wait_for_url(re.compile(rf".*/aid/{need}\?done=respond"))
    assert "您已回应这条信息" in page.inner_text("main")
    if javascript:  # axe-core runs as a script
        assert page_problems(page) == []
    with live.app.app_context():
        match = db.session.scalars(db.select(AidMatch).where(AidMatch.resident_id == rid)).one()
        assert match.post_id == need and match.channel == "kiosk"


@pytest.mark.parametrize("size", ["kiosk", "phone"])
def test_the_mutual_aid_page_at_kiosk_and_phone_size(live, context_factory, size):
    page = context_factory(viewport=KIOSK if size == "kiosk" else PHONE).new_page()
    for name, path in [("list", "/aid?grid=1"), ("grid", "/grids/1")]:
        page.goto(live.url + path)
        settle(page)
        assert page_problems(page, reflow=True) == [], path
        shot(page, f"aid-{size}-{name}")
    assert OPEN_NEED in page.inner_text("main")
