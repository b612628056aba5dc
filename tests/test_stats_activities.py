"""Statistics of community activities and notices (issue 12), read off the staff and grid pages of the small
community (tests/support/stats_activities.py has every figure)."""

import pytest

from tests.support.signin import Auth, sign_in
from tests.support.stats import cell, read_tables
from tests.support.stats_activities import PAPER, TAI_CHI

THIS_MONTH = "?period=this_month&lang=en"


@pytest.fixture
def admin(app):
    client = app.test_client()
    sign_in(Auth(client), "admin")
    return client


def tables_of(client, path):
    response = client.get(path + THIS_MONTH)
    assert response.status_code == 200
    return read_tables(response.get_data(as_text=True))


def row_labels(tables, key):
    return [r["label"] for r in tables[key]["rows"]]


def test_activity_figures_on_the_community_page(admin, small_community):
    tables = tables_of(admin, f"/communities/{small_community['community']}/stats")
    # How residents signed up for activities (the December activity's sign-up was made in November).
    assert cell(tables, "channels_activities", "Test grid 1", "online") == "3"
    assert cell(tables, "channels_activities", "Test grid 1", "kiosk") == "1"
    assert cell(tables, "channels_activities", "Test grid 2", "volunteer") == "1"
    assert cell(tables, "channels_activities", "Test grid 2", "staff") == "1"
    assert cell(tables, "channels_activities", "Test grid 2", "gridworker") == "1"
    assert cell(tables, "channels_activities", "All grids", "total") == "9"
    # Activities that start this month, soonest first; the December one is not among them.
    assert row_labels(tables, "activities") == [TAI_CHI, PAPER, "All activities"]
    expected = {
        TAI_CHI: {"places": "10", "total": "4", "came": "3", "no_show": "1", "pending": "0", "waiting": "0",
                  "cancelled": "1"},
        PAPER: {"places": "2", "total": "2", "came": "0", "no_show": "0", "pending": "2", "waiting": "1",
                "cancelled": "0"},
        "All activities": {"places": "12", "total": "6", "came": "3", "no_show": "1", "pending": "2",
                           "waiting": "1", "cancelled": "1"},
    }  # fmt: skip
    for row, cells in expected.items():
        assert {column: cell(tables, "activities", row, column) for column in cells} == cells, row
    # Notices: the whole-community one is current in both grids; the October one in none.
    assert cell(tables, "notices", "Test grid 1", "notices") == "1"
    assert cell(tables, "notices", "Test grid 2", "notices") == "2"
    assert cell(tables, "notices", "All grids", "notices") == "2"
    assert cell(tables, "notices", "Test grid 1", "residents") == "2"
    assert cell(tables, "notices", "Test grid 2", "residents") == "2"
    assert cell(tables, "notices", "Test grid 2", "openings") == "3"
    assert cell(tables, "notices", "All grids", "residents") == "4"
    assert cell(tables, "notices", "All grids", "openings") == "5"


def test_a_grid_page_counts_its_own_residents_in_the_activities_open_to_it(admin, small_community):
    one, two = small_community["grids"]
    grid_one = tables_of(admin, f"/grids/{one}/stats")
    # The paper cutting is open to grid 2 only; places are shared with other grids, so they are not shown.
    assert row_labels(grid_one, "activities") == [TAI_CHI, "All activities"]
    assert "places" not in grid_one["activities"]["columns"]
    assert cell(grid_one, "activities", TAI_CHI, "came") == "3"
    assert cell(grid_one, "activities", TAI_CHI, "cancelled") == "0"
    grid_two = tables_of(admin, f"/grids/{two}/stats")
    assert row_labels(grid_two, "activities") == [TAI_CHI, PAPER, "All activities"]
    assert cell(grid_two, "activities", TAI_CHI, "came") == "0"
    assert cell(grid_two, "activities", TAI_CHI, "no_show") == "1"
    assert cell(grid_two, "activities", TAI_CHI, "cancelled") == "1"
    assert cell(grid_two, "activities", PAPER, "pending") == "2"
    assert cell(grid_two, "notices", "Test grid 2", "openings") == "3"


def test_the_public_page_hides_the_small_activity_counts(app, small_community):
    tables = tables_of(app.test_client(), f"/stats/communities/{small_community['community']}")
    row = next(r for r in tables["activities"]["rows"] if r["label"] == TAI_CHI)
    assert row["cells"]["came"]["state"] == "small"
    assert row["cells"]["places"]["text"] == "10"  # places are not people
    assert cell(tables, "notices", "All grids", "notices") == "2"


def test_over_a_year_the_activities_are_added_up_month_by_month(admin, small_community):
    response = admin.get(f"/communities/{small_community['community']}/stats?period=this_year&lang=en")
    tables = read_tables(response.get_data(as_text=True))
    # January to November (the session's month): one row each, however many activities a year has.
    labels = row_labels(tables, "activities")
    assert len(labels) == 12 and labels[0] == "Jan 2026" and labels[-2:] == ["Nov 2026", "All activities"]
    november = {"activities": "2", "places": "12", "total": "6", "came": "3", "no_show": "1", "pending": "2",
                "waiting": "1", "cancelled": "1"}  # fmt: skip
    assert {column: cell(tables, "activities", "Nov 2026", column) for column in november} == november
    assert {column: cell(tables, "activities", "All activities", column) for column in november} == november
    assert cell(tables, "activities", "Oct 2026", "activities") == "0"
    assert TAI_CHI not in labels
