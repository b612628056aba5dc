"""The public, de-identified statistics: small counts are shown as "fewer than 5", and no hidden
figure can be worked out from the others on the page (sums and differences within a table and between
tables), the way someone reading the page would try."""

import pytest

from portal.services.stats import suppression

from tests.support.stats import cell, read_tables, recomputable

PAGE = "/stats/communities/{community}?period=this_month&lang=en"


def public_page(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_small_counts_are_hidden_and_so_is_a_figure_that_would_give_them_away(client, small_community):
    html = public_page(client, PAGE.format(**small_community))
    assert "测试居民" not in html and "Test Community" in html
    tables = read_tables(html)
    # Grid 2: 3 signed up through the grid worker, 5 online, 8 in all: the 5 would give the 3 away.
    assert cell(tables, "channels_signups", "Test grid 2", "gridworker") == "fewer than 5"
    assert cell(tables, "channels_signups", "Test grid 2", "online") == "not shown"
    # Grid 1's 7 online and the 12 online in all would give grid 2's online count away in turn.
    assert cell(tables, "channels_signups", "Test grid 1", "online") == "not shown"
    assert cell(tables, "channels_signups", "Test grid 1", "phone") in ("0", "fewer than 5")
    # Shares and medians made from small counts are hidden too.
    assert cell(tables, "requests_sla", "Repairs", "within_sla") == "fewer than 5"
    assert cell(tables, "requests_sla", "Repairs", "within_sla_share") == "not shown"
    assert cell(tables, "requests_sla", "Repairs", "resolve_hours") == "not shown"  # 4 resolved
    assert cell(tables, "requests_sla", "Repairs", "accept_hours") == "3.0"  # 5 accepted
    assert cell(tables, "appointments", "Test station · Test blood pressure", "no_show_rate") == "not shown"
    assert cell(tables, "appointments", "Test station · Test blood pressure", "places") == "10"  # places, not people


@pytest.mark.parametrize("page", ["community", "grid 1", "grid 2", "demo community", "community, this year"])
def test_no_hidden_figure_can_be_worked_out_from_the_page(client, small_community, page):
    address = {
        "community": PAGE.format(**small_community),
        "grid 1": f"/stats/grids/{small_community['grids'][0]}?period=this_month&lang=en",
        "grid 2": f"/stats/grids/{small_community['grids'][1]}?period=this_month&lang=en",
        "demo community": "/stats/communities/1?period=this_month&lang=en",
        "community, this year": f"/stats/communities/{small_community['community']}?period=this_year&lang=en",
    }[page]
    tables = read_tables(public_page(client, address))
    hidden = [
        (key, r["key"], c) for key, t in tables.items() for r in t["rows"] for c, v in r["cells"].items() if v["state"]
    ]
    assert hidden, "the page hides nothing: the test would prove nothing"
    assert recomputable(tables) == {}
    # One figure shown in two tables is shown (or hidden) the same in both.
    copies = {}
    for t in tables.values():
        for r in t["rows"]:
            for v in r["cells"].values():
                if v["figure"]:
                    copies.setdefault(v["figure"], set()).add(v["text"])
    assert copies and all(len(texts) == 1 for texts in copies.values()), copies


def test_the_reader_would_catch_a_page_without_complementary_suppression(client, small_community, monkeypatch):
    """The check above can fail: with only the small counts hidden, it works some of them out."""
    monkeypatch.setattr(suppression, "determined", lambda tables: {})
    tables = read_tables(public_page(client, PAGE.format(**small_community)))
    found = recomputable(tables)
    assert found.get(("channels_signups", str(small_community["grids"][1]), "gridworker")) == 3


def test_no_building_with_fewer_than_5_residents_is_shown(client, small_community):
    html = public_page(client, f"/stats/grids/{small_community['grids'][0]}?period=this_month&lang=en")
    tables = read_tables(html)
    labels = [r["label"] for r in tables["residents"]["rows"]]
    assert labels == ["甲", "Buildings with fewer than 5 residents", "All"]
    assert "乙" not in html
    assert cell(tables, "residents", "Buildings with fewer than 5 residents", "residents") == "fewer than 5"
    assert cell(tables, "residents", "甲", "residents") == "not shown"


def test_the_public_view_offers_only_calendar_periods(client, small_community):
    html = public_page(
        client, PAGE.format(**small_community) + "&period=custom&date_from=2026-11-02&date_to=2026-11-02"
    )
    assert 'value="custom"' not in html
    assert "Showing November 1, 2026 to November 25, 2026." in html


def test_the_monthly_report_is_de_identified(app, small_community):
    from tests.support.signin import Auth, sign_in

    admin = app.test_client()
    sign_in(Auth(admin), "admin")
    response = admin.get(f"/communities/{small_community['community']}/stats/report?month=2026-11&lang=en")
    assert response.status_code == 200
    tables = read_tables(response.get_data(as_text=True))
    assert cell(tables, "channels_signups", "Test grid 2", "gridworker") == "fewer than 5"
    assert recomputable(tables) == {}
