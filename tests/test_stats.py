"""Statistics: the figures of a small hand-made community, read off the staff page the way staff read
them (and the same in the chart and the CSV file); the period form; who may open which page."""

import csv
import io

import pytest

from portal.services.stats.show import cell_text

from tests.support.signin import Auth, sign_in
from tests.support.stats import SVG, cell, read_charts, read_tables

THIS_MONTH = "?period=this_month&lang=en"


@pytest.fixture
def admin(app):
    client = app.test_client()
    sign_in(Auth(client), "admin")
    return client


def staff_page(client, community_id, query=THIS_MONTH):
    response = client.get(f"/communities/{community_id}/stats{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_figures_of_a_small_community_are_right(admin, small_community):
    tables = read_tables(staff_page(admin, small_community["community"]))
    # Residents and the share without a smartphone.
    assert cell(tables, "residents", "Test grid 1", "residents") == "12"
    assert cell(tables, "residents", "Test grid 1", "no_smartphone") == "5"
    assert cell(tables, "residents", "Test grid 1", "no_smartphone_share") == "42%"
    assert cell(tables, "residents", "All", "residents") == "20"
    assert cell(tables, "joined", "Nov 2026", "joined") == "20"
    # The channel mix, per grid.
    assert cell(tables, "channels_signups", "Test grid 1", "online") == "7"
    assert cell(tables, "channels_signups", "Test grid 1", "kiosk") == "5"
    assert cell(tables, "channels_signups", "Test grid 2", "gridworker") == "3"
    assert cell(tables, "channels_signups", "All grids", "online") == "12"
    assert cell(tables, "channels_signups", "All grids", "total") == "20"
    assert cell(tables, "channels_requests", "Test grid 1", "kiosk") == "2"
    assert cell(tables, "channels_bookings", "Test grid 1", "volunteer") == "1"
    assert cell(tables, "channels_bookings", "All grids", "total") == "4"  # cancelled ones were booked too
    # Requests: states, medians, the SLA share, overdue now.
    assert cell(tables, "requests_state", "Repairs", "resolved") == "3"
    assert cell(tables, "requests_state", "Repairs", "closed") == "1"
    assert cell(tables, "requests_state", "All categories", "total") == "5"
    assert cell(tables, "requests_sla", "Repairs", "accept_hours") == "3.0"
    assert cell(tables, "requests_sla", "Repairs", "resolve_hours") == "60.0"
    assert cell(tables, "requests_sla", "Repairs", "within_sla") == "3"
    assert cell(tables, "requests_sla", "Repairs", "within_sla_share") == "75%"
    assert cell(tables, "requests_sla", "Repairs", "overdue") == "1"
    assert cell(tables, "requests_sla", "All categories", "accept_hours") == "3.0"
    # Appointments.
    row = "Test station · Test blood pressure"
    assert cell(tables, "appointments", row, "places") == "10"
    assert cell(tables, "appointments", row, "total") == "3"
    assert cell(tables, "appointments", row, "attended") == "2"
    assert cell(tables, "appointments", row, "no_show") == "1"
    assert cell(tables, "appointments", row, "no_show_rate") == "33%"


def test_each_chart_shows_the_figures_of_its_table(admin, small_community):
    html = staff_page(admin, small_community["community"])
    tables, charts = read_tables(html), read_charts(html)
    assert set(charts) == set(tables)
    # The narrow chart for phones draws the same figures, its labels wrapped to its width.
    narrow = read_charts(html, narrow=True)
    assert set(narrow) == set(tables)
    layouts = {(svg.get("class").split()[-1], svg.get("viewBox").split()[2]) for svg in narrow.values()}
    assert layouts == {("chart-narrow", "360")}, layouts
    for key, svg in [*charts.items(), *narrow.items()]:
        table = tables[key]
        assert svg.find(f"{SVG}title").text == svg.find(f"{SVG}title").text.strip() != ""
        assert svg.find(f"{SVG}desc").text
        rows = svg.findall(f"{SVG}g[@class='chart-row']")
        if svg.get("data-chart") == "bar":
            column = _chart_column(table, rows)
            body = [r for r in table["rows"] if not r["total"]]
            assert [g.get("data-label") for g in rows] == [r["label"] for r in body]
            values = [g.findall(f"{SVG}text")[-1].text for g in rows]
            assert values == [r["cells"][column]["text"] for r in body], key
        else:
            assert [g.get("data-label") for g in rows] == [r["label"] for r in table["rows"]], key
            for g, row in zip(rows, table["rows"], strict=True):
                assert g.get("data-total") == row["cells"]["total"]["text"]
                for segment in g.findall(f"{SVG}g[@class='chart-segment']"):
                    label, _sep, rest = segment.find(f"{SVG}title").text.partition(": ")
                    column = next(c for c, name in table["labels"].items() if name == label)
                    assert rest.split(" (")[0] == row["cells"][column]["text"], (key, row["label"], label)
    # Something is drawn: grid 1 has a bar, and its channel bar has the online part at 7 of 12.
    signups = charts["channels_signups"].findall(f"{SVG}g[@class='chart-row']")[0]
    titles = [t.text for t in signups.iter(f"{SVG}title")]
    assert "Online, on their own: 7 (58%)" in titles


def _chart_column(table, rows):
    """The table column the bar chart draws (the one whose texts match the bars)."""
    values = [g.findall(f"{SVG}text")[-1].text for g in rows]
    body = [r for r in table["rows"] if not r["total"]]
    matches = [c for c in table["columns"] if [r["cells"][c]["text"] for r in body] == values]
    assert matches, values
    return matches[0]


def test_each_table_downloads_as_the_same_csv(admin, small_community):
    html = staff_page(admin, small_community["community"])
    tables = read_tables(html)
    for key, table in tables.items():
        response = admin.get(f"/communities/{small_community['community']}/stats/{key}.csv{THIS_MONTH}")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        body = response.get_data()
        assert body.startswith("\ufeff".encode())
        lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert lines[0][1:] == [table["labels"][c] for c in table["columns"]]
        assert [line[0] for line in lines[1:]] == [r["label"] for r in table["rows"]]
        assert [line[1:] for line in lines[1:]] == [
            [r["cells"][c]["text"] for c in table["columns"]] for r in table["rows"]
        ]


def test_the_period_decides_what_is_counted(admin, small_community):
    community = small_community["community"]
    # Nothing of the small community happened last month, nor in a chosen range before it existed.
    tables = read_tables(staff_page(admin, community, "?period=last_month&lang=en"))
    assert cell(tables, "channels_signups", "All grids", "total") == "0"
    assert cell(tables, "residents", "All", "residents") == "0"
    # The range's edges are whole local days: 2 November 00:00-23:59 in Shanghai is 1 Nov 16:00 to 2 Nov 16:00 UTC;
    # the online sign-ups of grid 1 were at 2 Nov 02:00 UTC (10:00 local).
    on_the_day = "?period=custom&date_from=2026-11-02&date_to=2026-11-02&lang=en"
    assert cell(read_tables(staff_page(admin, community, on_the_day)), "channels_signups", "All grids", "total") == "7"
    day_before = "?period=custom&date_from=2026-10-01&date_to=2026-11-01&lang=en"
    assert cell(read_tables(staff_page(admin, community, day_before)), "channels_signups", "All grids", "total") == "0"
    to_the_day = "?period=custom&date_from=2026-11-01&date_to=2026-11-03&lang=en"
    tables = read_tables(staff_page(admin, community, to_the_day))
    assert cell(tables, "channels_signups", "All grids", "total") == "12"
    assert cell(tables, "channels_requests", "All grids", "total") == "5"


@pytest.mark.parametrize(
    "query, field, message",
    [
        (
            "date_from=2026-03-10&date_to=2026-03-01",
            "date_to",
            "The end date must be the same as or after the start date",
        ),
        ("date_from=2026-02-30&date_to=2026-03-01", "date_from", "Enter the date like 2025-03-31"),
        ("date_from=&date_to=2026-03-01", "date_from", "Enter the date like 2025-03-31"),
        ("date_from=２０２６-０３-０１&date_to=2026-03-01", "date_from", "Enter the date like 2025-03-31"),
        ("date_from=2026-03-01%00&date_to=2026-03-01", "date_from", "Enter the date like 2025-03-31"),
        ("date_from=2026-03-01&date_to=2099-03-01", "date_to", "Enter a date from 2000-01-01 to today"),
        ("date_from=2000-01-01&date_to=2026-03-01", "date_to", "Choose at most 3 years"),
        ("date_from=" + "9" * 5000 + "&date_to=2026-03-01", "date_from", "Enter the date like 2025-03-31"),
    ],
)
def test_a_bad_range_is_explained_and_kept(admin, query, field, message):
    response = admin.get(f"/communities/1/stats?period=custom&{query}&lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert f'href="#{field}"' in html
    assert "<table" not in html.split("</form>")[-1]


def test_staff_see_their_community_and_grid_workers_their_grids(app):
    staff, worker = app.test_client(), app.test_client()
    sign_in(Auth(staff), "staff")
    sign_in(Auth(worker), "gridworker")
    assert staff.get("/communities/1/stats").status_code == 200
    assert staff.get("/communities/2/stats").status_code == 404
    assert staff.get("/communities/1/stats/residents.csv").status_code == 200
    assert staff.get("/communities/1/stats/nothing.csv").status_code == 404
    assert worker.get("/communities/1/stats").status_code == 403
    assert worker.get("/grids/1/stats").status_code == 200
    assert worker.get("/grids/3/stats").status_code == 404
    assert staff.get("/communities/1/stats/report?month=2026-10").status_code == 200


def test_cell_words_for_hidden_figures(ctx):
    from portal.services.stats.table import HIDDEN, SMALL, Column, Row, Table

    table = Table("t", "t", "", [Column("n", "n")], [Row("a", "a", {"n": 3}), Row("b", "b", {"n": 9})])
    table.hidden = {("a", "n"): SMALL, ("b", "n"): HIDDEN}
    assert [cell_text(table, r, table.columns[0]) for r in table.rows] == ["fewer than 5", "not shown"]
