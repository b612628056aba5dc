"""QR posters, the sign-up flow and the resident card in Debian's Chromium: scan a real poster,
join with JavaScript on and off, print to PDF, and measure accessibility on every new page."""

import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader
from pyzbar.pyzbar import decode

from portal.extensions import db
from portal.models import Community, Poster, Resident, Station
from portal.services.cards import resolve_card_token
from portal.services.posters import active_grid_poster, active_station_poster, retire_and_replace

from tests.support.browser import DESKTOP, KIOSK, PHONE, sign_in
from tests.support.browser_checks import IN_BOTH_LANGUAGES, PageChecks, has_horizontal_scroll
from tests.support.identity import sent_codes

# Run in the PostgreSQL run (Makefile), so the two runs side by side end at about the same time.
pytestmark = [pytest.mark.browser, pytest.mark.browser_on_postgresql]
MM = 96 / 25.4  # CSS pixels per millimetre


def qr_texts(png: bytes) -> list[str]:
    return [symbol.data.decode() for symbol in decode(Image.open(io.BytesIO(png)))]


def poster_code(live_app, grid_id):
    with live_app.app_context():
        return active_grid_poster(db.session, grid_id).code


def click_continue(page, name="继续"):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_scan_a_printed_poster_and_join(live, live_app, context_factory, javascript):
    code = poster_code(live_app, 2)
    staff = context_factory(viewport=DESKTOP).new_page()
    sign_in(staff, live.url, "staff")
    staff.goto(f"{live.url}/posters/{code}")
    scanned = qr_texts(staff.screenshot(full_page=True))
    assert scanned == [f"{live.url}/j/{code}"]

    page = context_factory(viewport=PHONE, javascript=javascript).new_page()
    page.goto(scanned[0])
    assert page.url == f"{live.url}/join/{code}"
    assert "第二网格" in page.inner_text("h1")
    click_continue(page, "开始")
    page.wait_for_url("**/signup/name")
    page.fill("#name", "扫码人")
    click_continue(page)
    page.wait_for_url("**/signup/phone")
    if javascript:
        page.fill("#phone", "137 1234 0000")
        click_continue(page)
        page.wait_for_url("**/signup/phone-code")  # the phone proves itself by a code sent by SMS
        page.fill("#code", sent_codes(live_app, "13712340000")[-1])
        click_continue(page)
    else:
        click_continue(page, "我没有手机")
        page.wait_for_url("**/signup/family")
        page.fill("#family_contact", "女儿 137 1234 0000")
        click_continue(page)
    page.wait_for_url("**/signup/home")
    page.get_by_text("6幢", exact=True).click()  # the big label selects the radio
    page.fill("#room", "1-202")
    click_continue(page)
    page.wait_for_url("**/signup/birth_year")
    click_continue(page)  # forgot the year: the error summary says so, and nothing is lost
    assert "请输入出生年份" in page.inner_text(".error-summary")
    page.fill("#birth_year", "1944")
    click_continue(page)
    page.wait_for_url("**/signup/needs")
    page.get_by_text("我一个人住").click()
    click_continue(page)
    page.wait_for_url("**/signup/consent")
    page.get_by_text("是的，我同意").click()
    click_continue(page)
    page.wait_for_url("**/signup/check-answers")
    summary = page.inner_text(".summary-list")
    assert "扫码人" in summary and "6幢 1-202" in summary and "1944" in summary
    page.get_by_role("link", name="修改 出生年份").click()
    page.wait_for_url("**/signup/birth_year?change=1")
    assert page.input_value("#birth_year") == "1944"
    page.fill("#birth_year", "1945")
    click_continue(page)
    page.wait_for_url("**/signup/check-answers")
    assert "1945" in page.inner_text(".summary-list")
    click_continue(page, "确认加入")
    page.wait_for_url("**/signup/done")
    number = re.search(r"\d{4} \d{4}", page.inner_text(".big-number")).group(0).replace(" ", "")

    with live_app.app_context():
        resident = db.session.scalars(db.select(Resident).filter_by(number=number)).one()
        assert (resident.name, resident.grid_id, resident.channel, resident.birth_year) == ("扫码人", 2, "qr", 1945)
        assert resident.phone == ("13712340000" if javascript else None)
        poster = db.session.scalars(db.select(Poster).filter_by(code=code)).one()
        assert (poster.scans, poster.signups) == (1, 1)

    page.get_by_role("link", name="打印我的居民卡").click()
    page.wait_for_url(f"**/cards/{number}")
    assert "扫*人" in page.inner_text(".resident-card")
    token = qr_texts(page.locator(".resident-card").screenshot())
    with live_app.app_context():
        assert resolve_card_token(db.session, token[0], live_app.config["SECRET_KEY"]).number == number


def visit_all_new_pages(page, live, live_app, check):
    """Walk through every page this capability adds, calling check(page, label) on each."""
    code = poster_code(live_app, 1)
    with live_app.app_context():
        retired = active_grid_poster(db.session, 4)
        old = retired.code
        retire_and_replace(db.session, retired)
        db.session.commit()
        other_number = db.session.scalars(db.select(Resident.number).where(Resident.grid_id == 1)).first()
    for path in [
        "/",
        "/j",
        "/j?expired=1",
        "/j/ZZZZ222",
        f"/j/{old}",
        "/signup/already-registered",
        f"/cards/{other_number}",
    ]:
        page.goto(live.url + path)
        check(page, path)
    page.goto(f"{live.url}/j/{code}")
    check(page, "start")
    click_continue(page, page.locator("main button[type=submit]").first.inner_text())
    for step, fill in [
        ("name", lambda: page.fill("#name", "测试")),
        ("phone", lambda: page.fill("#phone", "13712345678")),
        ("home", lambda: (page.locator("label[for=building]").click(), page.fill("#room", "101"))),
        ("birth_year", lambda: page.fill("#birth_year", "1950")),
        ("needs", lambda: None),
        ("consent", lambda: page.locator("label[for=consent]").click()),
    ]:
        page.wait_for_url(f"**/signup/{step}")
        if step in ("name", "home", "consent"):
            page.locator("main form button[type=submit]").first.click()  # an empty answer: the error state
            page.wait_for_selector(".error-summary")
            check(page, f"{step} with errors")
        check(page, step)
        fill()
        page.locator("main form button[type=submit]").first.click()
        if step == "phone":
            page.wait_for_url("**/signup/phone-code")
            check(page, "phone code")
            page.fill("#code", sent_codes(live_app, "13712345678")[-1])
            page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/signup/check-answers")
    check(page, "check answers")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/signup/done")
    check(page, "done")
    page.locator("a.button-huge").click()
    page.wait_for_url("**/cards/*")
    check(page, "own card")

    sign_in(page, live.url, "staff")
    for path in [
        "/me",
        "/communities/1/posters",
        "/communities/1/posters/print",
        f"/posters/{code}",
        f"/posters/{code}/replace",
        f"/cards/{other_number}",
        f"/cards/{other_number}/reissue",
    ]:
        page.goto(live.url + path)
        check(page, path)
    page.locator("main form button[type=submit]").click()  # reissue without a reason
    page.wait_for_selector(".error-summary")
    check(page, "reissue with errors")
    page.goto(f"{live.url}/posters/{code}/replace")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/posters/*?replaced=*")
    check(page, "replaced")
    page.goto(f"{live.url}/communities/1/posters")
    check(page, "posters with a retired one")

    sign_in(page, live.url, "gridworker")
    for path in ["/me", "/residents/register/already-registered", "/residents/register"]:
        page.goto(live.url + path)
        check(page, path)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/residents/register/name")
    check(page, "register: name")
    page.fill("#name", "帮登记")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/residents/register/phone")
    check(page, "register: phone")
    page.get_by_role("button", name=re.compile("居民没有手机|The resident has no mobile phone")).click()
    page.wait_for_url("**/residents/register/family")
    check(page, "register: family")
    for step in ("family", "home", "birth_year", "needs", "consent"):
        page.wait_for_url(f"**/residents/register/{step}")
        if step == "home":
            page.locator("label[for=building]").click()
            page.fill("#room", "2-202")
        elif step == "birth_year":
            page.fill("#birth_year", "1940")
        elif step == "consent":
            check(page, "register: consent")
            page.locator("label[for=consent]").click()
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/residents/register/check-answers")
    check(page, "register: check answers")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/residents/register/done")
    check(page, "register: done")


@IN_BOTH_LANGUAGES
def test_every_new_page_passes_axe_with_big_targets(live, live_app, context_factory, lang):
    page = context_factory(viewport=KIOSK).new_page()
    page.goto(f"{live.url}/?lang={lang}")
    checks = PageChecks(lang=lang)
    visit_all_new_pages(page, live, live_app, checks.check)
    assert len(checks.seen) > 35 and checks.seen[-1] == "register: done"  # the walk reached its end
    assert not checks, checks


def test_new_pages_reflow_at_320_px(live, live_app, context_factory):
    page = context_factory(viewport={"width": 320, "height": 640}).new_page()
    page.context.add_cookies([{"name": "textsize", "value": "3", "url": live.url}])
    wide = []

    def check(page, label):
        if has_horizontal_scroll(page):
            wide.append(label)

    visit_all_new_pages(page, live, live_app, check)
    assert not wide, wide


def test_print_all_gives_one_pdf_page_per_grid_and_station_with_no_buttons(live, live_app, context_factory):
    page = context_factory(viewport=DESKTOP).new_page()
    sign_in(page, live.url, "admin")
    with live_app.app_context():
        expected = {}
        for community in db.session.scalars(db.select(Community).order_by(Community.id)).all():
            stations = db.session.scalars(
                db.select(Station).filter_by(community_id=community.id).order_by(Station.id)
            ).all()
            expected[community.id] = [active_grid_poster(db.session, g.id).code for g in community.grids] + [
                active_station_poster(db.session, s.id).code for s in stations
            ]
            assert len(expected[community.id]) == len(community.grids) + len(stations)
    assert [len(codes) for codes in expected.values()] == [4 + 1, 3 + 1]
    for community_id, codes in expected.items():
        page.goto(f"{live.url}/communities/{community_id}/posters/print")
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
        assert len(pdf.pages) == len(codes)
        for pdf_page, code in zip(pdf.pages, codes, strict=True):
            text = pdf_page.extract_text()
            assert f"/j/{code}" in text
            for chrome in ("打印全部海报", "返回海报页面", "首页", "退出登录", "字号"):
                assert chrome not in text
            width, height = float(pdf_page.mediabox.width), float(pdf_page.mediabox.height)
            assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4 portrait


def test_printed_sizes_of_poster_qr_and_card(live, live_app, context_factory):
    page = context_factory(viewport=DESKTOP).new_page()
    sign_in(page, live.url, "staff")
    page.goto(f"{live.url}/posters/{poster_code(live_app, 1)}")
    page.emulate_media(media="print")
    qr = page.locator(".poster .qr").bounding_box()
    assert qr["width"] >= 80 * MM and abs(qr["width"] - qr["height"]) < 1
    assert not page.locator(".print-bar").is_visible() and not page.locator(".site-header").is_visible()
    with live_app.app_context():
        number = db.session.scalars(db.select(Resident.number).where(Resident.grid_id == 1)).first()
    page.goto(f"{live.url}/cards/{number}")
    card = page.locator(".resident-card").bounding_box()
    assert abs(card["width"] - 85.6 * MM) < 1 and abs(card["height"] - 54 * MM) < 1
    assert page.locator(".crop").count() == 4
    assert not page.locator("main h1").is_visible()


def test_boosted_navigation_brings_the_page_styles_along(live, context_factory):
    """htmx swaps only <body> on boosted links, so a page reached by a click must still get its styles."""
    page = context_factory(viewport=KIOSK).new_page()
    sign_in(page, live.url, "staff")
    page.get_by_role("link", name=re.compile("打印二维码海报")).click()
    page.wait_for_url("**/communities/1/posters")
    page.get_by_role("link", name=re.compile("打开并打印 第一网格")).click()
    page.wait_for_url("**/posters/*")
    page.wait_for_function("getComputedStyle(document.querySelector('.poster')).borderTopWidth === '3px'")
    assert page.locator("[data-print]").first.is_visible()  # print.js ran after the swap
