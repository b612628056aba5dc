"""Activity rules without HTTP: places held back for the desk, the waiting list, and every path that frees
a place promoting the first person waiting (and a raise of the places promoting as many as it frees)."""

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import Activity
from portal.services.activities import SignupRefused, end_signup, sign_up, waiting_position
from portal.services.activity_admin import cancel_activity, check_in, close_activity, update_activity

from tests.support.activities import make_activity, messages_to, signups, staff_account
from tests.support.health import NOW, make_residents

HELPER = {"channel": "volunteer", "entered_by_id": None, "kiosk_id": None}
DESK = {"channel": "staff", "entered_by_id": None, "kiosk_id": None}


@pytest.fixture
def full(app):
    """A 3-place activity (1 held back): 2 signed up online, 3 waiting (the last without a phone)."""
    with app.app_context():
        activity = make_activity(capacity=3, held_back=1)
        people = make_residents(4) + make_residents(1, phone=False, start=50)
        made = [sign_up(db.session, activity_id=activity.id, resident=r, now=NOW, wait_if_full=True) for r in people]
        yield {"activity": activity.id, "people": [r.id for r in people], "signups": [s.id for s in made]}


def states(activity_id):
    return [(s.resident_id, s.state) for s in signups(activity_id)]


def test_online_sign_ups_leave_the_held_back_place_and_then_wait(full):
    activity = db.session.get(Activity, full["activity"])
    assert activity.taken == 2 and activity.places_left_online == 0 and activity.places_left_at_desk == 1
    assert [s for _r, s in states(full["activity"])] == ["signed_up"] * 2 + ["waiting"] * 3
    last = signups(full["activity"], "waiting")[-1]
    assert waiting_position(db.session, last) == 3
    assert messages_to(full["people"][2], "activity.waiting") == 1


def test_full_without_asking_to_wait_is_refused_and_a_second_sign_up_is_a_duplicate(full):
    extra = make_residents(1, start=70)[0]
    with pytest.raises(SignupRefused) as refused:
        sign_up(db.session, activity_id=full["activity"], resident=extra, now=NOW)
    assert refused.value.reason == "full"
    first = db.session.get(type(extra), full["people"][0])
    with pytest.raises(SignupRefused) as refused:
        sign_up(db.session, activity_id=full["activity"], resident=first, now=NOW, wait_if_full=True)
    assert refused.value.reason == "duplicate"


@pytest.mark.parametrize("path", ["resident", "helper", "staff_remove"])
def test_every_cancellation_path_promotes_the_first_waiting(full, path):
    actor = staff_account() if path != "resident" else None
    end_signup(
        db.session,
        signup_id=full["signups"][0],
        now=NOW,
        actor=actor,
        origin=HELPER if path == "helper" else None,
        removed=path == "staff_remove",
    )
    got = dict(states(full["activity"]))
    assert got[full["people"][0]] == ("removed" if path == "staff_remove" else "cancelled")
    assert got[full["people"][2]] == "signed_up"  # first on the list
    assert got[full["people"][3]] == "waiting"
    assert messages_to(full["people"][2], "activity.promoted") == 1
    assert waiting_position(db.session, signups(full["activity"], "waiting")[0]) == 1
    assert db.session.get(Activity, full["activity"]).taken == 2


def test_leaving_the_waiting_list_frees_nothing_and_moves_people_up(full):
    end_signup(db.session, signup_id=full["signups"][2], now=NOW)
    assert db.session.get(Activity, full["activity"]).taken == 2
    assert [waiting_position(db.session, s) for s in signups(full["activity"], "waiting")] == [1, 2]


def test_raising_the_places_promotes_as_many_as_it_frees_and_no_phone_goes_on_the_call_list(full):
    activity = db.session.get(Activity, full["activity"])
    promoted = update_activity(db.session, activity, grids=[], capacity=6, held_back=1, now=NOW, actor=staff_account())
    assert len(promoted) == 3
    assert [s for _r, s in states(full["activity"])] == ["signed_up"] * 5
    no_phone = signups(full["activity"])[-1]
    assert no_phone.call_reason == "promoted" and messages_to(no_phone.resident_id, "activity.promoted") == 0
    with pytest.raises(SignupRefused):
        update_activity(db.session, activity, grids=[], capacity=4, held_back=0, now=NOW, actor=staff_account())


def test_the_desk_may_use_the_held_back_place(full):
    desk = make_residents(1, start=80)[0]
    made = sign_up(db.session, activity_id=full["activity"], resident=desk, now=NOW, desk=True, origin=DESK)
    assert made.state == "signed_up" and made.at_desk and made.channel == "staff"


def test_sign_up_closes_at_the_deadline(full):
    late = make_residents(1, start=90)[0]
    with pytest.raises(SignupRefused) as refused:
        sign_up(db.session, activity_id=full["activity"], resident=late, now=NOW + timedelta(days=7), wait_if_full=True)
    assert refused.value.reason == "closed"


def test_cancelling_the_activity_tells_everyone_and_closing_counts_attendance(app, full):
    activity = db.session.get(Activity, full["activity"])
    told = cancel_activity(db.session, activity, reason="老师生病", now=NOW, actor=staff_account())
    assert told == 5
    assert all(messages_to(rid, "activity.cancelled") == 1 for rid in full["people"][:4])
    assert signups(full["activity"])[-1].call_reason == "activity_cancelled"
    assert {s for _r, s in states(full["activity"])} == {"cancelled"}

    other = make_activity(capacity=5, held_back=0)
    people = make_residents(2, start=100)
    made = [sign_up(db.session, activity_id=other.id, resident=r, now=NOW) for r in people]
    assert check_in(db.session, made[0], now=NOW, actor=staff_account(), origin=DESK)
    assert not check_in(db.session, made[0], now=NOW, actor=staff_account(), origin=DESK)
    with pytest.raises(SignupRefused):  # not before it starts
        close_activity(db.session, other, actor=staff_account(), now=NOW)
    assert close_activity(db.session, other, actor=staff_account(), now=other.starts_at + timedelta(hours=1)) == 1
    assert db.session.get(Activity, other.id).attendance == 1
