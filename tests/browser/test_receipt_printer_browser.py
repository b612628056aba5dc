"""Slips on a kiosk's receipt printer, printed by Debian's Chromium: the booking slip and the request
receipt at 80 mm and 58 mm (and A5), one page at the roll's width, nothing cut off, and the QR code read
back by zbar from the PDF rendered to pixels by poppler's pdftoppm. Staff desks keep A4 for the same
page. Set LINLI_SCREENSHOTS to a folder to keep the PDFs rendered to PNG."""

import io
import os
import re
import shutil
import subprocess
import tempfile

import pytest
from PIL import Image
from pypdf import PdfReader
from pyzbar.pyzbar import decode

from portal.extensions import db
from portal.models import Booking, Kiosk, Resident
from portal.services.cards import card_token

from tests.support.browser import DESKTOP, KIOSK, open_kiosk, sign_in
from tests.support.browser_checks import IN_BOTH_LANGUAGES, PageChecks, has_horizontal_scroll
from tests.support.kiosk import DEMO_KIOSK

pytestmark = pytest.mark.browser
PT_PER_MM = 72 / 25.4
DPI = 203
# A roll is cut to what it holds (static/js/print.js): below the last line, the page margin and a few mm.
MOST_BLANK_MM = 10
WIDTHS = {"roll80": 80, "roll58": 58, "a5": 148}
# Everything inside the slip ends inside it: nothing is cut off at the roll's edge, nothing overflows.
CUT_OFF_JS = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  const out = [];
  for (const el of document.querySelectorAll(selector + ' *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(el.className.baseVal ?? el.className);
  }
  const s = document.querySelector(selector);
  if (s.scrollWidth > s.clientWidth + 1) out.push('scrolls');
  return out;
}"""


def upcoming_booking(live_app):
    with live_app.app_context():
        booking = db.session.scalars(
            db.select(Booking).where(Booking.status == "booked").order_by(Booking.day.desc(), Booking.id)
        ).first()
        resident = db.session.get(Resident, booking.resident_id)
        return booking.reference, booking.queue_number, card_token(resident, live_app.config["SECRET_KEY"])


def set_paper(live_app, paper):
    with live_app.app_context():
        db.session.execute(db.update(Kiosk).where(Kiosk.name == DEMO_KIOSK).values(paper=paper))
        db.session.commit()


def kiosk_with(live, context_factory, token):
    page = open_kiosk(live, context_factory)
    page.goto(f"{live.url}/kiosk/identify")
    page.fill("#token", token)
    page.keyboard.press("Enter")
    page.wait_for_url("**/kiosk/me")
    return page


def blank_below_mm(image) -> float:
    """How much white paper a rendered page ends with, below the last thing printed on it."""
    grey = image.convert("L").point(lambda v: 255 if v < 200 else 0)
    box = grey.getbbox()
    return (image.height - (box[3] if box else 0)) * 25.4 / DPI


def printed(page, name) -> tuple[PdfReader, list[str], float]:
    """The page as Chromium prints it, what zbar reads from its first page rendered at 203 dpi
    (a thermal printer's resolution) by pdftoppm, and the white paper below the last line (mm)."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: run `sudo apt-get install -y poppler-utils`", pytrace=False)
    pdf_bytes = page.pdf(prefer_css_page_size=True, print_background=False)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "slip.pdf")
        with open(path, "wb") as out:
            out.write(pdf_bytes)
        subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-png", "-singlefile", path, os.path.join(folder, "slip")], check=True
        )
        image = Image.open(os.path.join(folder, "slip.png"))
        image.load()
    if os.environ.get("LINLI_SCREENSHOTS"):
        image.save(os.path.join(os.environ["LINLI_SCREENSHOTS"], f"{name}.png"))
    return PdfReader(io.BytesIO(pdf_bytes)), [s.data.decode() for s in decode(image)], blank_below_mm(image)


def check_paper(page, selector, paper):
    page.emulate_media(media="print")
    assert page.evaluate(CUT_OFF_JS, selector) == []
    page.emulate_media(media="null")  # page.pdf() prints with print media


@pytest.mark.parametrize(
    ("paper", "lang"), [("roll80", "zh"), ("roll80", "en"), ("roll58", "zh"), ("roll58", "en"), ("a5", "zh")]
)
def test_a_booking_slip_prints_on_the_kiosks_paper(live, live_app, context_factory, paper, lang):
    reference, number, token = upcoming_booking(live_app)
    set_paper(live_app, paper)
    page = kiosk_with(live, context_factory, token)
    page.goto(f"{live.url}/health/bookings/{reference}?lang={lang}")
    check_paper(page, ".slip", paper)
    pdf, codes, blank = printed(page, f"slip-{paper}-{lang}")
    assert len(pdf.pages) == 1
    if paper.startswith("roll"):
        assert blank < MOST_BLANK_MM, f"{blank:.0f} mm of blank paper after the slip"
    box = pdf.pages[0].mediabox
    assert abs(float(box.width) - WIDTHS[paper] * PT_PER_MM) < 1, float(box.width) / PT_PER_MM
    text = re.sub(r"\s+", "", pdf.pages[0].extract_text())
    assert (
        str(number) in text and ("南湖社区智慧健康站" if lang == "zh" else "NanhuCommunitySmartHealthStation") in text
    )
    for chrome in ("重新开始", "呼叫工作人员", "打印这张预约单", "Startagain", "Callastaffmember"):
        assert chrome not in text
    assert codes == [reference]


@pytest.mark.parametrize(("paper", "lang"), [("roll80", "zh"), ("roll58", "zh"), ("roll58", "en")])
def test_a_request_receipt_prints_on_the_roll(live, live_app, context_factory, paper, lang):
    set_paper(live_app, paper)
    with live_app.app_context():
        from portal.models import Request

        req = db.session.scalars(db.select(Request).filter_by(ticket="K7MX3PQA")).one()
        token = card_token(db.session.get(Resident, req.resident_id), live_app.config["SECRET_KEY"])
    page = kiosk_with(live, context_factory, token)
    page.goto(f"{live.url}/requests/K7MX3PQA/receipt?lang={lang}")
    check_paper(page, ".receipt", paper)
    pdf, codes, blank = printed(page, f"receipt-{paper}-{lang}")
    assert len(pdf.pages) == 1 and blank < MOST_BLANK_MM, f"{blank:.0f} mm of blank paper after the receipt"
    assert abs(float(pdf.pages[0].mediabox.width) - WIDTHS[paper] * PT_PER_MM) < 1
    assert "K7MX-3PQA" in re.sub(r"\s+", "", pdf.pages[0].extract_text())
    assert len(codes) == 1 and codes[0].endswith("/requests/status/K7MX3PQA")


def test_a_staff_desk_keeps_a4_for_the_same_slip(live, live_app, context_factory):
    reference, _number, _token = upcoming_booking(live_app)
    set_paper(live_app, "roll58")
    page = context_factory(viewport=DESKTOP).new_page()
    sign_in(page, live.url, "nurse")
    page.goto(f"{live.url}/health/bookings/{reference}")
    pdf, codes, _blank = printed(page, "slip-staff-desk-a4")
    assert len(pdf.pages) == 1 and abs(float(pdf.pages[0].mediabox.width) - 210 * PT_PER_MM) < 1
    assert codes == [reference]


@IN_BOTH_LANGUAGES
def test_the_paper_setting_passes_axe_and_reflows(live, live_app, context_factory, lang):
    page = context_factory(viewport=KIOSK).new_page()
    sign_in(page, live.url, "staff")
    checks = PageChecks(lang=lang, reflow=True)
    page.goto(f"{live.url}/admin/kiosks/1?lang={lang}")
    checks.check(page, "kiosk page")

    page.locator("input[name=paper][value=roll80]").check()
    page.locator("form:has(input[name=paper]) button[type=submit]").click()
    page.wait_for_url("**done=paper*")
    checks.check(page, "saved")
    page.set_viewport_size({"width": 320, "height": 800})
    assert not has_horizontal_scroll(page)
    assert not checks, checks
