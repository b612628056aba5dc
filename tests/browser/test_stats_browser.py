"""Statistics in Chromium: from the community page to the figures without JavaScript, at phone width
with the wide tables scrolling inside their region, and the monthly report on A4 paper."""

import io
import os
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from tests.support.browser import DESKTOP, PHONE, sign_in
from tests.support.browser_checks import axe_violations, has_horizontal_scroll

pytestmark = pytest.mark.browser
A4 = (595.28, 841.89)  # points
SHOTS = os.environ.get("LINLI_SHOTS")  # a folder: keep the screenshots and the report's PNG there


def test_staff_reach_the_figures_of_their_community_without_javascript(live, context_factory):
    page = context_factory(viewport=DESKTOP, javascript=False).new_page()
    sign_in(page, live.url, "staff")
    page.goto(f"{live.url}/communities/1?lang=en")
    page.get_by_role("link", name="Statistics of this community").click()
    page.get_by_label("This year").check()
    page.get_by_role("button", name="Show the figures").click()
    assert "period=this_year" in page.url
    assert page.locator("h1").inner_text() == "Statistics: Nanhu Community"
    page.wait_for_load_state()  # the whole page, before counting its charts and tables
    assert (
        page.locator("svg.chart.chart-wide").count()
        == page.locator("svg.chart.chart-narrow").count()
        == page.locator("table.stats-table").count()
        >= 7
    )
    assert page.locator("table[data-table=channels_signups] tr.total-row td[data-column=total]").inner_text() != "0"
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/community-desk.png", full_page=True)


def test_the_figures_reflow_at_phone_width(live, context_factory):
    page = context_factory(viewport=PHONE).new_page()
    sign_in(page, live.url, "staff")
    page.goto(f"{live.url}/communities/1/stats?period=this_year")
    assert not has_horizontal_scroll(page)  # wide tables scroll inside their own region
    assert axe_violations(page) == []
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/community-phone.png", full_page=True)
        page.goto(f"{live.url}/stats/communities/1?period=this_year")
        page.screenshot(path=f"{SHOTS}/public-phone.png", full_page=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_monthly_report_prints_on_a4(live, context_factory, lang, tmp_path):
    page = context_factory(viewport=DESKTOP).new_page()
    sign_in(page, live.url, "staff")
    page.goto(f"{live.url}/communities/1/stats/report?month=2026-11&lang={lang}")
    pdf_bytes = page.pdf(prefer_css_page_size=True, print_background=True)
    pdf = PdfReader(io.BytesIO(pdf_bytes))
    # Every figure of the month on at most 11 sheets: 10 in English until the votes and the volunteer register
    # (issue 11) added their three tables.
    assert 1 <= len(pdf.pages) <= 11, len(pdf.pages)
    for sheet in pdf.pages:
        assert abs(float(sheet.mediabox.width) - A4[0]) < 2 and abs(float(sheet.mediabox.height) - A4[1]) < 2
    # NFKC: the PDF's text layer writes 月 as the Kangxi radical ⽉.
    text = unicodedata.normalize("NFKC", "".join(sheet.extract_text() for sheet in pdf.pages))
    assert ("月度报告" if lang == "zh" else "Monthly report") in text
    assert ("Print the report" not in text) and ("打印报告" not in text)  # the buttons stay on the screen
    folder = SHOTS or str(tmp_path)
    path = os.path.join(folder, f"report-{lang}.pdf")
    with open(path, "wb") as out:
        out.write(pdf_bytes)
    subprocess.run(["pdftoppm", "-r", "70", "-png", path, os.path.join(folder, f"report-{lang}")], check=True)
