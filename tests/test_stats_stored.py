"""The public figures are worked out once and kept for every reader (services/stats/stored.py): a page
view reads the kept copy until it is PORTAL_PUBLIC_FIGURES_SECONDS old, and `flask --app portal
stats-refresh` works out every community's and grid's copy ahead of the readers."""

import copy
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Community, Grid, StoredFigures
from portal.services.clock import utcnow
from portal.services.dates import local_today
from portal.services.slots import get_zone
from portal.services.stats import figures, stored, suppression
from portal.services.stats.context import Scope
from portal.services.stats.period import calendar_period
from portal.services.stats.table import Column, Row, Table

from tests.support.statements import counted
from tests.support.stats import add_online_residents, cell, read_tables

KEEP = 600
PAGE = "/stats/communities/{community}?period=this_month&lang={lang}"


def page(client, address) -> str:
    response = client.get(address)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def worked_out_at(html: str) -> str:
    return re.search(r"(?:Worked out at |数据计算于)([^;，]+)", html).group(1)


def test_readers_get_the_kept_figures_until_they_are_old(app, client, small_community, clock):
    app.config["PORTAL_PUBLIC_FIGURES_SECONDS"] = KEEP
    address = PAGE.format(lang="en", **small_community)
    first = page(client, address)
    assert cell(read_tables(first), "channels_signups", "All grids", "total") == "20"
    with app.app_context():
        add_online_residents(small_community["community"], 6)
    clock.shift(KEEP - 60)
    kept = page(client, address)
    assert cell(read_tables(kept), "channels_signups", "All grids", "total") == "20"
    assert worked_out_at(kept) == worked_out_at(first)
    clock.shift(120)
    again = page(client, address)
    assert cell(read_tables(again), "channels_signups", "All grids", "total") == "26"
    assert worked_out_at(again) != worked_out_at(first)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_kept_page_shows_what_a_page_worked_out_afresh_shows(app, client, small_community, lang):
    address = PAGE.format(lang=lang, **small_community)
    afresh = page(client, address)
    app.config["PORTAL_PUBLIC_FIGURES_SECONDS"] = KEEP
    page(client, address)  # works them out and keeps them
    kept = page(client, address)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StoredFigures)) == 1
    assert read_tables(kept) == read_tables(afresh)

    def figures_part(html):
        return html[html.index('<section class="stats-section"') : html.rindex("</section>")]

    assert figures_part(kept) == figures_part(afresh)
    assert ("每隔几分钟更新一次" if lang == "zh" else "brought up to date every few minutes") in kept


def test_stats_refresh_keeps_every_area_and_then_a_view_counts_nothing(app, client, small_community):
    afresh = {lang: page(client, PAGE.format(lang=lang, **small_community)) for lang in ("zh", "en")}
    app.config["PORTAL_PUBLIC_FIGURES_SECONDS"] = KEEP
    with app.app_context():
        past = {"scope": "community:1", "period": "this_month:2026-11-01:2026-11-24:Asia/Shanghai", "locale": "en"}
        db.session.add(StoredFigures(**past, payload="[]", computed_at=utcnow() - timedelta(days=1, hours=1)))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["stats-refresh"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        areas = db.session.scalar(select(func.count()).select_from(Community)) + db.session.scalar(
            select(func.count()).select_from(Grid)
        )
        kept = db.session.scalar(select(func.count()).select_from(StoredFigures))
    assert kept == areas * 3 * 2  # 3 public periods, 2 languages
    assert f"Kept {kept} pages of public figures. Copies of past periods deleted: 1." in result.output
    grid = small_community["grids"][0]
    # The area (and a grid's community), then the kept copy: no GROUP BY.
    for address, expected in (
        ("/stats/communities/1?period=this_year", 2),
        (f"/stats/grids/{grid}?period=last_month&lang=en", 3),
    ):
        with counted(app) as statements:
            html = page(client, address)
        assert len(statements) == expected, [s for s, _ in statements]
        assert not [s for s, _ in statements if "GROUP BY" in s]
        assert read_tables(html)
    # Hidden once for both languages, the figures are hidden as each language's page hides them alone.
    for lang, html in afresh.items():
        assert read_tables(page(client, PAGE.format(lang=lang, **small_community))) == read_tables(html)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StoredFigures)) == kept


def test_two_readers_keeping_the_same_figures_at_once_both_get_a_page(app, client, small_community):
    app.config["PORTAL_PUBLIC_FIGURES_SECONDS"] = KEEP
    address = PAGE.format(lang="en", **small_community)
    html = page(client, address)
    with app.app_context():
        row = db.session.scalars(select(StoredFigures)).one()
        key = {"scope": row.scope, "period": row.period, "locale": row.locale}
        # The second reader looked before the first had kept them, so it adds a row too: the database
        # refuses the second copy, and the reader's page is still served.
        stored.keep(db.session, key, None, stored.loads(row.payload), row.computed_at)
        assert db.session.scalar(select(func.count()).select_from(StoredFigures)) == 1
    assert read_tables(page(client, address)) == read_tables(html)


def small_table(values: list[int], label: str) -> list:
    rows = [Row(str(n), f"{label} {n}", {"people": v}) for n, v in enumerate(values)]
    rows.append(Row("total", label, {"people": sum(values)}, total=True))
    return [Table("t", label, "", [Column("people", label)], rows)]


def test_figures_are_hidden_alike_only_where_the_pages_show_the_same_figures():
    same, other = small_table([3, 7, 9], "zh"), small_table([3, 7, 9], "en")
    stored.protect_alike([same, other])
    assert other[0].hidden == same[0].hidden == {("0", "people"): "small", ("1", "people"): "hidden"}
    # A page whose figures differ (here one more person in row 2) is hidden on its own.
    first, different = small_table([3, 7, 9], "zh"), small_table([3, 7, 10, 2], "en")
    alone = copy.deepcopy(different)
    suppression.protect(alone)
    stored.protect_alike([first, different])
    assert different[0].hidden == alone[0].hidden != first[0].hidden


def test_kept_sections_read_back_as_they_were_written(app, small_community):
    with app.test_request_context("/?lang=en"), app.app_context():
        scope = Scope(db.session.get(Community, small_community["community"]))
        period = calendar_period(
            "this_month", local_today(utcnow(), get_zone("Asia/Shanghai")), get_zone("Asia/Shanghai")
        )
        sections = figures(db.session, scope, period, utcnow(), "en", get_zone("Asia/Shanghai"), public=True)
        assert stored.loads(stored.dumps(sections)) == sections
