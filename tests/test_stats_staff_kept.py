"""The staff statistics are counted at most once a minute per area, period and language in each app
process (stats/common.py): a second look within PORTAL_STAFF_FIGURES_SECONDS shows the same figures,
says when they were counted, and the CSV files match the page."""

import csv
import io
import re

import pytest

from tests.support.signin import Auth, sign_in
from tests.support.stats import add_online_residents, cell, read_tables

KEEP = 60


@pytest.fixture
def admin(app):
    client = app.test_client()
    sign_in(Auth(client), "admin")
    return client


def staff_page(client, community_id, lang="en") -> str:
    response = client.get(f"/communities/{community_id}/stats?period=this_month&lang={lang}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def counted_at(html: str) -> str:
    return re.search(r"(?:Counted at |统计于)([^;，]+)", html).group(1)


def csv_total(client, community_id) -> str:
    response = client.get(f"/communities/{community_id}/stats/channels_signups.csv?period=this_month&lang=en")
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    return next(line for line in lines if line[0] == "All grids")[-1]


def test_staff_see_the_figures_counted_in_the_last_minute_and_then_new_ones(app, admin, small_community, clock):
    app.config["PORTAL_STAFF_FIGURES_SECONDS"] = KEEP
    community = small_community["community"]
    first = staff_page(admin, community)
    assert cell(read_tables(first), "channels_signups", "All grids", "total") == "20"
    assert "counted again after 1 minute" in first
    with app.app_context():
        add_online_residents(community, 6)
    clock.shift(KEEP - 10)
    kept = staff_page(admin, community)
    assert cell(read_tables(kept), "channels_signups", "All grids", "total") == "20"
    assert counted_at(kept) == counted_at(first)
    assert csv_total(admin, community) == "20"  # the file matches the page it was downloaded from
    clock.shift(20)
    again = staff_page(admin, community)
    assert cell(read_tables(again), "channels_signups", "All grids", "total") == "26"
    assert counted_at(again) != counted_at(first)
    assert csv_total(admin, community) == "26"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_kept_staff_page_shows_what_a_page_counted_afresh_shows(app, admin, small_community, lang):
    community = small_community["community"]
    afresh = staff_page(admin, community, lang)
    assert "Counted at" not in afresh and "统计于" not in afresh  # counted on every view: nothing to say
    app.config["PORTAL_STAFF_FIGURES_SECONDS"] = KEEP
    staff_page(admin, community, lang)  # counts them and keeps them
    kept = staff_page(admin, community, lang)
    assert read_tables(kept) == read_tables(afresh)

    def figures_part(html):
        return html[html.index('<section class="stats-section"') : html.rindex("</section>")]

    assert figures_part(kept) == figures_part(afresh)
    assert counted_at(kept)


def test_no_figures_are_kept_for_a_period_that_is_not_valid(app, admin, small_community):
    app.config["PORTAL_STAFF_FIGURES_SECONDS"] = KEEP
    response = admin.get(
        f"/communities/{small_community['community']}/stats?period=custom&date_from=2026-03-10&date_to=2026-03-01&lang=en"
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "The end date must be the same as or after the start date" in html
    assert "Counted at" not in html
