"""One ballot per resident and poll, held by the database: 50 ballots by ONE resident at the same moment
(online, at a kiosk, through a helper and on paper; 40 threads and 10 processes) give one ballot with one
choice; 50 web changes of one resident's ballot at once leave one ballot with one choice; 50 residents at
once give 50 ballots. On SQLite and on PostgreSQL."""

from datetime import timedelta

from portal.extensions import db
from portal.models import Account, AuditEvent, Ballot, BallotChoice, Kiosk, Poll, Resident
from portal.services.dates import as_utc_naive
from portal.services.polls import count_results, create_poll

from tests.support.health import NOW, make_residents
from tests.support.poll_workers import CHANNELS, attempt, attempt_in_process
from tests.support.races import release_together

PEOPLE, THREADS = 50, 40


def race(app, database_url, jobs, processes):
    """jobs: (resident_id, poll_id, option_id, channel, helper_id, kiosk_id, staff_id); the last `processes`
    run in worker processes, the rest in threads of this process, all released by one barrier."""
    return release_together(app, database_url, jobs, processes, attempt, attempt_in_process)


def new_poll() -> dict:
    staff = db.session.scalars(db.select(Account).filter_by(username="staff")).one()
    helper = db.session.scalars(db.select(Account).filter_by(username="volunteer")).one()
    kiosk = db.session.scalars(db.select(Kiosk).order_by(Kiosk.id)).first()
    community_id = db.session.scalars(db.select(Resident.community_id).order_by(Resident.id)).first()
    now = as_utc_naive(NOW)
    poll = create_poll(db.session, community_id=community_id, question="并发测试投票", options=["甲", "乙", "丙"],
                       multiple=False, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
                       whole_community=True, grids=[], results_before_close=False, actor=staff, now=now)  # fmt: skip
    return {"poll": poll.id, "options": [o.id for o in poll.options], "helper": helper.id, "kiosk": kiosk.id,
            "staff": staff.id}  # fmt: skip


def stored(poll_id, resident_id=None) -> tuple[int, int]:
    """(ballots, choices) of the poll, of one resident when given."""
    db.session.expire_all()
    where = [Ballot.poll_id == poll_id] + ([Ballot.resident_id == resident_id] if resident_id else [])
    ballots = db.session.scalar(db.select(db.func.count()).select_from(Ballot).where(*where))
    choices = db.session.scalar(db.select(db.func.count()).select_from(BallotChoice).join(Ballot).where(*where))
    return ballots, choices


def test_fifty_ballots_by_one_resident_through_every_channel_give_one(app, database_url):
    with app.app_context():
        ids = new_poll()
        resident_id = make_residents(1, start=700)[0].id
    jobs = [
        (resident_id, ids["poll"], ids["options"][i % 3], CHANNELS[i % 4], ids["helper"], ids["kiosk"], ids["staff"])
        for i in range(PEOPLE)
    ]
    outcomes = race(app, database_url, jobs, processes=PEOPLE - THREADS)
    assert outcomes["recorded"] == 1, outcomes
    assert set(outcomes) <= {"recorded", "changed", "already_voted"}, outcomes
    with app.app_context():
        assert stored(ids["poll"]) == (1, 1)
        ballot = db.session.scalars(db.select(Ballot).where(Ballot.poll_id == ids["poll"])).one()
        # A final ballot (helper, paper) was never changed; a web or kiosk one may have been.
        changed = outcomes.get("changed", 0)
        assert changed == 0 or ballot.channel in ("online", "kiosk")
        # One audit event for the ballot that was made, one per change.
        made = db.session.scalar(
            db.select(db.func.count()).where(
                AuditEvent.resident_id == resident_id, AuditEvent.action.in_(["poll.vote", "poll.paper_ballot"])
            )
        )
        assert made == 1


def test_fifty_changes_of_one_web_ballot_at_once_leave_one_choice(app, database_url):
    with app.app_context():
        ids = new_poll()
        resident_id = make_residents(1, start=750)[0].id
    jobs = [(resident_id, ids["poll"], ids["options"][i % 3], "online", None, None, None) for i in range(PEOPLE)]
    outcomes = race(app, database_url, jobs, processes=PEOPLE - THREADS)
    assert outcomes == {"recorded": 1, "changed": PEOPLE - 1}, outcomes
    with app.app_context():
        assert stored(ids["poll"]) == (1, 1)


def test_fifty_residents_give_fifty_ballots(app, database_url):
    with app.app_context():
        ids = new_poll()
        people = [r.id for r in make_residents(PEOPLE, start=800)]
    jobs = [
        (rid, ids["poll"], ids["options"][i % 3], CHANNELS[i % 4], ids["helper"], ids["kiosk"], ids["staff"])
        for i, rid in enumerate(people)
    ]
    outcomes = race(app, database_url, jobs, processes=PEOPLE - THREADS)
    assert outcomes == {"recorded": PEOPLE}, outcomes
    with app.app_context():
        assert stored(ids["poll"]) == (PEOPLE, PEOPLE)
        results = count_results(db.session, db.session.get(Poll, ids["poll"]))
        assert results.ballots == PEOPLE and sum(results.counts.values()) == PEOPLE
        assert results.by_group == {"web": 13, "kiosk": 13, "helper": 12, "paper": 12}
