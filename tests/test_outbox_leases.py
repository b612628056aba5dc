"""The outbox's claims and leases, in one process on SQLite and PostgreSQL (tests/test_outbox_senders.py
runs real sender processes): claims never overlap and take exactly one batch; a claim whose lease has run
out is taken again; a late sender learns that it lost its claim; stopping or running short of lease hands
unsent claims back; on PostgreSQL a claim skips rows another sender has locked instead of waiting."""

import logging

import pytest
from sqlalchemy import select, text, update

from portal.extensions import db
from portal.models import OutboxMessage
from portal.services.outbox import queue_message
from portal.services.outbox_delivery import claim_batch, record_outcome, send_pending

from tests.support.app import DB_KIND


def queue(count: int) -> list[int]:
    messages = [queue_message(db.session, kind="t", text=f"m{n}", recipient=f"139{n:08d}") for n in range(count)]
    db.session.commit()
    return [m.id for m in messages]


class Recorder:
    def __init__(self, on_send=None):
        self.sent, self.on_send = [], on_send

    def send(self, recipient, text):
        self.sent.append(text)
        if self.on_send:
            self.on_send(self)


def rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_claims_take_one_batch_each_never_overlap_and_run_out(app, clock, caplog):
    with app.app_context():
        ids = queue(25)
        first, _ = claim_batch(db.session, "a", batch=10, lease_seconds=60)
        second, _ = claim_batch(db.session, "b", batch=10, lease_seconds=60)
        third, _ = claim_batch(db.session, "c", batch=10, lease_seconds=60)
        assert (first, second, third) == (ids[:10], ids[10:20], ids[20:])
        assert claim_batch(db.session, "d", batch=10, lease_seconds=60)[0] == []

        clock.shift(61)  # every lease has run out: "d" takes the oldest again, as if a, b and c had died
        assert claim_batch(db.session, "d", batch=10, lease_seconds=60)[0] == ids[:10]
        with caplog.at_level(logging.WARNING, logger="linli.outbox"):
            assert record_outcome(db.session, "a", ids[0], None) is False  # "a" comes back too late
        assert "ran out" in caplog.text
        assert record_outcome(db.session, "d", ids[0], None) is True
        message = db.session.get(OutboxMessage, ids[0])
        assert (message.status, message.claimed_by, message.attempts) == ("sent", "d", 2)


def test_a_message_left_sending_by_an_older_sender_goes_out(app):
    # Before leases, a sender that died after its claim left the message in 'sending' for ever.
    with app.app_context():
        [stuck] = queue(1)
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id == stuck).values(status="sending"))
        db.session.commit()
        gateway = Recorder()
        assert send_pending(db.session, gateway) == {"sent": 1, "failed": 0}
        assert gateway.sent == ["m0"] and rows()[0].status == "sent"


def test_a_stopping_sender_hands_its_unsent_claims_back(app):
    with app.app_context():
        queue(10)
        gateway = Recorder()
        counts = send_pending(db.session, gateway, batch=10, should_stop=lambda: len(gateway.sent) >= 3)
        assert counts == {"sent": 3, "failed": 0}
        left = [(m.status, m.claimed_by, m.lease_until, m.attempts) for m in rows()[3:]]
        assert left == [("pending", None, None, 0)] * 7
        assert send_pending(db.session, gateway) == {"sent": 7, "failed": 0}
        assert sorted(gateway.sent) == sorted(f"m{n}" for n in range(10))


def test_a_sender_short_of_lease_stops_using_it_and_claims_afresh(app, clock):
    # Each send takes 25 s of a 60 s lease: the third would start with less than a third (20 s) left,
    # so the sender hands the rest back and claims them again on a new lease. Each goes out once.
    with app.app_context():
        queue(6)
        gateway = Recorder(on_send=lambda _: clock.shift(25))
        assert send_pending(db.session, gateway, batch=6, lease_seconds=60) == {"sent": 6, "failed": 0}
        assert sorted(gateway.sent) == [f"m{n}" for n in range(6)]
        assert [m.attempts for m in rows()] == [1, 1, 1, 1, 1, 1]


@pytest.mark.skipif(DB_KIND != "postgresql", reason="row locks and SKIP LOCKED are PostgreSQL's")
def test_on_postgresql_a_claim_skips_rows_another_sender_has_locked(app):
    with app.app_context():
        ids = queue(15)
        with db.engine.connect() as other:
            other.begin()
            locked = other.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id).limit(5).with_for_update())
            assert list(locked) == ids[:5]
            db.session.execute(text("SET lock_timeout = '5s'"))  # waiting instead of skipping would fail here
            assert claim_batch(db.session, "b", batch=10, lease_seconds=60)[0] == ids[5:]
            other.rollback()
        assert claim_batch(db.session, "c", batch=10, lease_seconds=60)[0] == ids[:5]
