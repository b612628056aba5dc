"""Activities in Debian's Chromium: a tap-only kiosk journey at 1080x1920 from the "My grid" tile to an
activity ticket; signing up with JavaScript on and off; a helper's sign-up that the audit log shows in
words; the ticket and the attendance sheet printed to PDF (pages counted, the ticket's QR code read back
by zbar). Set LINLI_SCREENSHOTS to a folder to keep the PDFs rendered to PNG and the screens."""

import io
import os
import re
import subprocess
import tempfile
from datetime import timedelta

import pytest
from PIL import Image
from pypdf import PdfReader
from pyzbar.pyzbar import decode

from portal.extensions import db
from portal.models import Activity, ActivitySignup, utcnow
from portal.services.activities import sign_up
from portal.services.cards import card_token

from tests.support.activities import make_activity
from tests.support.browser import KIOSK_HOME, open_kiosk, settle, sign_in
from tests.support.browser_checks import page_problems
from tests.support.health import make_residents

pytestmark = pytest.mark.browser
TICKET = re.compile(r".*/activities/tickets/([A-Z0-9]+)(\?.*)?$")
SHOTS = os.environ.get("LINLI_SCREENSHOTS")


def new_activity(live, title="剪纸课", capacity=10, **fields) -> int:
    """An activity of 南湖 tomorrow (by the travelled clock), first on every list of what is coming up."""
    starts = utcnow() + timedelta(hours=20)
    with live.app.app_context():
        return make_activity(
            title=title, capacity=capacity, held_back=2, starts_at=starts, ends_at=starts + timedelta(hours=2),
            signup_closes_at=starts - timedelta(hours=1), **fields,
        ).id  # fmt: skip


def fresh_residents(live, count, start):
    with live.app.app_context():
        people = make_residents(count, start=start)
        return [(r.id, r.number, card_token(r, live.app.config["SECRET_KEY"])) for r in people]


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_kiosk_tap_only_from_my_grid_to_an_activity_ticket(live, context_factory):
    activity_id = new_activity(live, title="剪纸课（一网格）")
    ((rid, _number, token),) = fresh_residents(live, 1, start=300)
    with live.app.app_context():
        from portal.models import Resident

        resident = db.session.get(Resident, rid)
        phone, year = resident.phone, str(resident.birth_year)
    page = open_kiosk(live, context_factory, tap=True)
    problems = {}

    def check(name):
        settle(page)
        found = page_problems(page, reflow=True)
        if found:
            problems[name] = found
        shot(page, f"activity-kiosk-{name}")

    # "My grid" is offered once the kiosk knows who is there: they say who they are (keypad, taps only)
    # through "My appointments", then come back Home, where the tile now is.
    page.get_by_role("link", name="我的预约").tap()
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
    page.wait_for_url("**/health/my")
    page.locator("a.kiosk-home").tap()
    page.wait_for_url(KIOSK_HOME)
    check("home")
    page.get_by_role("link", name="我的网格").tap()
    page.wait_for_url("**/grids/1")
    check("grid page")
    page.locator(f"main a[href='/activities/{activity_id}']").tap()
    page.wait_for_url(f"**/activities/{activity_id}")
    check("activity page")
    page.get_by_role("link", name="报名", exact=True).tap()
    page.wait_for_url(f"**/activities/{activity_id}/sign-up")
    check("sign-up")
    page.get_by_role("button", name="是的，给我报名").tap()
    page.wait_for_url(TICKET)
    check("ticket")
    code = TICKET.match(page.url).group(1)
    assert page.inner_text(".slip-reference strong").replace("-", "") == code
    with live.app.app_context():
        signup = db.session.scalars(db.select(ActivitySignup).filter_by(code=code)).one()
        assert (signup.resident_id, signup.state, signup.channel, signup.entered_by_id) == (
            rid, "signed_up", "kiosk", None,
        )  # fmt: skip
        assert signup.kiosk_id is not None
    assert problems == {}


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_sign_up_on_the_web_and_join_the_waiting_list_when_full(live, context_factory, javascript):
    activity_id = new_activity(live, title="合唱" + ("开" if javascript else "关"), capacity=3)
    first, second = fresh_residents(live, 2, start=320 if javascript else 340)
    with live.app.app_context():
        from portal.models import Resident

        sign_up(db.session, activity_id=activity_id, resident=db.session.get(Resident, first[0]), now=utcnow())
    page = context_factory(javascript=javascript).new_page()
    page.goto(f"{live.url}/identify?next=/activities/{activity_id}&lang=en")
    page.fill("#token", second[2])
    page.locator("main button[value=card]").click()
    page.wait_for_url(f"**/activities/{activity_id}")
    assert "Full" in page.inner_text("main")
    page.get_by_role("link", name="Join the waiting list").click()
    page.wait_for_url(f"**/activities/{activity_id}/sign-up")
    assert "you would be number 1" in page.inner_text("main")
    page.get_by_role("button", name="Join the waiting list").click()
    page.wait_for_url(TICKET)
    assert "You are number 1 on the waiting list" in page.inner_text("main")
    if javascript:  # axe-core runs as a script
        assert page_problems(page, lang="en") == []
    # A place frees up: the person waiting gets it, and their ticket says so.
    with live.app.app_context():
        from portal.services.activities import end_signup

        first_signup = db.session.scalars(db.select(ActivitySignup).filter_by(resident_id=first[0])).one()
        end_signup(db.session, signup_id=first_signup.id, now=utcnow())
    page.reload()
    assert "Signed up" in page.inner_text(".slip")


def test_a_helper_signs_up_a_resident_and_the_audit_log_says_so(live, context_factory):
    activity_id = new_activity(live, title="太极拳")
    ((rid, number, _token),) = fresh_residents(live, 1, start=360)
    page = context_factory().new_page()
    sign_in(page, live.url, "volunteer")
    page.goto(f"{live.url}/assist/residents/{number}")
    page.locator("input[name=identity_check]").first.check()
    page.locator("input[name=consent][value=yes]").check()
    page.fill("#reason", "帮她报名太极拳")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/assist/now")
    page.goto(f"{live.url}/activities/{activity_id}/sign-up")
    page.get_by_role("button", name="是的，给我报名").click()
    page.wait_for_url(TICKET)
    page.locator("form[action='/assist/end'] button").click()
    staff = context_factory().new_page()
    sign_in(staff, live.url, "staff")
    staff.goto(f"{live.url}/audit")
    row = staff.locator("main tr", has_text="报名了社区活动").first
    assert "帮她报名太极拳" in row.inner_text()
    assert "志愿者" in row.inner_text() or "volunteer" in row.inner_text().lower()


def printed(page, name):
    pdf_bytes = page.pdf(format="A4", prefer_css_page_size=True, print_background=False)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "out.pdf")
        with open(path, "wb") as out:
            out.write(pdf_bytes)
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", path, os.path.join(folder, "out")], check=True)
        image = Image.open(os.path.join(folder, "out.png"))
        image.load()
    if SHOTS:
        image.save(os.path.join(SHOTS, f"{name}.png"))
    return PdfReader(io.BytesIO(pdf_bytes)), [s.data.decode() for s in decode(image)]


def test_the_ticket_and_the_attendance_sheet_print_on_a4(live, context_factory):
    activity_id = new_activity(live, title="读书会", capacity=30)
    people = fresh_residents(live, 24, start=400)
    with live.app.app_context():
        from portal.models import Resident

        codes = [
            sign_up(db.session, activity_id=activity_id, resident=db.session.get(Resident, rid), now=utcnow()).code
            for rid, _n, _t in people[:22]
        ]
        names = [db.session.get(Resident, rid).name for rid, _n, _t in people[:22]]
    page = context_factory().new_page()
    sign_in(page, live.url, "staff")
    page.goto(f"{live.url}/activities/tickets/{codes[0]}")
    pdf, read = printed(page, "activity-ticket-a4")
    assert len(pdf.pages) == 1 and read == [codes[0]]
    text = re.sub(r"\s+", "", pdf.pages[0].extract_text())
    assert "读书会" in text and "Linli" not in text.replace("邻里", "")
    page.goto(f"{live.url}/activities/manage/{activity_id}/sheet")
    shot(page, "activity-sheet-screen")
    pdf, _read = printed(page, "activity-sheet-a4")
    text = "".join(re.sub(r"\s+", "", p.extract_text()) for p in pdf.pages)
    # 22 masked names, one line each, on one A4 page; no full name is printed.
    assert len(pdf.pages) == 1, len(pdf.pages)
    assert all(name not in text for name in names)
    assert text.count("测*") >= 20
    with live.app.app_context():
        assert db.session.get(Activity, activity_id).taken == 22
    page.goto(f"{live.url}/activities/{activity_id}")
    shot(page, "activity-page")
