"""Several outbox senders at once, as separate `flask --app portal send-outbox` processes, on SQLite and
PostgreSQL: four over 500 messages, each message reaching the gateway exactly once; and when one of three
is killed (SIGKILL) in the middle of a send, the others take its claimed messages once its lease runs
out, so none is lost and none goes out twice."""

import signal
import time

import pytest

from portal.extensions import db
from portal.models import OutboxMessage
from portal.services.outbox import queue_message

from tests.support.outbox_senders import SenderProcesses, poll

MESSAGES = 500
KILL_TEST_MESSAGES = 200  # enough for the loopers to be busy when the doomed one dies; keeps the file < 40 s
# Seconds: short, so the killed sender's claims come free within the test, yet long enough that they are still
# held when the test looks, after the loopers have started and sent a dozen. With 4 s, CI23 (both runs side
# by side on two cores) looked too late once: the loopers had already taken them back.
LEASE = 8


def queue(app, count: int) -> set[str]:
    with app.app_context():
        for number in range(count):
            queue_message(db.session, kind="test", text=f"message {number:03d}", recipient=f"139{number:08d}")
        db.session.commit()
    return {f"message {number:03d}" for number in range(count)}


@pytest.fixture
def senders(tmp_path, database_url):
    processes = SenderProcesses(tmp_path, database_url)
    yield processes
    processes.stop_all()


def outbox_rows(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return rows


def sent_count(app) -> int:
    with app.app_context():
        try:
            return db.session.scalar(db.select(db.func.count()).where(OutboxMessage.status == "sent"))
        finally:
            db.session.remove()


def test_four_senders_at_once_send_each_message_exactly_once(app, senders):
    queued = queue(app, MESSAGES)
    started = time.perf_counter()
    workers = [senders.add("--batch", "10", delay=0.003) for _ in range(4)]
    senders.launch()
    senders.open_gate()
    gate_opened = time.perf_counter()
    for worker in workers:
        assert senders.exit_code(worker) == 0, senders.outputs()
    elapsed, sending = time.perf_counter() - started, time.perf_counter() - gate_opened

    times = senders.times_sent()
    assert set(times) == queued and max(times.values()) == 1, "every message once, none twice"
    said = [int(line.split()[1].rstrip(",")) for line in senders.outputs().splitlines() if line.startswith("Sent ")]
    assert sum(said) == MESSAGES and len(said) == 4
    rows = outbox_rows(app)
    assert {row.status for row in rows} == {"sent"} and {row.attempts for row in rows} == {1}
    by_sender = {}
    for row in rows:
        by_sender[row.claimed_by] = by_sender.get(row.claimed_by, 0) + 1
    assert len(by_sender) >= 2, f"the senders shared the work: {by_sender}"
    print(
        f"\n{MESSAGES} messages, 4 senders, {elapsed:.1f} s ({sending:.1f} s after all were up), each sent: {sorted(by_sender.values())}, duplicates 0"
    )


def test_a_sender_killed_in_the_middle_of_a_send_loses_nothing_and_repeats_nothing(app, senders):
    queued = queue(app, KILL_TEST_MESSAGES)
    # The doomed sender stalls inside its third send, before the gateway has taken the message, holding a
    # claimed batch of ten; then two others start in --loop mode, and the doomed one is killed while they
    # send.
    lease = ("--lease-seconds", str(LEASE))
    doomed = senders.add("--batch", "10", "--sender-id", "doomed", *lease, stall_at=3, gate="first")
    loopers = [senders.add("--loop", "--idle-seconds", "0.2", *lease, delay=0.003, gate="then") for _ in range(2)]
    senders.launch()
    senders.open_gate("first")
    stalled_on = senders.wait_for_stall()
    senders.open_gate("then")
    poll(lambda: len(senders.sent()) > 2 + 10, "the loopers to be sending")
    senders.signal(doomed, signal.SIGKILL)
    assert senders.exit_code(doomed) == -signal.SIGKILL

    held = [row for row in outbox_rows(app) if row.claimed_by == "doomed" and row.status == "sending"]
    assert stalled_on in {row.text for row in held}, "the killed sender still holds its claim, lease unexpired"

    for _ in range(300):  # the loopers take the held messages once the lease has run out (~8 s)
        if sent_count(app) == KILL_TEST_MESSAGES:
            break
        time.sleep(0.1)
    for looper in loopers:
        senders.signal(looper, signal.SIGTERM)
    for looper in loopers:
        assert senders.exit_code(looper) == 0, senders.outputs()

    times = senders.times_sent()
    duplicates = sum(count - 1 for count in times.values())
    assert set(times) == queued, f"lost: {sorted(queued - set(times))[:10]}"
    assert duplicates == 0
    rows = {row.text: row for row in outbox_rows(app)}
    assert {row.status for row in rows.values()} == {"sent"}
    assert [pid for pid, text in senders.sent() if text == stalled_on] in [[senders.pids[i]] for i in loopers]
    for row in held:  # claimed twice (the dead sender, then a looper), sent once
        assert rows[row.text].attempts == 2 and rows[row.text].claimed_by != "doomed"
    print(
        f"\n{KILL_TEST_MESSAGES} messages, 3 senders (1 killed holding {len(held)}), "
        f"sent {len(times)}, duplicates {duplicates}, lost {len(queued - set(times))}"
    )
