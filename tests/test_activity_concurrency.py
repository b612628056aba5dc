"""The heart of activities: 50 residents signing up at the same moment (40 threads and 10 processes, on
SQLite and on PostgreSQL) for 25 places of which 5 are held back for the desk. Exactly 20 get a place,
the other 30 wait in the order they arrived, nobody twice. Then 10 cancel at once: exactly the first 10
waiting are promoted, each once, and the 5 held-back places are still there for the desk."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from portal.extensions import db
from portal.models import Activity, Resident
from portal.services.activities import sign_up, waiting_position

from tests.support.activities import make_activity, messages_to, signups, staff_account
from tests.support.activity_workers import attempt, attempt_in_process, process_context
from tests.support.health import NOW, make_residents

PEOPLE, THREADS = 50, 40
PLACES, HELD_BACK = 25, 5


def race(app, database_url, kind, jobs, activity_id, processes=0):
    """jobs: (resident_id, signup_id) each; the last `processes` of them run in worker processes, the
    rest in threads of this process, all released by one barrier."""
    ctx = process_context(database_url)
    gate, results = ctx.Barrier(len(jobs)), ctx.Queue()
    in_threads, in_processes = jobs[: len(jobs) - processes], jobs[len(jobs) - processes :]
    workers = [
        ctx.Process(target=attempt_in_process, args=(database_url, kind, rid, activity_id, sid, gate, results))
        for rid, sid in in_processes
    ]
    for worker in workers:
        worker.start()

    def one(job):
        rid, sid = job
        with app.app_context():
            try:
                db.session.get(Resident, rid)
                db.session.rollback()
                gate.wait(timeout=60)
                return rid, attempt(kind, rid, activity_id, sid)
            except Exception as error:
                db.session.rollback()
                return rid, f"error: {error!r}"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=max(len(in_threads), 1)) as pool:
        outcomes = dict(pool.map(one, in_threads))
    outcomes.update(results.get(timeout=180) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    return outcomes


def test_fifty_sign_ups_then_ten_cancellations(app, database_url):
    with app.app_context():
        activity_id = make_activity(capacity=PLACES, held_back=HELD_BACK).id
        people = [r.id for r in make_residents(PEOPLE)]
    outcomes = race(app, database_url, "sign_up", [(rid, None) for rid in people], activity_id, PEOPLE - THREADS)
    assert Counter(outcomes.values()) == {"signed_up": 20, "waiting": 30}, Counter(outcomes.values())
    with app.app_context():
        activity = db.session.get(Activity, activity_id)
        assert activity.taken == 20 and activity.places_left_online == 0 and activity.places_left_at_desk == 5
        every = signups(activity_id)
        assert len(every) == PEOPLE and len({s.resident_id for s in every}) == PEOPLE  # nobody twice
        waiting = sorted(signups(activity_id, "waiting"), key=lambda s: s.position)
        # Positions are handed out in arrival order, one each, with no gaps.
        assert [s.position for s in waiting] == list(range(1, 31))
        assert [waiting_position(db.session, s) for s in waiting] == list(range(1, 31))
        first_ten = [s.resident_id for s in waiting[:10]]
        leaving = [(s.resident_id, s.id) for s in signups(activity_id, "signed_up")[:10]]

    outcomes = race(app, database_url, "cancel", leaving, activity_id, processes=3)
    assert Counter(outcomes.values()) == {"ok": 10}, outcomes
    with app.app_context():
        db.session.expire_all()
        activity = db.session.get(Activity, activity_id)
        assert activity.taken == 20
        promoted = [s for s in signups(activity_id, "signed_up") if s.promoted_at is not None]
        assert sorted(s.resident_id for s in promoted) == sorted(first_ten)
        # Each told once.
        assert [messages_to(rid, "activity.promoted") for rid in first_ten] == [1] * 10
        still = sorted(signups(activity_id, "waiting"), key=lambda s: s.position)
        assert [s.position for s in still] == list(range(11, 31))
        assert waiting_position(db.session, still[0]) == 1
        # The held-back places are still free, for the desk only.
        for resident in make_residents(6, start=900):
            sign_up(
                db.session, activity_id=activity_id, resident=resident, now=NOW, desk=True, actor=staff_account(),
                origin={"channel": "staff", "entered_by_id": staff_account().id, "kiosk_id": None},
                wait_if_full=True,
            )  # fmt: skip
        states = Counter(s.state for s in signups(activity_id) if s.at_desk)
        assert states == {"signed_up": 5, "waiting": 1}
        assert db.session.get(Activity, activity_id).taken == PLACES
