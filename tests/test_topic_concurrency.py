"""One support per resident and topic, held by the database: 50 supports by ONE resident at the same moment
(online, at a kiosk and through a helper; 40 threads and 10 processes) give one support and a count of 1;
50 residents at once give 50 and a count of 50; then 25 of them withdraw at once while 25 others try to
withdraw twice, and the count is exactly the active supports. On SQLite and on PostgreSQL."""

from portal.extensions import db
from portal.models import Account, AuditEvent, Kiosk, Topic, TopicSupport
from portal.services.topics import propose_topic

from tests.support.health import NOW, make_residents
from tests.support.races import release_together
from tests.support.topic_workers import CHANNELS, attempt, attempt_in_process

PEOPLE, THREADS = 50, 40


def race(app, database_url, jobs, processes):
    """jobs: (kind, resident_id, topic_id, channel, helper_id, kiosk_id); the last `processes` run in worker
    processes, the rest in threads of this process, all released by one barrier."""
    return release_together(app, database_url, jobs, processes, attempt, attempt_in_process)


def new_topic() -> tuple[int, int, int]:
    staff = db.session.scalars(db.select(Account).filter_by(username="staff")).one()
    helper = db.session.scalars(db.select(Account).filter_by(username="volunteer")).one()
    kiosk = db.session.scalars(db.select(Kiosk).order_by(Kiosk.id)).first()
    origin = {"channel": "staff", "entered_by_id": staff.id, "kiosk_id": None}
    topic = propose_topic(db.session, community_id=staff.community_id, grid_id=None, title="并发测试", body="x",
                          origin=origin, now=NOW, staff=staff)  # fmt: skip
    return topic.id, helper.id, kiosk.id


def counts(topic_id):
    db.session.expire_all()
    topic = db.session.get(Topic, topic_id)
    active = db.session.scalar(
        db.select(db.func.count()).where(TopicSupport.topic_id == topic_id, TopicSupport.withdrawn_at.is_(None))
    )
    return topic.supports, active


def test_fifty_supports_by_one_resident_through_every_channel_give_one(app, database_url):
    with app.app_context():
        topic_id, helper_id, kiosk_id = new_topic()
        resident_id = make_residents(1, start=700)[0].id
    jobs = [("support", resident_id, topic_id, CHANNELS[i % 3], helper_id, kiosk_id) for i in range(PEOPLE)]
    outcomes = race(app, database_url, jobs, processes=PEOPLE - THREADS)
    assert outcomes == {"ok": 1, "duplicate": 49}, outcomes
    with app.app_context():
        assert counts(topic_id) == (1, 1)
        # One audit event, for the one support that was made.
        assert (
            db.session.scalar(
                db.select(db.func.count()).where(
                    AuditEvent.action == "topic.support", AuditEvent.resident_id == resident_id
                )
            )
            == 1
        )


def test_fifty_residents_give_fifty_then_withdrawals_at_once_leave_the_count_right(app, database_url):
    with app.app_context():
        topic_id, helper_id, kiosk_id = new_topic()
        people = [r.id for r in make_residents(PEOPLE, start=800)]
    jobs = [("support", rid, topic_id, CHANNELS[i % 3], helper_id, kiosk_id) for i, rid in enumerate(people)]
    outcomes = race(app, database_url, jobs, processes=PEOPLE - THREADS)
    assert outcomes == {"ok": PEOPLE}, outcomes
    with app.app_context():
        assert counts(topic_id) == (PEOPLE, PEOPLE)
    # 20 residents withdraw, each twice at the same moment, and 10 others support again (a duplicate).
    leaving = people[:20]
    jobs = [("withdraw", rid, topic_id, "online", None, None) for rid in leaving for _twice in range(2)]
    jobs += [("support", rid, topic_id, "online", None, None) for rid in people[20:30]]
    outcomes = race(app, database_url, jobs, processes=10)
    assert outcomes == {"ok": 20, "not_supported": 20, "duplicate": 10}, outcomes
    with app.app_context():
        assert counts(topic_id) == (PEOPLE - 20, PEOPLE - 20)
