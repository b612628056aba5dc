"""One register entry per resident and account, and one answer per volunteer and call-out, held by the
database: 50 registrations of ONE resident at the same moment (online, at a kiosk and through a helper; 40
threads and 10 processes) give one entry; 50 of one volunteer account give one; 50 residents at once give 50;
50 answers to one reply at once count once (one audit event). On SQLite and on PostgreSQL."""

from portal.extensions import db
from portal.models import Account, AuditEvent, CallOutReply, Kiosk, Volunteer
from portal.services.volunteers import call_out

from tests.support.health import NOW, make_residents
from tests.support.races import release_together
from tests.support.topic_workers import CHANNELS
from tests.support.volunteer_workers import attempt, attempt_in_process

PEOPLE, THREADS = 50, 40


def race(app, database_url, jobs, processes):
    """jobs: arguments of volunteer_workers.attempt; the last `processes` run in worker processes, the rest
    in threads of this process, all released by one barrier."""
    return release_together(app, database_url, jobs, processes, attempt, attempt_in_process)


def helpers() -> tuple[int, int]:
    helper = db.session.scalars(db.select(Account).filter_by(username="volunteer")).one()
    kiosk = db.session.scalars(db.select(Kiosk).order_by(Kiosk.id)).first()
    return helper.id, kiosk.id


def entries(**where) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(Volunteer).filter_by(**where))


def test_fifty_registrations_of_one_resident_through_every_channel_give_one(app, database_url):
    with app.app_context():
        helper_id, kiosk_id = helpers()
        resident_id = make_residents(1, start=900)[0].id
    jobs = [("register", resident_id, CHANNELS[i % 3], helper_id, kiosk_id) for i in range(PEOPLE)]
    outcomes = race(app, database_url, jobs, processes=PEOPLE - THREADS)
    assert outcomes == {"ok": 1, "duplicate": 49}, outcomes
    with app.app_context():
        assert entries(resident_id=resident_id) == 1
        registered = db.select(db.func.count()).where(
            AuditEvent.action == "volunteer.register", AuditEvent.resident_id == resident_id
        )
        assert db.session.scalar(registered) == 1


def test_fifty_registrations_of_one_account_give_one_and_fifty_residents_give_fifty(app, database_url):
    with app.app_context():
        helper_id, kiosk_id = helpers()
        account = db.session.get(Account, helper_id)
        db.session.execute(db.delete(CallOutReply))
        db.session.execute(db.delete(Volunteer).where(Volunteer.account_id == helper_id))
        db.session.commit()
        building_id = account.community.grids[0].buildings[0].id
        people = [r.id for r in make_residents(PEOPLE, start=950)]
    jobs = [("register_account", helper_id, "online", None, None, building_id) for _ in range(PEOPLE)]
    outcomes = race(app, database_url, jobs, processes=PEOPLE - THREADS)
    assert outcomes == {"ok": 1, "duplicate": 49}, outcomes
    with app.app_context():
        assert entries(account_id=helper_id) == 1
    jobs = [("register", rid, CHANNELS[i % 3], helper_id, kiosk_id) for i, rid in enumerate(people)]
    outcomes = race(app, database_url, jobs, processes=PEOPLE - THREADS)
    assert outcomes == {"ok": PEOPLE}, outcomes
    with app.app_context():
        db.session.expire_all()
        assert db.session.scalar(db.select(db.func.count()).where(Volunteer.resident_id.in_(people))) == PEOPLE


def test_fifty_answers_to_one_call_out_count_once(app, database_url):
    with app.app_context():
        staff = db.session.scalars(db.select(Account).filter_by(username="staff")).one()
        grid = staff.community.grids[0]
        callout = call_out(db.session, grid=grid, message="并发测试", skill="", slot=None, actor=staff, now=NOW,
                           link_for=lambda token: f"/v/{token}", secret=app.config["SECRET_KEY"])  # fmt: skip
        reply_id = db.session.scalars(db.select(CallOutReply.id).where(CallOutReply.callout_id == callout.id)).first()
    jobs = [("answer", reply_id, "online", None, None, "yes" if i % 2 else "no") for i in range(PEOPLE)]
    outcomes = race(app, database_url, jobs, processes=PEOPLE - THREADS)
    assert outcomes == {"ok": 1, "answered": 49}, outcomes
    with app.app_context():
        answered = db.session.scalar(
            db.select(db.func.count()).where(
                AuditEvent.action == "volunteer.answer", AuditEvent.detail.like(f"callout={callout.id};%")
            )
        )
        assert answered == 1
        rows = db.session.scalar(db.select(db.func.count()).where(CallOutReply.id == reply_id))
        assert rows == 1 and db.session.get(CallOutReply, reply_id).answer in ("yes", "no")
