"""Topics and meetings (议事会) in Debian's Chromium: supporting a topic and taking the support back with
JavaScript on and off; a tap-only kiosk journey from the Neighbours tile to a support counted with the
kiosk's channel; the topic pages at kiosk and phone size. Set LINLI_SCREENSHOTS to a folder to keep the
screens."""

import os
import re

import pytest

from portal.extensions import db
from portal.models import Resident, Topic, TopicSupport
from portal.services.cards import card_token
from portal.topics.seed import DECIDED_TITLE, OPEN_TITLE

from tests.support.browser import KIOSK, PHONE, TapJourney, settle, sign_in
from tests.support.browser_checks import page_problems
from tests.support.health import make_residents

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("LINLI_SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def topic_id(live, title) -> int:
    with live.app.app_context():
        return db.session.scalar(db.select(Topic.id).where(Topic.title == title))


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_support_a_topic_and_take_it_back(live, context_factory, javascript):
    opened = topic_id(live, OPEN_TITLE)
    with live.app.app_context():
        resident = make_residents(1, start=500 if javascript else 520)[0]
        token = card_token(resident, live.app.config["SECRET_KEY"])
        before = db.session.get(Topic, opened).supports
    page = context_factory(javascript=javascript).new_page()
    page.goto(f"{live.url}/identify?next=/topics&lang=en")
    page.fill("#token", token)
    page.locator("main button[value=card]").click()
    page.wait_for_url("**/topics")
    page.get_by_role("link", name=OPEN_TITLE).click()
    page.wait_for_url(f"**/topics/{opened}")
    page.get_by_role("link", name="Support this topic").click()
    page.wait_for_url(f"**/topics/{opened}/support")
    page.get_by_role("button", name="Yes, I support it").click()
    page.wait_for_url(re.compile(rf".*/topics/{opened}\?done=supported"))
    main = page.inner_text("main")
    assert "Your support is counted" in main and f"{before + 1} residents support it" in main
    if javascript:  # axe-core runs as a script
        assert page_problems(page, lang="en") == []
    page.get_by_role("link", name="Take back my support").click()
    page.get_by_role("button", name="Yes, take it back").click()
    page.wait_for_url(re.compile(rf".*/topics/{opened}\?done=withdrawn"))
    assert f"{before} residents support it" in page.inner_text("main")


def test_kiosk_tap_only_from_the_neighbours_tile_to_a_support(live, context_factory):
    opened = topic_id(live, OPEN_TITLE)
    with live.app.app_context():
        resident = make_residents(1, start=540)[0]
        rid, phone, year = resident.id, resident.phone, str(resident.birth_year)
    journey = TapJourney(live, context_factory, "议事会", "topics")
    page, check, problems = journey.page, journey.check, journey.problems
    page.wait_for_url("**/topics")
    check("list")
    page.get_by_role("link", name=OPEN_TITLE).tap()
    page.wait_for_url(f"**/topics/{opened}")
    check("topic")
    page.get_by_role("link", name="支持这个议题").tap()
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
    page.wait_for_url(f"**/topics/{opened}/support")
    check("confirm")
    page.get_by_role("button", name="是的，我支持").tap()
    page.wait_for_url(re.compile(rf".*/topics/{opened}\?done=supported"))
    check("supported")
    assert "您支持这个议题" in page.inner_text("main")
    with live.app.app_context():
        support = db.session.scalars(db.select(TopicSupport).where(TopicSupport.resident_id == rid)).one()
        assert support.channel == "kiosk" and support.kiosk_id is not None and support.entered_by_id is None
    assert problems == {}


@pytest.mark.parametrize("size", ["kiosk", "phone"])
def test_topic_pages_at_kiosk_and_phone_size(live, context_factory, size):
    viewport = KIOSK if size == "kiosk" else PHONE
    page = context_factory(viewport=viewport).new_page()
    decided = topic_id(live, DECIDED_TITLE)
    for name, path in [("list", "/topics?grid=1"), ("decided", f"/topics/{decided}")]:
        page.goto(live.url + path)
        settle(page)
        assert page_problems(page, reflow=True) == [], path
        shot(page, f"topics-{size}-{name}")
    assert "4人参加" in page.inner_text("main")
    sign_in(page, live.url, "staff")
    page.goto(f"{live.url}/topics/{decided}")
    settle(page)
    assert page_problems(page, reflow=True) == []
    shot(page, f"topics-{size}-staff")
    with live.app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Resident)) > 0
