"""Past one machine: two app hosts, each its own gunicorn in its own network namespace, sharing one
PostgreSQL (the run's) and one Redis (sessions and rate limits). A booking race split over both hosts
gives exactly the slot's places; a sign-in limit counted on host A holds on host B; a kiosk's Start
again or a sign-out on host A ends the session on host B. PostgreSQL run only (tests/support/hosts.py).
Run with -s to see the figures; each assertion message carries them too."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import time, timedelta

import pytest

from portal.extensions import db
from portal.models import Booking, Slot, Station

from tests.support.app import DB_KIND
from tests.support.flows import signed_in_resident_session
from tests.support.health import local_today, make_residents, make_slot
from tests.support.hosts import SQLITE_SKIP, Visitor, figures
from tests.support.kiosk import new_code

pytestmark = pytest.mark.skipif(DB_KIND != "postgresql", reason=SQLITE_SKIP)

PEOPLE, PLACES = 50, 5
FULL = "已经约满了，请选其他时间"  # the refusal a resident reads on the confirm page
WAIT = "请稍等一下"  # the 429 page: "Please wait a moment"
WRONG_PASSWORD = "用户名或密码不对"
TRIES = 6  # on each host; /login allows 10 a minute from one address


@pytest.fixture
def contested(app, redis_app):
    """A 5-place slot three days ahead at the first demo station, and 50 residents each with a session
    in Redis that has chosen it and is identified, ready to press "Book" (tests/support/flows.py)."""
    with app.app_context():
        station = db.session.scalars(db.select(Station).order_by(Station.id)).first()
        service = station.services[0]
        day = local_today(app) + timedelta(days=3)
        slot = make_slot(service, day, time(6, 15), capacity=PLACES)  # a time no schedule makes: ours alone
        residents = [r.id for r in make_residents(PEOPLE)]
        ids = (station.id, service.id, slot.id)
    sessions = [signed_in_resident_session(redis_app, rid, ids[0], ids[1], day, ids[2]) for rid in residents]
    return {"slot_id": ids[2], "sessions": sessions}


def outcome(answer) -> str:
    if answer.status == 303 and answer.location.startswith("/health/bookings/"):
        return "booked"
    if answer.status == 200 and FULL in answer.text and 'class="error-summary"' in answer.text:
        return "full"
    return f"other {answer.status} {answer.location}"


def test_a_booking_race_over_both_hosts_books_exactly_the_places(hosts, app, contested):
    gate = threading.Barrier(PEOPLE)

    def press_book(index):
        host = hosts.hosts[index % 2]
        cookie, token = contested["sessions"][index]
        visitor = Visitor({"session": cookie})
        shown = visitor.get(host, "/health/book/confirm")  # this host reads the session the test put in Redis
        gate.wait(timeout=60)
        pressed = visitor.open(host, "/health/book/confirm", {"csrf_token": token})
        return host.name, shown.status == 200 and "06:15" in shown.text, outcome(pressed)

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        results = list(pool.map(press_book, range(PEOPLE)))
    per_host = {name: Counter(o for n, _shown, o in results if n == name) for name in "AB"}
    with app.app_context():
        slot = db.session.get(Slot, contested["slot_id"])
        rows = db.session.scalars(db.select(Booking).filter_by(slot_id=slot.id)).all()
        seen = figures(
            "booking race over two hosts",
            clients=f"{PEOPLE} ({PEOPLE // 2} per host) for {PLACES} places",
            host_A=dict(per_host["A"]),
            host_B=dict(per_host["B"]),
            slot_booked=slot.booked,
            overbooked=slot.overbooked,
            booking_rows=len(rows),
            distinct_queue_numbers=len({b.queue_number for b in rows}),
        )
        assert all(shown for _n, shown, _o in results), seen
        assert per_host["A"] + per_host["B"] == {"booked": PLACES, "full": PEOPLE - PLACES}, seen
        assert slot.booked == PLACES and slot.overbooked == 0, seen
        assert len(rows) == PLACES and {b.status for b in rows} == {"booked"}, seen
        assert len({b.queue_number for b in rows}) == PLACES, seen


def limiter_counts(hosts) -> dict:
    with hosts.redis.client() as client:
        return {key.decode(): int(client.get(key)) for key in client.scan_iter("LIMITS*")}


def test_a_sign_in_limit_counted_on_host_a_holds_on_host_b(hosts):
    wrong = {"username": "staff", "password": "wrong"}
    on_a, on_b = Visitor(), Visitor()
    on_a.get(hosts.a, "/login")
    answers_a = [on_a.submit(hosts.a, "/login", wrong) for _ in range(TRIES)]
    on_b.get(hosts.b, "/login")
    answers_b = [on_b.submit(hosts.b, "/login", wrong) for _ in range(TRIES)]
    right = on_b.submit(hosts.b, "/login", {"username": "staff", "password": "linli-demo"})
    seen = figures(
        "sign-in limit over two hosts (10 a minute per address)",
        host_A_statuses=[a.status for a in answers_a],
        host_A_remaining=[a.headers.get("X-RateLimit-Remaining") for a in answers_a],
        host_B_statuses=[a.status for a in answers_b],
        host_B_remaining=[a.headers.get("X-RateLimit-Remaining") for a in answers_b],
        right_password_on_B=right.status,
        limiter_counts_in_Redis=limiter_counts(hosts),
    )
    assert [a.status for a in answers_a] == [200] * TRIES, seen
    assert all(WRONG_PASSWORD in a.text for a in answers_a), seen
    assert [a.status for a in answers_b] == [200] * (10 - TRIES) + [429] * (2 * TRIES - 10), seen
    assert all(WAIT in a.text for a in answers_b if a.status == 429), seen
    assert right.status == 429, seen  # the pause holds even for the right password, on either host
    assert list(limiter_counts(hosts).values()) == [2 * TRIES + 1], seen


def session_stored(hosts, sid: str) -> bool:
    with hosts.redis.client() as client:
        return client.exists(f"session:{sid}") == 1


def test_start_again_on_host_a_ends_the_kiosk_session_on_host_b(hosts, app, senior):
    kiosk = Visitor()
    kiosk.get(hosts.a, "/kiosk/activate")
    assert kiosk.submit(hosts.a, "/kiosk/activate", {"code": new_code(app)}).status == 303
    kiosk.get(hosts.a, "/kiosk")
    identified = kiosk.submit(hosts.a, "/kiosk/identify", {"token": senior["token"], "next": ""})
    old = dict(kiosk.cookies)  # the kiosk cookie and the identified visit's session cookie
    before = Visitor(old).get(hosts.b, "/kiosk/me")
    reset = kiosk.open(hosts.a, "/kiosk/reset", {})
    after = Visitor(old).get(hosts.b, "/kiosk/me")  # the old cookies replayed on the other host
    fresh = kiosk.get(hosts.b, "/kiosk/me")  # the kiosk itself, now on host B, with its new session
    seen = figures(
        "kiosk Start again on A, then host B",
        identify_on_A=identified.status,
        B_before=f"{before.status} {before.location}",
        reset_on_A=f"{reset.status} {reset.location}",
        old_session_in_Redis=session_stored(hosts, old["session"]),
        B_after_with_old_cookie=f"{after.status} {after.location}",
        B_after_for_the_kiosk=f"{fresh.status} {fresh.location}",
    )
    assert identified.status == 303 and "linli_kiosk" in old and "session" in old, seen
    assert before.status == 200 and senior["name"][0] in before.text, seen
    assert reset.status == 303 and kiosk.cookies["session"] != old["session"], seen
    assert not session_stored(hosts, old["session"]), seen
    assert after.status == 303 and after.location.startswith("/kiosk/identify"), seen
    assert fresh.status == 303 and fresh.location.startswith("/kiosk/identify"), seen


def test_signing_out_on_host_a_signs_out_on_host_b(hosts):
    staff = Visitor()
    staff.get(hosts.a, "/login")
    signed_in = staff.submit(hosts.a, "/login", {"username": "staff", "password": "linli-demo"})
    old = staff.cookies["session"]
    before = Visitor({"session": old}).get(hosts.b, "/me")
    staff.get(hosts.a, "/me")  # a page with the sign-out form's token
    signed_out = staff.submit(hosts.a, "/logout")
    after = Visitor({"session": old}).get(hosts.b, "/me")
    seen = figures(
        "sign-out on A, then host B",
        sign_in_on_A=f"{signed_in.status} {signed_in.location}",
        B_before=before.status,
        sign_out_on_A=f"{signed_out.status} {signed_out.location}",
        old_session_in_Redis=session_stored(hosts, old),
        B_after_with_old_cookie=f"{after.status} {after.location}",
    )
    assert signed_in.status == 303 and before.status == 200, seen
    assert signed_out.status == 303 and not session_stored(hosts, old), seen
    assert after.status == 303 and after.location.startswith("/login"), seen
