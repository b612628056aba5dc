"""Statistics tests: a small hand-made community whose every figure is known, and the statistics
pages read back the way a reader (or someone trying to undo the suppression) reads them: the tables
with html5lib, the SVG charts with xml.etree."""

import re
import secrets
from datetime import date, datetime, time, timedelta
from xml.etree import ElementTree

import html5lib
import pytest

from portal.extensions import db
from portal.models import (
    Booking,
    Building,
    Category,
    Community,
    Grid,
    Request,
    Resident,
    Service,
    Slot,
    Station,
    Street,
)
from portal.services.sla import deadlines

from .stats_activities import add_activities_and_notices

HTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
# Days of November 2026 (the test session's month; SESSION_NOW is 25 November, 10:00 in Shanghai), UTC.
NOV = datetime(2026, 11, 1, 0, 0)


def at(day: int, hour: int = 2) -> datetime:
    return NOV.replace(day=day, hour=hour)


def _resident(grid, building, channel, day, no_smartphone=False):
    return Resident(
        number=f"9{secrets.randbelow(10**7):07d}",
        name="测试居民",
        phone=None if no_smartphone else f"139{secrets.randbelow(10**8):08d}",
        birth_year=1950,
        community_id=grid.community_id,
        grid_id=grid.id,
        building_id=building.id,
        channel=channel,
        no_smartphone=no_smartphone,
        created_at=at(day),
    )


def add_online_residents(community_id, how_many):
    """`how_many` more residents who signed up online, in grid 1 of the community."""
    grid = db.session.scalars(db.select(Grid).filter_by(community_id=community_id, number=1)).one()
    building = db.session.scalars(db.select(Building).filter_by(grid_id=grid.id, name="甲")).one()
    db.session.add_all([_resident(grid, building, "online", 5) for _ in range(how_many)])
    db.session.commit()


def build_small_community() -> dict:
    """测试社区: grid 1 (building 甲 with 10 residents, 乙 with 2), grid 2 (building 丙 with 8).

    Sign-ups: grid 1 online 7, kiosk 5 (the kiosk ones have no smartphone); grid 2 online 5, grid worker 3.
    Requests (grid 1, repairs, SLA 7 days): accepted after 1, 2, 3, 4, 10 hours (median 3); resolved after
    1, 2, 3 and 15 days (median 60 hours; 3 of 4 in time), one still open and overdue; online 3, kiosk 2.
    Appointments: 2 slots of 5 places; came 2, did not come 1, one cancelled (not counted).
    Activities and notices: tests/support/stats_activities.py.
    """
    street = db.session.scalars(db.select(Street)).first()
    community = Community(street_id=street.id, name="测试社区", name_en="Test Community")
    db.session.add(community)
    db.session.flush()
    one = Grid(community_id=community.id, number=1, name="测试一网格", name_en="Test grid 1")
    two = Grid(community_id=community.id, number=2, name="测试二网格", name_en="Test grid 2")
    db.session.add_all([one, two])
    db.session.flush()
    big, small = Building(grid_id=one.id, name="甲"), Building(grid_id=one.id, name="乙")
    other = Building(grid_id=two.id, name="丙")
    db.session.add_all([big, small, other])
    db.session.flush()
    residents = [_resident(one, big, "online", 2) for _ in range(7)]
    residents += [_resident(one, big, "kiosk", 3, True) for _ in range(3)]
    residents += [_resident(one, small, "kiosk", 3, True) for _ in range(2)]
    residents += [_resident(two, other, "online", 4) for _ in range(5)]
    residents += [_resident(two, other, "gridworker", 4) for _ in range(3)]
    db.session.add_all(residents)
    db.session.flush()

    repairs = db.session.scalars(db.select(Category).filter_by(code="repairs")).one()
    repairs.days_to_resolve = 7
    filed = at(3)
    plans = [(1, 1, "resolved"), (2, 2, "resolved"), (3, 3, "resolved"), (4, 15, "closed"), (10, None, "accepted")]
    for index, (hours, days, state) in enumerate(plans):
        accept_by, resolve_by = deadlines(filed, repairs)
        resolved = filed + timedelta(days=days) if days else None
        db.session.add(
            Request(
                ticket=f"T{secrets.token_hex(4).upper()}"[:10],
                category_id=repairs.id,
                description="测试",
                resident_id=residents[index].id,
                community_id=community.id,
                grid_id=one.id,
                channel="online" if index < 3 else "kiosk",
                state=state,
                created_at=filed,
                updated_at=filed,
                accept_by=accept_by,
                resolve_by=resolve_by,
                accepted_at=filed + timedelta(hours=hours),
                resolved_at=resolved,
                closed_at=resolved if state == "closed" else None,
            )
        )

    station = Station(community_id=community.id, name="测试健康站", name_en="Test station")
    db.session.add(station)
    db.session.flush()
    service = Service(station_id=station.id, name="测试血压", name_en="Test blood pressure", places_per_slot=5)
    db.session.add(service)
    db.session.flush()
    day = date(2026, 11, 12)
    slots = [
        Slot(service_id=service.id, day=day, starts_at=datetime.combine(day, time(1 + n)),
             ends_at=datetime.combine(day, time(2 + n)), capacity=5)
        for n in range(2)
    ]  # fmt: skip
    db.session.add_all(slots)
    db.session.flush()
    outcomes = [("checked_in", "online"), ("checked_in", "online"), ("no_show", "volunteer"), ("cancelled", "staff")]
    for number, (status, channel) in enumerate(outcomes, start=1):
        db.session.add(
            Booking(
                reference=f"B{secrets.token_hex(4).upper()}"[:10],
                slot_id=slots[0].id,
                service_id=service.id,
                day=day,
                resident_id=residents[number].id,
                queue_number=number,
                status=status,
                channel=channel,
                created_at=at(5),
            )
        )
    add_activities_and_notices(community, one, two, residents)
    db.session.commit()
    return {"community": community.id, "grids": [one.id, two.id], "service": service.id}


@pytest.fixture
def small_community(app):
    with app.app_context():
        return build_small_community()


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=True)


def read_tables(html: str) -> dict:
    """data-table -> {"across": bool, "columns": [keys], "labels": {key: header}, "rows": [row dicts]}.
    A row: key, label, total (bool), cells: column -> {"text", "state", "figure"}."""
    found = {}
    for table in parse(html).iter(f"{HTML}table"):
        key = table.get("data-table")
        if key is None:
            continue
        heads = [th for th in table.iter(f"{HTML}th") if th.get("data-column")]
        rows = []
        for tr in table.iter(f"{HTML}tr"):
            if tr.get("data-row") is None:
                continue
            cells = {
                td.get("data-column"): {
                    "text": _text(td),
                    "state": td.get("data-state"),
                    "figure": td.get("data-figure"),
                }
                for td in tr.iter(f"{HTML}td")
            }
            label = _text(next(tr.iter(f"{HTML}th")))
            rows.append({"key": tr.get("data-row"), "label": label, "total": tr.get("data-total-row") is not None,
                         "cells": cells})  # fmt: skip
        found[key] = {
            "across": table.get("data-across") == "total",
            "columns": [th.get("data-column") for th in heads],
            "kinds": {th.get("data-column"): th.get("data-kind") for th in heads},
            "parts": [th.get("data-column") for th in heads if th.get("data-part") is not None],
            "labels": {th.get("data-column"): _text(th) for th in heads},
            "rows": rows,
        }
    return found


def cell(tables, table, row_label, column) -> str:
    row = next(r for r in tables[table]["rows"] if r["label"] == row_label)
    return row["cells"][column]["text"]


def read_charts(html: str, narrow: bool = False) -> dict:
    """table key -> the chart's <svg>, cut from the page as it was sent and parsed with xml.etree
    (so it is well-formed XML, as a printer or another program would read it); `narrow`: the one drawn
    for phones, which comes second."""
    found = {}
    for match in re.finditer(
        r'<div class="stats-figure" id="figure-([a-z_]+)">.*?(<svg .*?</svg>)(<svg .*?</svg>)?', html, re.S
    ):
        found[match[1]] = ElementTree.fromstring(match[3] if narrow else match[2])
    return found


def page_sums(tables: dict) -> list[tuple]:
    """Every sum a reader can check on the page: (total cell, part cells); a cell is (table, row, column).
    Rows add up to the total row, parts across to the total column, and two cells of one figure are equal."""
    sums, copies = [], {}
    for key, table in tables.items():
        counts = [c for c in table["columns"] if table["kinds"][c] == "count"]
        total = next((r for r in table["rows"] if r["total"]), None)
        body = [r for r in table["rows"] if not r["total"]]
        if total is not None:
            sums += [((key, total["key"], c), [(key, r["key"], c) for r in body]) for c in counts]
        if table["across"]:
            sums += [((key, r["key"], "total"), [(key, r["key"], p) for p in table["parts"]]) for r in table["rows"]]
        for r in table["rows"]:
            for column, value in r["cells"].items():
                if value["figure"]:
                    copies.setdefault(value["figure"], []).append((key, r["key"], column))
    for cells in copies.values():
        sums += [(cells[0], [other]) for other in cells[1:]]
    return sums


def recomputable(tables: dict) -> dict:
    """The hidden figures a reader can pin down from the page alone: cell -> the value it must have.

    What a reader knows: the shown numbers; "fewer than 5" is 0 to 4; "not shown" is
    5 or more. They narrow each hidden figure with every sum it is in (the total minus the other parts,
    at their lowest and highest), again and again until nothing changes."""
    sums = page_sums(tables)
    shown, low, high = {}, {}, {}
    for key, table in tables.items():
        for r in table["rows"]:
            for column, value in r["cells"].items():
                place = (key, r["key"], column)
                if table["kinds"][column] != "count":
                    continue
                if value["state"] == "small":
                    low[place], high[place] = 0, 4
                elif value["state"] == "hidden":
                    low[place], high[place] = 5, 10**9
                else:
                    shown[place] = int(value["text"])
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            for unknown in [total, *parts]:
                if unknown not in low:
                    continue
                # unknown = total - other parts (when it is a part), or the sum of the parts (the total).
                others = [p for p in parts if p != unknown]
                if unknown == total:
                    lo = sum(shown.get(p, low.get(p, 0)) for p in parts)
                    hi = sum(shown.get(p, high.get(p, 0)) for p in parts)
                else:
                    lo_sum = sum(shown.get(p, low.get(p, 0)) for p in others)
                    hi_sum = sum(shown.get(p, high.get(p, 0)) for p in others)
                    t_lo, t_hi = (shown[total], shown[total]) if total in shown else (low[total], high[total])
                    lo, hi = t_lo - hi_sum, t_hi - lo_sum
                new_lo, new_hi = max(low[unknown], lo), min(high[unknown], hi)
                if (new_lo, new_hi) != (low[unknown], high[unknown]) and new_lo <= new_hi:
                    low[unknown], high[unknown] = new_lo, new_hi
                    changed = True
    return {place: low[place] for place in low if low[place] == high[place]}
