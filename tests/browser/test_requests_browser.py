"""Assisted sessions and requests in a real browser: live search with JavaScript on and the same
search with it off, and zero axe violations on every new page in both languages."""

import pytest

from tests.support.browser import KIOSK, PHONE, sign_in
from tests.support.browser_checks import IN_BOTH_LANGUAGES, PageChecks, has_horizontal_scroll
from tests.support.records import resident_in

# Run in the PostgreSQL run (Makefile), so the two runs side by side end at about the same time.
pytestmark = [pytest.mark.browser, pytest.mark.browser_on_postgresql]


def test_live_search_shows_results_as_you_type(live, live_app, context_factory):
    senior = resident_in(live_app, 1)
    page = context_factory(viewport=PHONE).new_page()
    sign_in(page, live.url, "gridworker")
    page.goto(f"{live.url}/assist")
    page.evaluate("window.__samePage = true")
    page.locator("#q").press_sequentially(senior["phone"][-4:], delay=50)
    result = page.locator(f"#resident-results a[href='/assist/residents/{senior['number']}']")
    result.wait_for()
    assert page.evaluate("window.__samePage") is True  # swapped in place, no page load
    assert senior["name"] not in page.inner_text("#resident-results")
    assert senior["phone"][:3] + "****" + senior["phone"][-4:] in page.inner_text("#resident-results")
    assert f"q={senior['phone'][-4:]}" in page.url  # the address follows, so Back and reload keep the search
    result.click()
    page.wait_for_url(f"**/assist/residents/{senior['number']}")


def test_the_same_search_works_with_javascript_off(live, live_app, context_factory):
    senior = resident_in(live_app, 1)
    page = context_factory(viewport=PHONE, javascript=False).new_page()
    page.goto(f"{live.url}/login")
    page.fill("#username", "volunteer")
    page.fill("#password", "linli-demo")
    page.locator("main button[type=submit]").click()
    page.goto(f"{live.url}/assist")
    page.fill("#q", senior["phone"][-4:])
    page.get_by_role("button", name="查找", exact=True).click()
    page.wait_for_url("**/assist?q=*")
    page.locator(f"a[href='/assist/residents/{senior['number']}']").click()
    page.check("#identity_check")
    page.check("#consent")
    page.fill("#reason", "反映楼道灯坏了")
    page.get_by_role("button", name="开始代办").click()
    page.wait_for_url("**/assist/now")
    assert "您正在帮助：" in page.inner_text(".assisted-banner")
    # File a request for them with no JavaScript at all, to the printed receipt.
    page.get_by_role("link", name="帮居民反映问题").click()
    page.locator("label[for=category]").click()
    page.get_by_role("button", name="继续").click()
    page.fill("#description", "楼道灯坏了")
    page.get_by_role("button", name="继续").click()
    page.get_by_text("没有具体地点").click()
    page.get_by_role("button", name="继续").click()
    page.get_by_role("button", name="继续").click()
    page.get_by_role("button", name="提交诉求").click()
    page.wait_for_url("**/receipt")
    assert "您的诉求已提交" in page.inner_text("h1")
    # The shared Print button: without JavaScript it opens the receipt's print-friendly version.
    assert page.get_by_role("link", name="打印回执").get_attribute("href").endswith("/receipt?print=1")
    page.get_by_role("button", name="结束", exact=True).click()
    page.wait_for_url("**/assist?ended=1")
    assert page.locator(".assisted-banner").count() == 0


def test_page_styles_arrive_with_boosted_navigation(live, context_factory):
    """htmx's boosted links swap only the body, so each page's own stylesheet must travel in the body."""
    page = context_factory(viewport=PHONE).new_page()
    sign_in(page, live.url, "gridworker")
    page.get_by_role("link", name="我的诉求待办").click()
    page.wait_for_url("**/requests/queue")
    assert page.evaluate("getComputedStyle(document.querySelector('.queue-item')).borderLeftWidth") == "10px"
    page.get_by_role("link", name="首页").click()
    page.get_by_role("link", name="查询我的诉求").click()
    page.wait_for_url("**/requests/status")
    assert page.evaluate("!!document.querySelector('link[href*=\"/css/requests-\"]')")


@IN_BOTH_LANGUAGES
def test_new_pages_have_no_axe_violations(live, live_app, context_factory, lang):
    senior = resident_in(live_app, 1)
    page = context_factory(viewport=KIOSK).new_page()
    page.goto(f"{live.url}/?lang={lang}")
    checks = PageChecks()
    checks.visit(
        page,
        live.url,
        [
            "/",
            "/requests/status",
            "/requests/status?ticket=nope",
            "/requests/status/K7MX3PQA",
            "/requests/status/AAAAAAAA",
        ],
    )
    # A grid worker: queue, request page, direct filing, then an assisted session with the banner.
    sign_in(page, live.url, "gridworker")
    checks.visit(
        page,
        live.url,
        [
            "/me",
            "/requests/queue",
            "/requests/K7MX3PQA",
            "/requests/HFT4WR9C",
            "/requests/new/resident?q=" + senior["phone"][-4:],
            "/assist",
            "/assist?q=" + senior["phone"][-4:],
            "/assist?q=nobody",
            f"/assist/residents/{senior['number']}",
        ],
    )
    page.goto(f"{live.url}/assist/residents/{senior['number']}")
    page.locator("main button[type=submit]").click()  # nothing chosen: the errors
    checks.check(page, "confirm with errors")
    page.check("#identity_check")
    page.check("#consent")
    page.fill("#reason", "report")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/assist/now")
    checks.visit(page, live.url, ["/assist/now", "/requests/new/category"])
    page.locator("label[for=category]").click()
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/description")
    page.locator("main button[type=submit]").click()  # empty: the error
    checks.check(page, "description with error")
    page.fill(
        "#description",
        "The stair light on the second floor of unit 3 has been broken for a week. At night "
        "nobody can see the steps, and two neighbours have nearly fallen. Please send an electrician soon.",
    )
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/location")
    checks.visit(page, live.url, ["/requests/new/location"])
    page.locator("label[for=location]").click()
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/photo")
    checks.visit(page, live.url, ["/requests/new/photo"])
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/check")
    checks.visit(page, live.url, ["/requests/new/check"])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/receipt")
    checks.check(page, "receipt")
    # On paper the receipt fits half an A4 sheet: 148 mm less the 12 mm page margin, at A4's printable width.
    page.set_viewport_size({"width": 703, "height": 1000})
    page.emulate_media(media="print")
    height_mm = page.evaluate("document.querySelector('.receipt').scrollHeight") * 25.4 / 96
    assert height_mm <= 136, f"the printed receipt is {height_mm:.0f} mm tall"
    assert page.locator(".site-header").is_hidden() and page.locator(".print-button").is_hidden()
    page.emulate_media(media="screen")
    page.set_viewport_size(KIOSK)
    ticket = page.url.split("/")[-2]
    checks.visit(page, live.url, [f"/requests/status/{ticket}", f"/requests/status/{ticket}/cancel"])
    # Staff and admin pages.
    for user, paths in [
        (
            "staff",
            [
                "/requests/overdue",
                "/requests/queue?whose=all",
                "/audit",
                "/audit?resident=12&date_from=x",
                "/requests/DNP7QX3E",
            ],
        ),
        ("admin", ["/requests/categories", "/requests/categories/new", "/requests/categories/1"]),
    ]:
        page.goto(f"{live.url}/login")
        sign_in(page, live.url, user)
        checks.visit(page, live.url, paths)
    assert not checks, checks


def test_new_pages_reflow_at_320_px(live, live_app, context_factory):
    senior = resident_in(live_app, 1)
    page = context_factory(viewport={"width": 320, "height": 640}).new_page()
    page.context.add_cookies([{"name": "textsize", "value": "3", "url": live.url}])
    sign_in(page, live.url, "gridworker")
    wide = []
    for path in [
        "/assist?q=" + senior["phone"][-4:],
        "/requests/queue",
        "/requests/K7MX3PQA",
        "/requests/status/K7MX3PQA",
        f"/assist/residents/{senior['number']}",
    ]:
        page.goto(live.url + path)
        if has_horizontal_scroll(page):
            wide.append(path)
    page.goto(f"{live.url}/assist/residents/{senior['number']}")
    page.check("#identity_check")
    page.check("#consent")
    page.fill("#reason", "report")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/assist/now")
    if has_horizontal_scroll(page):
        wide.append("the banner")
    assert not wide, wide
