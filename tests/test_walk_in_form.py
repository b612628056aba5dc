"""The nurse's walk-in form: times with places left come first, and a full time says "full" in words (not
colour alone) and that it can be chosen only together with "Add over capacity" (the rule today: a walk-in
may go over capacity when the nurse confirms it, so a full time stays a choice)."""

import re
from datetime import datetime, time, timezone

import pytest

from portal.extensions import db
from portal.models import Station
from portal.services.checkin import walk_in_slots
from portal.services.slots import get_zone, local_today

from tests.support.health import make_slot, make_station

CHOICE = re.compile(
    r'<input class="choice-input" id="(?P<id>slot[^"]*)" name="slot" type="radio" value="(?P<value>\d+)"'
    r'(?P<attrs>[^>]*)>\s*<label class="choice-label" for="[^"]+">(?P<label>[^<]*)</label>'
    r'(?:\s*<p class="hint choice-hint" id="[^"]+">(?P<hint>[^<]*)</p>)?'
)


@pytest.fixture
def today_times(app):
    """A station with three times today: 08:00 full, 09:00 with two places left, 10:00 full."""
    with app.app_context():
        station = make_station(name="现场来访测试站", weekdays=())
        service = station.services[0]
        today = local_today(datetime.now(timezone.utc), get_zone(app.config["PORTAL_TIMEZONE"]))
        ids = {}
        for at, capacity, booked in ((time(8), 2, 2), (time(9), 2, 0), (time(10), 1, 1)):
            slot = make_slot(service, today, at, capacity=capacity)
            slot.booked = booked  # places taken earlier (the counter the conditional UPDATE keeps)
            ids[at.hour] = slot.id
        db.session.commit()
        return {"station": station.id, "service": service.id, "slots": ids, "day": today}


def choices(html):
    return [m.groupdict() for m in CHOICE.finditer(html)]


def test_times_with_places_come_first_and_full_ones_say_so(app, client, auth, today_times):
    auth.login("nurse")
    html = client.get(f"/health/roster/{today_times['station']}/walk-in").get_data(as_text=True)
    found = choices(html)
    slots = today_times["slots"]
    assert [int(c["value"]) for c in found] == [slots[9], slots[8], slots[10]]
    assert found[0]["label"].strip() == "09:00 血压测量" and found[0]["hint"] == "还有2个名额"
    for full in found[1:]:
        assert full["label"].strip().endswith("：已满")
        assert "超出名额添加" in full["hint"]
        assert "disabled" not in full["attrs"]  # still a choice: a confirmed walk-in may go over capacity
    html = client.get(f"/health/roster/{today_times['station']}/walk-in?lang=en").get_data(as_text=True)
    labels = [c["label"].strip() for c in choices(html)]
    assert labels == [
        "09:00 Blood pressure check",
        "08:00 Blood pressure check: full",
        "10:00 Blood pressure check: full",
    ]
    assert "Choose it only if you also tick “Add over capacity” below." in html


def test_walk_in_slots_orders_by_places_then_time(app, today_times):
    with app.app_context():
        station = db.session.get(Station, today_times["station"])
        ordered = walk_in_slots(db.session, station, today_times["day"])
        slots = today_times["slots"]
        assert [s.id for s in ordered] == [slots[9], slots[8], slots[10]]
        station.services[0].active = False
        assert walk_in_slots(db.session, station, today_times["day"]) == []
