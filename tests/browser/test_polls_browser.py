"""Votes (网络微投票) in Debian's Chromium: voting and changing the vote with JavaScript on and off; a tap-only
kiosk journey from the Neighbours tile to a ballot counted with the kiosk's channel; the results at kiosk
and phone size; and the results printed on exactly one A4 page (Chromium's page.pdf). Set LINLI_SCREENSHOTS
to a folder to keep the screens and the PDF."""

import os
import re

import pytest

from portal.extensions import db
from portal.models import Ballot, Poll
from portal.polls.seed import CLOSED_QUESTION, OPEN_QUESTION
from portal.services.cards import card_token

from tests.support.browser import KIOSK, PHONE, SHOTS, TapJourney, settle, shot, sign_in
from tests.support.browser_checks import page_problems
from tests.support.health import make_residents

pytestmark = pytest.mark.browser


def poll_id(live, question) -> int:
    with live.app.app_context():
        return db.session.scalar(db.select(Poll.id).where(Poll.question == question))


def ballot_of(live, resident_id, poll) -> Ballot | None:
    with live.app.app_context():
        ballot = db.session.scalars(
            db.select(Ballot).where(Ballot.resident_id == resident_id, Ballot.poll_id == poll)
        ).one_or_none()
        return None if ballot is None else (ballot.channel, ballot.kiosk_id, [c.option_id for c in ballot.choices])


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_vote_and_change_the_vote(live, context_factory, javascript):
    opened = poll_id(live, OPEN_QUESTION)
    with live.app.app_context():
        resident = make_residents(1, start=500 if javascript else 520)[0]
        rid, token = resident.id, card_token(resident, live.app.config["SECRET_KEY"])
        options = [o.id for o in db.session.get(Poll, opened).options]
    page = context_factory(javascript=javascript).new_page()
    page.goto(f"{live.url}/identify?next=/polls&lang=en")
    page.fill("#token", token)
    page.locator("main button[value=card]").click()
    page.wait_for_url("**/polls")
    page.get_by_role("link", name=OPEN_QUESTION).click()
    page.wait_for_url(f"**/polls/{opened}")
    page.get_by_role("link", name="Vote", exact=True).click()
    page.wait_for_url(f"**/polls/{opened}/vote")
    page.get_by_role("button", name="Send my vote").click()  # nothing chosen: told so, on the same page
    settle(page)
    assert "Choose an answer" in page.inner_text("main")
    page.get_by_label("每月15号").check()
    page.get_by_role("button", name="Send my vote").click()
    page.wait_for_url(re.compile(rf".*/polls/{opened}\?done=recorded"))
    assert "Your vote is counted" in page.inner_text("main")
    if javascript:  # axe-core runs as a script
        assert page_problems(page, lang="en") == []
    page.get_by_role("link", name="Change my vote").click()
    page.get_by_label("每月最后一个星期天").check()
    page.get_by_role("button", name="Change my vote").click()
    page.wait_for_url(re.compile(rf".*/polls/{opened}\?done=changed"))
    assert ballot_of(live, rid, opened) == ("online", None, [options[2]])


def test_kiosk_tap_only_from_the_neighbours_tile_to_a_ballot(live, context_factory):
    opened = poll_id(live, OPEN_QUESTION)
    with live.app.app_context():
        resident = make_residents(1, start=540)[0]
        rid, phone, year = resident.id, resident.phone, str(resident.birth_year)
        first = db.session.get(Poll, opened).options[0].id
    journey = TapJourney(live, context_factory, "网络微投票", "polls")
    page, check, problems = journey.page, journey.check, journey.problems
    page.wait_for_url("**/polls")
    check("list")
    page.get_by_role("link", name=OPEN_QUESTION).tap()
    page.wait_for_url(f"**/polls/{opened}")
    check("poll")
    page.get_by_role("link", name="投票", exact=True).tap()
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
    page.wait_for_url(f"**/polls/{opened}/vote")
    check("vote")
    page.locator("label", has_text="每月第一个星期六").tap()
    page.get_by_role("button", name="提交我的投票").tap()
    page.wait_for_url(re.compile(rf".*/polls/{opened}\?done=recorded"))
    check("voted")
    assert "您的投票已计入" in page.inner_text("main")
    channel, kiosk_id, choices = ballot_of(live, rid, opened)
    assert channel == "kiosk" and kiosk_id is not None and choices == [first]
    assert problems == {}


@pytest.mark.parametrize("size", ["kiosk", "phone"])
def test_the_results_at_kiosk_and_phone_size(live, context_factory, size):
    closed = poll_id(live, CLOSED_QUESTION)
    page = context_factory(viewport=KIOSK if size == "kiosk" else PHONE).new_page()
    for name, path in [("list", "/polls?community=1"), ("results", f"/polls/{closed}")]:
        page.goto(live.url + path)
        settle(page)
        assert page_problems(page, reflow=True) == [], path
        shot(page, f"polls-{size}-{name}")
    assert "各选项得票" in page.inner_text("main")
    sign_in(page, live.url, "staff")
    page.goto(f"{live.url}/polls/manage/{closed}")
    settle(page)
    assert page_problems(page, reflow=True) == []
    shot(page, f"polls-{size}-staff")


def test_the_results_print_on_one_a4_page(live, context_factory):
    closed = poll_id(live, CLOSED_QUESTION)
    page = context_factory(viewport=KIOSK).new_page()
    page.goto(f"{live.url}/polls/{closed}/print")
    settle(page)
    assert page_problems(page) == []
    pdf = page.pdf(format="A4", print_background=True)
    if SHOTS:
        with open(os.path.join(SHOTS, "polls-results.pdf"), "wb") as out:
            out.write(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


# The shown charts' labels as drawn: font size in CSS px (the SVG's own size times its scale to the
# screen), and any label that runs past the chart's right edge.
CHART_LABELS = """() => {
  const found = {sizes: [], overflowing: [], charts: 0};
  for (const svg of document.querySelectorAll('svg.chart')) {
    if (!svg.getClientRects().length) continue;  // the other layout, not shown at this width
    found.charts += 1;
    const box = svg.viewBox.baseVal, scale = svg.getBoundingClientRect().width / box.width;
    for (const text of svg.querySelectorAll('text.chart-label, text.chart-value')) {
      found.sizes.push(parseFloat(getComputedStyle(text).fontSize) * scale);
      const drawn = text.getBBox();
      if (drawn.x + drawn.width > box.width + 1) found.overflowing.push(text.textContent);
    }
  }
  return found;
}"""


@pytest.mark.parametrize("size", ["phone", "kiosk"])
def test_chart_labels_are_body_text_size_on_a_phone_and_a_kiosk(live, context_factory, size):
    closed = poll_id(live, CLOSED_QUESTION)
    page = context_factory(viewport=PHONE if size == "phone" else KIOSK).new_page()
    for lang in ("zh", "en"):
        for path in (f"/polls/{closed}", "/stats/communities/1?period=this_year"):
            page.goto(f"{live.url}{path}{'&' if '?' in path else '?'}lang={lang}")
            settle(page)
            drawn = page.evaluate(CHART_LABELS)
            assert drawn["charts"] >= 2 and drawn["sizes"], path
            assert min(drawn["sizes"]) >= 18, (path, lang, round(min(drawn["sizes"]), 1))
            assert drawn["overflowing"] == [], (path, lang)
            shot(page, f"charts-{size}-{lang}-{'poll' if 'polls' in path else 'stats'}")
