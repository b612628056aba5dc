"""One proposed match per post and resident, held by the database (a unique constraint): 50 "I can help" by
ONE resident at the same moment (online, at a kiosk and through a helper; 40 threads and 10 processes) give
one proposal; 50 residents at once give 50. And 20 confirmations of one match at once (threads and
processes) confirm it once and tell each side once. On SQLite and on PostgreSQL."""

from portal.extensions import db
from portal.models import Account, AidMatch, AidPost, AuditEvent, Kiosk, OutboxMessage
from portal.services.aid import post_aid

from tests.support.aid_workers import CHANNELS, attempt, attempt_in_process
from tests.support.health import NOW, make_residents
from tests.support.races import release_together

PEOPLE, THREADS = 50, 40
ORIGIN = {"channel": "online", "entered_by_id": None, "kiosk_id": None}


def race(app, database_url, jobs, processes):
    """jobs: (kind, resident_id, target_id, channel, helper_id, kiosk_id); the last `processes` run in worker
    processes, the rest in threads of this process, all released by one barrier."""
    return release_together(app, database_url, jobs, processes, attempt, attempt_in_process)


def new_post() -> tuple[int, int, int]:
    """A need of a new resident of grid 1 (for the whole community), the volunteer's id and a kiosk's."""
    poster = make_residents(1, start=600)[0]
    post = post_aid(db.session, resident=poster, kind="need", category="errand", text="并发测试：帮忙取药",
                    whole_community=True, origin=ORIGIN, now=NOW)  # fmt: skip
    helper = db.session.scalars(db.select(Account).filter_by(username="volunteer")).one()
    kiosk = db.session.scalars(db.select(Kiosk).order_by(Kiosk.id)).first()
    return post.id, helper.id, kiosk.id


def proposals(post_id) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).where(AidMatch.post_id == post_id))


def test_fifty_proposals_by_one_resident_through_every_channel_give_one(app, database_url):
    with app.app_context():
        post_id, helper_id, kiosk_id = new_post()
        resident_id = make_residents(1, start=700)[0].id
    jobs = [("propose", resident_id, post_id, CHANNELS[i % 3], helper_id, kiosk_id) for i in range(PEOPLE)]
    outcomes = race(app, database_url, jobs, processes=PEOPLE - THREADS)
    assert outcomes == {"ok": 1, "duplicate": 49}, outcomes
    with app.app_context():
        assert proposals(post_id) == 1
        events = db.session.scalar(
            db.select(db.func.count()).where(AuditEvent.action == "aid.propose", AuditEvent.resident_id == resident_id)
        )
        assert events == 1


def test_fifty_residents_give_fifty_proposals_and_one_confirmation_wins(app, database_url):
    with app.app_context():
        post_id, helper_id, kiosk_id = new_post()
        people = [r.id for r in make_residents(PEOPLE, start=800)]
    jobs = [("propose", rid, post_id, CHANNELS[i % 3], helper_id, kiosk_id) for i, rid in enumerate(people)]
    outcomes = race(app, database_url, jobs, processes=PEOPLE - THREADS)
    assert outcomes == {"ok": PEOPLE}, outcomes
    with app.app_context():
        assert proposals(post_id) == PEOPLE
        match_id = db.session.scalars(db.select(AidMatch.id).where(AidMatch.post_id == post_id)).first()
        worker_id = db.session.scalars(db.select(Account.id).filter_by(username="gridworker")).one()
    # Twenty presses of "Confirm" on one match at the same moment (say two grid workers, double taps).
    jobs = [("confirm", people[0], match_id, "online", worker_id, None) for _ in range(20)]
    outcomes = race(app, database_url, jobs, processes=5)
    assert outcomes == {"ok": 1, "not_proposed": 19}, outcomes
    with app.app_context():
        assert db.session.get(AidPost, post_id).state == "matched"
        told = db.session.scalar(db.select(db.func.count()).where(OutboxMessage.kind == "aid.matched"))
        assert told == 2  # the poster and the neighbour, once each
