"""The grid's own page and its notices in Chromium: phone-size pages, posting a notice with JavaScript off
and on, the kiosk's "Notices" and "My grid" tiles by taps only (with read-aloud reading a notice in full),
and a notice printed on one A4 page."""

import io
import os
import re
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from portal.extensions import db
from portal.models import Notice
from portal.services.clock import today_local, utcnow
from portal.services.notices import NoticeDraft, post_notice

from tests.support.browser import KIOSK, KIOSK_HOME, PHONE, issue_code, settle, sign_in
from tests.support.browser_checks import IN_BOTH_LANGUAGES, PageChecks, page_problems
from tests.support.factories import account

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("LINLI_SCREENSHOTS")  # a folder: the screens are saved there to be looked at


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def notice_id(live, title):
    with live.app.app_context():
        return db.session.scalars(db.select(Notice.id).filter_by(title=title)).one()


@IN_BOTH_LANGUAGES
def test_grid_and_notice_pages_at_phone_size(live, context_factory, lang):
    page = context_factory(viewport=PHONE).new_page()
    page.goto(f"{live.url}/?lang={lang}")
    water, ended = notice_id(live, "12月5日上午停水通知"), notice_id(live, "国庆假期值班安排")
    checks = PageChecks(reflow=True, lang=lang).visit(
        page, live.url, ["/grids/1", "/grids/1/notices", f"/notices/{water}", f"/notices/{ended}"]
    )
    assert not checks, checks
    page.goto(f"{live.url}/grids/1")
    shot(page, f"grid-page-phone-{lang}")
    # Important says so in words and with an icon, not by colour alone.
    item = page.locator(".notice-item-important").first
    assert item.locator(".notice-important svg").count() == 1 and item.locator(".notice-important").inner_text()


@pytest.mark.parametrize("javascript", [False, True], ids=["js-off", "js-on"])
def test_a_grid_worker_posts_a_notice_from_the_grid_page(live, context_factory, javascript):
    page = context_factory(javascript=javascript).new_page()
    sign_in(page, live.url, "gridworker")
    page.goto(f"{live.url}/grids/1")
    shot(page, "grid-page-gridworker")
    page.get_by_role("link", name="发布通知").click()
    page.wait_for_url("**/notices/new?grid=1")
    page.fill("#body", "本周四下午三点在1幢门口开楼道会议。\n\n详情：https://linli.example.cn/")
    page.locator("main form button[type=submit]").click()
    assert "请填写标题" in page.inner_text(".error-summary")
    assert "本周四下午三点" in page.input_value("#body")  # nothing typed is lost
    shot(page, f"notice-form-errors-{'js' if javascript else 'nojs'}")
    page.fill("#title", f"楼道会议 {'js' if javascript else 'nojs'}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/notices/\d+\?posted=1"))
    assert "通知已发布" in page.inner_text("main")
    assert page.get_by_role("link", name="https://linli.example.cn/").count() == 1
    page.goto(f"{live.url}/grids/1")
    assert f"楼道会议 {'js' if javascript else 'nojs'}" in page.inner_text("main")


def open_touch_kiosk(live, context_factory, init_script=""):
    page = context_factory(viewport=KIOSK, has_touch=True).new_page()
    if init_script:
        page.add_init_script(init_script)
    page.goto(f"{live.url}/kiosk/activate")
    page.fill("#code", issue_code(live))
    page.locator("main button[type=submit]").tap()
    page.wait_for_url(KIOSK_HOME)
    return page


def test_kiosk_notices_and_my_grid_tiles_by_taps_only(live, context_factory, live_senior):
    # Read-aloud in the browser's voice, recorded instead of spoken.
    page = open_touch_kiosk(
        live,
        context_factory,
        """
      window.__spoken = [];
      window.speechSynthesis.getVoices = () => [{lang: "zh-CN", name: "test"}];
      window.speechSynthesis.speak = (u) => { window.__spoken.push(u.text); };
    """,
    )
    problems = {}
    page.get_by_role("link", name="通知公告").tap()
    page.wait_for_url("**/notices")
    settle(page)
    problems["community notices"] = page_problems(page, minimum=48, reflow=True)
    assert "冬季义诊" in page.inner_text("main") and "1幢楼道灯更换" not in page.inner_text("main")
    page.get_by_role("link", name="冬季义诊：免费量血压、测血糖").tap()
    page.wait_for_url(re.compile(r"/notices/\d+$"))
    settle(page)
    problems["notice"] = page_problems(page, minimum=48, reflow=True)
    page.locator(".read-aloud").tap()
    spoken = page.evaluate("window.__spoken.join(' ')")
    assert "社区卫生服务站每周三上午义诊" in spoken and "https://linli.example.cn/health/" in spoken
    # My grid, once the resident has shown who they are (the keypad, by taps).
    page.locator(".kiosk-home").tap()
    page.wait_for_url(KIOSK_HOME)
    assert page.get_by_role("link", name="我的网格").count() == 0
    page.get_by_role("link", name="我的预约").tap()
    page.wait_for_url(re.compile(r"/kiosk/identify\?next="))
    page.get_by_role("link", name="输入我的手机号码").tap()
    page.wait_for_url("**/kiosk/identify/phone")
    for digit in live_senior["phone"]:
        page.locator(f".keypad-key[value='{digit}']").tap()
    page.get_by_role("button", name="下一步").tap()
    page.wait_for_url("**/kiosk/identify/year")
    for digit in live_senior["birth_year"]:
        page.locator(f".keypad-key[value='{digit}']").tap()
    page.get_by_role("button", name="下一步").tap()
    page.wait_for_url("**/health/my")
    page.locator(".kiosk-home").tap()
    page.wait_for_url(KIOSK_HOME)
    page.get_by_role("link", name="我的网格").tap()
    page.wait_for_url(re.compile(r"/grids/\d+$"))
    settle(page)
    problems["my grid"] = page_problems(page, minimum=48, reflow=True)
    shot(page, "grid-page-kiosk-zh")
    assert "这是您所在的网格。" in page.inner_text("main") and "您的网格员" in page.inner_text("main")
    assert [name for name, found in problems.items() if found] == [], problems


def test_a_notice_of_600_characters_prints_on_one_a4_page(live, context_factory, tmp_path):
    body = "\n\n".join(["请各位居民注意：本周六上午八点至下午两点，因供水管道检修，全楼停水，请提前储水。" * 3] * 4)[
        :600
    ]
    with live.app.app_context():
        today = today_local()
        notice = post_notice(
            db.session,
            account=account("staff"),
            community=account("staff").community,
            draft=NoticeDraft(
                title="关于本周六全楼停水并请提前储水的重要通知",
                body=body,
                starts_on=today,
                ends_on=today,
                important=True,
                whole_community=True,
            ),
            now=utcnow(),
        )
        db.session.commit()
        number = notice.id
    page = context_factory().new_page()
    page.goto(f"{live.url}/notices/{number}/print")
    page.emulate_media(media="print")
    assert page.locator(".notice-sheet-title").evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 48
    page.emulate_media(media="null")
    data = page.pdf(format="A4", prefer_css_page_size=True)
    pdf = PdfReader(io.BytesIO(data))
    assert len(pdf.pages) == 1
    # NFKC: the PDF's text layer uses the Kangxi radical forms of some characters (⽔ for 水).
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", pdf.pages[0].extract_text()))
    assert "关于本周六全楼停水" in text and unicodedata.normalize("NFKC", body.replace("\n", ""))[-20:] in text
    if SHOTS:
        path = tmp_path / "notice.pdf"
        path.write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), os.path.join(SHOTS, "notice-print")], check=True
        )
