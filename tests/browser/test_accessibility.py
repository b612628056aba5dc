"""The accessibility numbers of DESIGN.md, measured in Debian's Chromium on every page, both languages."""

import pytest

from tests.support.browser import KIOSK, PHONE, sign_in
from tests.support.browser_checks import PageChecks, axe_violations, font_size, has_horizontal_scroll, small_targets

pytestmark = pytest.mark.browser

# The activity pages staff work on (activity 1 is the demo's full calligraphy class, with a waiting list).
ACTIVITY_STAFF_PAGES = [
    "/activities/manage", "/activities/manage/new", "/activities/manage/1", "/activities/manage/1/edit",
    "/activities/manage/1/desk", "/activities/manage/1/door", "/activities/manage/1/sheet",
    "/activities/manage/1/cancel", "/activities/manage/1/poster", "/activities/calls",
]  # fmt: skip
# Who signs in (None = a resident, not signed in) -> the pages they can see.
PAGES = {
    # The demo notices are numbered in seed order: 1 important, 2 with an English version, 3 for grid 1
    # only, 4 ended (portal/notices/seed.py).
    None: [
        "/",
        "/login",
        "/privacy",
        "/no-such-page",
        "/stats",
        "/stats/communities/1",
        "/stats/grids/1",
        "/grids/1",
        "/grids/1/notices",
        "/notices/1",
        "/notices/4",
        "/notices/2/print",
        "/notices",
        "/neighbours",
        "/activities/",
        "/activities/1",
    ],
    "staff": [
        "/me",
        "/communities/1",
        "/grids/1/residents",
        "/grids/1/work-phone",
        "/grids/1",
        "/notices/2",
        "/notices/new?grid=1",
        "/notices/3/edit",
        "/notices/3/withdraw",
        "/requests/K7MX3PQA",
        # the demo's correction asked in 南湖
        "/data-requests",
        "/data-requests/1",
        "/communities/1/stats",
        "/communities/1/stats/report",
        # with its errors
        "/communities/1/stats?period=custom&date_from=2026-13-01&date_to=",
    ]
    + ACTIVITY_STAFF_PAGES,
    "gridworker": ["/me", "/grids/2/residents", "/communities/1", "/grids/2/stats"],  # the last one is the 403 page
    "admin": ["/me", "/communities/2", "/admin/open311"],
}
# Topics and meetings (议事会): topic 1 is the demo's open topic of grid 1, topic 2 the decided one with its
# held meeting (portal/topics/seed.py).
TOPIC_PAGES = {
    None: ["/topics?grid=1", "/topics/1", "/topics/2"],
    "staff": ["/topics/2", "/topics/new", "/topics/1/edit", "/topics/1/moderate", "/topics/1/outcome",
              "/topics/1/meeting", "/activities/manage/new?topic=1"],
}  # fmt: skip
for _user, _pages in TOPIC_PAGES.items():
    PAGES[_user] = PAGES[_user] + _pages
# Votes (网络微投票): poll 1 is the demo's open poll of 南湖, poll 2 grid 1's closed one with its results
# (portal/polls/seed.py).
POLL_PAGES = {
    None: ["/polls?community=1", "/polls/1", "/polls/2", "/polls/2/print"],
    "staff": ["/polls/manage", "/polls/manage/new", "/polls/manage/1", "/polls/manage/1/paper", "/polls/1"],
}
for _user, _pages in POLL_PAGES.items():
    PAGES[_user] = PAGES[_user] + _pages
# Volunteer register (活地图): the volunteer account's own entry; the staff's list, plan and call-outs (call-out
# 1 is the demo's, to grid 1).
VOLUNTEER_PAGES = {
    "volunteer": ["/volunteers/me", "/volunteers/me/leave"],
    "staff": ["/volunteers", "/volunteers?skill=first_aid&day=0&part=morning", "/volunteers/plan",
              "/volunteers/callouts", "/volunteers/callouts/1"],
}  # fmt: skip
for _user, _pages in VOLUNTEER_PAGES.items():
    PAGES[_user] = PAGES.get(_user, []) + _pages
# Mutual aid (邻里互助): post 1 is the demo's open need of grid 1 (match 1 the answer waiting for it), post 3
# the matched need (portal/aid/seed.py).
AID_PAGES = {
    None: ["/aid?grid=1", "/aid/1", "/aid/3"],
    "staff": ["/aid/queue", "/aid/1", "/aid/matches/1/confirm", "/aid/matches/1/decline", "/aid/1/moderate",
              "/aid/3/staff-done"],
}  # fmt: skip
for _user, _pages in AID_PAGES.items():
    PAGES[_user] = PAGES[_user] + _pages
# The staff's pages (the longest two cases) are checked in the PostgreSQL run, so both runs end together.
CASES = [
    pytest.param(
        user, lang, id=f"{user or 'resident'}-{lang}", marks=[pytest.mark.browser_on_postgresql] * (user == "staff")
    )
    for user in PAGES
    for lang in ("zh", "en")
]


@pytest.mark.parametrize("user, lang", CASES)
def test_no_axe_violations_and_big_enough_targets(live, context_factory, user, lang):
    page = context_factory(viewport=KIOSK).new_page()
    page.goto(f"{live.url}/?lang={lang}")
    if user:
        sign_in(page, live.url, user)
    checks = PageChecks(lang=lang).visit(page, live.url, PAGES[user])
    assert not checks, checks


def test_login_form_with_errors_is_accessible_and_focuses_the_summary(live, page):
    page.goto(f"{live.url}/login")
    page.locator("main button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("错误：登录")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert axe_violations(page) == []
    page.click(".error-summary a[href='#username']")
    assert page.evaluate("document.activeElement.id") == "username"


@pytest.mark.parametrize(
    "path",
    ["/", "/login", "/privacy", "/no-such-page", "/grids/1", "/notices/2", "/notices/2/print", "/activities/",
     "/activities/1", "/topics?grid=1", "/topics/2"],
)  # fmt: skip
def test_reflows_at_320_px_without_horizontal_scroll(live, context_factory, path):
    page = context_factory(viewport={"width": 320, "height": 640}).new_page()
    for size in ("1", "3"):
        page.context.add_cookies([{"name": "textsize", "value": size, "url": live.url}])
        page.goto(live.url + path)
        assert not has_horizontal_scroll(page), f"{path} scrolls sideways at 320 px (text size {size})"


def test_signed_in_pages_reflow_at_320_px(live, context_factory):
    page = context_factory(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, live.url, "staff")
    for path in [
        "/me",
        "/communities/1",
        "/grids/1/residents",
        "/grids/1",
        "/notices/new?grid=1",
    ] + ACTIVITY_STAFF_PAGES:
        page.goto(live.url + path)
        assert not has_horizontal_scroll(page), path


def test_body_text_is_20_px_by_default(live, page):
    page.goto(live.url)
    assert font_size(page) == 20


def test_text_size_control_changes_the_computed_font_size(live, page):
    page.goto(f"{live.url}/privacy")
    assert font_size(page) == 20
    page.get_by_role("button", name="特大").click()
    page.wait_for_load_state()
    assert page.url.endswith("/privacy")
    assert font_size(page) == 28
    assert font_size(page, "main label, main h1") >= 30
    page.goto(live.url)  # remembered in a cookie
    assert font_size(page) == 28
    assert font_size(page, "h1") >= 30
    page.get_by_role("button", name="标准").click()
    page.wait_for_load_state()
    assert font_size(page) == 20


def test_text_size_and_contrast_work_with_javascript_off(live, context_factory):
    page = context_factory(javascript=False).new_page()
    page.goto(f"{live.url}/privacy")
    page.get_by_role("button", name="大", exact=True).click()
    page.wait_for_url("**/privacy")
    assert font_size(page) == 24
    page.get_by_role("button", name="高对比度").click()
    page.wait_for_url("**/privacy")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    # axe needs JavaScript: check the high-contrast theme in a scripted page with the same cookies.
    checked = context_factory(storage_state=page.context.storage_state()).new_page()
    for path in ["/privacy", "/login"]:
        checked.goto(live.url + path)
        assert "contrast-high" in checked.evaluate("document.documentElement.className")
        assert axe_violations(checked) == [], path


def test_login_works_with_javascript_off(live, context_factory):
    page = context_factory(javascript=False).new_page()
    page.goto(f"{live.url}/login")
    page.locator("main button[type=submit]").click()
    assert "请输入用户名" in page.inner_text(".error-summary")
    page.fill("#username", "gridworker")
    page.fill("#password", "linli-demo")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/me")
    assert "李网格员" in page.inner_text("h1")
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/?signed_out=1")
    assert "您已退出登录" in page.inner_text("main")


def test_language_switch_is_remembered_across_pages(live, page):
    page.goto(live.url)
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.goto(f"{live.url}/privacy")
    assert page.inner_text("h1") == "How we use your information"


def test_read_aloud_is_there_even_where_the_browser_cannot_speak(live, context_factory):
    silent = context_factory().new_page()
    silent.add_init_script("delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;")
    silent.goto(live.url)
    assert silent.locator(".read-aloud").is_visible()
    with silent.expect_response(lambda r: "/speech?" in r.url) as answer:
        silent.locator(".read-aloud").click()
    assert answer.value.status == 200 and answer.value.headers["content-type"] == "audio/wav"


def test_read_aloud_speaks_the_main_content_in_the_page_language(live, page):
    page.add_init_script("""
      window.__spoken = [];
      window.speechSynthesis.getVoices = () => [{lang: "en-US", name: "test"}];
      window.speechSynthesis.speak = (u) => { window.__spoken.push({text: u.text, lang: u.lang}); };
    """)
    page.goto(f"{live.url}/privacy?lang=en")
    page.locator(".read-aloud").click()
    spoken = page.evaluate("window.__spoken")
    assert spoken and spoken[0]["lang"] == "en-US"
    assert "How we use your information" in spoken[0]["text"]
    assert "Skip to main content" not in spoken[0]["text"]


def test_phone_size_pages_have_big_targets(live, context_factory):
    page = context_factory(viewport=PHONE).new_page()
    page.goto(live.url)
    assert small_targets(page) == []
    assert not has_horizontal_scroll(page)


# Mutual aid (邻里互助) and the volunteer register (活地图): the steps of posting a need, one question per
# screen, and a volunteer's answer link (/v/<token>, the demo call-out's reply still to come), in both languages at
# kiosk and phone size, each screen also at 320 px.
SIZES = {"kiosk": KIOSK, "phone": PHONE}
SIZE_CASES = [(lang, size) for lang in ("zh", "en") for size in SIZES]


def check_here_and_at_320(checks, page, name, size):
    checks.check(page, f"{name} ({size})")
    page.set_viewport_size({"width": 320, "height": 640})
    if has_horizontal_scroll(page):
        checks.setdefault(f"{name} (320 px)", []).append("scrolls sideways")
    page.set_viewport_size(SIZES[size])


def demo_answer_link(live) -> str:
    from portal.extensions import db
    from portal.models import CallOutReply
    from portal.services.volunteers import answer_token

    with live.app.app_context():
        reply = db.session.scalars(
            db.select(CallOutReply).where(CallOutReply.answer.is_(None)).order_by(CallOutReply.id)
        ).first()
        return "/v/" + answer_token(reply, live.app.config["SECRET_KEY"])


@pytest.mark.parametrize("lang, size", SIZE_CASES, ids=[f"{lang}-{size}" for lang, size in SIZE_CASES])
def test_posting_a_need_step_by_step_is_accessible(live, context_factory, live_senior, lang, size):
    page = context_factory(viewport=SIZES[size]).new_page()
    page.goto(f"{live.url}/?lang={lang}")
    page.goto(f"{live.url}/identify?next=/aid/new")
    page.fill("#token", live_senior["token"])
    page.locator("main button[name=how][value=card]").click()
    page.wait_for_url("**/aid/new/kind")
    checks = PageChecks(lang=lang)
    for step, following in (("kind", "category"), ("category", "text")):
        check_here_and_at_320(checks, page, step, size)
        page.locator("main input[type=radio]").first.check()
        page.locator("main form button.button-primary").click()
        # The next step before its checks: otherwise a busy machine checks (and answers) this step twice.
        page.wait_for_url(f"**/aid/new/{following}")
    check_here_and_at_320(checks, page, "text", size)
    page.locator("main form button.button-primary").first.click()  # nothing written: the error
    page.wait_for_selector(".error-summary")
    check_here_and_at_320(checks, page, "text with its error", size)
    page.fill("#text", "周四帮我取一下药")
    page.locator("main form button.button-primary").first.click()
    page.wait_for_url("**/aid/new/where")
    check_here_and_at_320(checks, page, "where", size)
    page.locator("main form button.button-primary").click()
    page.wait_for_url("**/aid/new/check")
    check_here_and_at_320(checks, page, "check", size)
    assert checks.seen and not checks, checks


@pytest.mark.parametrize("lang, size", SIZE_CASES, ids=[f"{lang}-{size}" for lang, size in SIZE_CASES])
def test_a_volunteers_answer_link_is_accessible(live, context_factory, lang, size):
    link = demo_answer_link(live)
    page = context_factory(viewport=SIZES[size]).new_page()
    page.goto(f"{live.url}/?lang={lang}")
    checks = PageChecks(lang=lang)
    page.goto(live.url + link)
    check_here_and_at_320(checks, page, "answer link", size)
    page.locator("main button[name=answer][value=yes]").click()
    page.wait_for_url("**done=yes")
    check_here_and_at_320(checks, page, "answered yes", size)
    page.goto(live.url + link[:-6])
    check_here_and_at_320(checks, page, "a broken link", size)
    assert checks.seen and not checks, checks
