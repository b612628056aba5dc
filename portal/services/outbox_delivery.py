"""Delivering the outbox with several senders at once (`flask --app portal send-outbox`), on SQLite and
PostgreSQL, with no message sent twice by healthy senders and none lost when a sender dies.

A sender *claims* a small batch in one statement and commits at once; the claim is a *lease*:

    PostgreSQL: SELECT id FROM outbox_message WHERE <claimable> ORDER BY id LIMIT :batch
                FOR UPDATE SKIP LOCKED;
                UPDATE outbox_message SET status = 'sending', claimed_by = :me, lease_until = :now + lease
                WHERE id IN (:those ids) AND <claimable>;  COMMIT
    SQLite:     UPDATE outbox_message SET ... WHERE id IN (SELECT id ... WHERE <claimable> ... LIMIT :batch)
                AND <claimable> RETURNING id;  COMMIT

where <claimable> is "pending, or 'sending' whose lease has run out". On PostgreSQL the SELECT locks the
rows it picks and skips those another sender is claiming at that moment, so senders neither wait for each
other nor take the same row (a row claimed and committed meanwhile fails <claimable> when it is re-read).
SQLite has no row locks, but it runs one writing statement at a time, so there the conditional UPDATE
is the claim, and a second sender's claim sees the first one's.

The sender then sends each message and marks it sent (or failed) in its own short transaction, only while
it still holds the lease (`WHERE claimed_by = :me AND status = 'sending'`). No transaction stays open
while the gateway is called, so the web app's writes never wait for an SMS gateway.

The guarantee is **at least once**. A sender that dies (SIGKILL, a lost host, the database gone) leaves
its unsent claims behind; when their lease runs out (`lease_seconds`, 60 by default) another sender, or
the next run, takes them again, so nothing is lost. If it died after the gateway accepted a message but
before the "sent" commit, that one message is sent a second time. For reminders and one-time codes that
is the right way round: a senior who gets a reminder twice is mildly annoyed, one who gets none misses
the appointment or cannot sign in, and a repeated code is the same code. At-most-once (mark sent before
calling the gateway) would turn every crash into silent loss. The window for a repeat is one gateway call
per dead sender. A sender stops using a claim when less than a third of its lease is left and hands the
rest back, so a healthy sender never sends on a lease that has run out, provided one gateway call takes
less than a third of the lease (set the gateway's timeout below that). The lease compares the clocks of
the sending hosts (services/clock.py): keep them in sync (NTP); the default lease is far above any skew.
"""

import logging
import os
import secrets
import socket
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update

from ..models import OutboxMessage, Resident
from .clock import utcnow
from .outbox import SmsSender

log = logging.getLogger("linli.outbox")

DEFAULT_BATCH = 10
DEFAULT_LEASE_SECONDS = 60


def new_sender_id() -> str:
    """host:pid:random, so claims in the table say which process holds them."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def claimable(now: datetime):
    """Pending, or being sent by a sender whose lease has run out (no lease: left by an older sender)."""
    lease_over = or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < now)
    return or_(OutboxMessage.status == "pending", and_(OutboxMessage.status == "sending", lease_over))


def claim_batch(session, sender_id: str, *, batch: int, lease_seconds: float) -> tuple[list[int], datetime]:
    """Claim up to `batch` of the oldest claimable messages for `sender_id`, and commit. Returns their ids
    (none only when nothing is claimable) and when the lease runs out."""
    now = utcnow()
    lease_until = now + timedelta(seconds=lease_seconds)
    oldest = select(OutboxMessage.id).where(claimable(now)).order_by(OutboxMessage.id).limit(batch)
    if session.get_bind().dialect.name == "postgresql":
        # Lock the rows first, skipping those another sender is claiming, then update exactly those. (As a
        # subquery of the UPDATE, PostgreSQL may run the locking SELECT more than once and claim far more
        # than `batch` rows.)
        picked = session.scalars(oldest.with_for_update(skip_locked=True)).all()
        if not picked:
            session.commit()
            return [], lease_until
        which = OutboxMessage.id.in_(picked)
    else:
        # SQLite runs one writing statement at a time, so this conditional UPDATE claims atomically.
        which = OutboxMessage.id.in_(oldest.scalar_subquery())
    claim = (
        update(OutboxMessage)
        .where(which, claimable(now))
        .values(status="sending", claimed_by=sender_id, lease_until=lease_until, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    ids = sorted(session.scalars(claim).all())
    session.commit()
    return ids, lease_until


def still_mine(sender_id: str, message_id: int):
    return and_(
        OutboxMessage.id == message_id, OutboxMessage.claimed_by == sender_id, OutboxMessage.status == "sending"
    )


def record_outcome(session, sender_id: str, message_id: int, error: str | None) -> bool:
    """Mark a claimed message sent (or failed) and commit. False when its lease had run out and another
    sender took it meanwhile: then it may have gone out twice, which the log says."""
    values = {"status": "sent", "sent_at": utcnow()} if error is None else {"status": "failed", "error": error[:500]}
    done = session.execute(
        update(OutboxMessage)
        .where(still_mine(sender_id, message_id))
        .values(lease_until=None, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if done and error is None:
        forget_if_removed(session, message_id)
    session.commit()
    if not done:
        log.warning(
            "Outbox message %s: the lease of %s ran out before it was marked; sent twice?", message_id, sender_id
        )
    return bool(done)


def forget_if_removed(session, message_id: int) -> None:
    """A message to a resident who has since been removed (services/removal.py) keeps neither its text
    nor their number once it has gone."""
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.resident_id.in_(select(Resident.id).where(Resident.removed_at.is_not(None))),
        )
        .values(text="", recipient="")
        .execution_options(synchronize_session=False)
    )


def release(session, sender_id: str, message_ids: list[int]) -> None:
    """Hand unsent claims back at once (a sender stopping, or short of lease), rather than at lease end."""
    if not message_ids:
        return
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(message_ids),
            OutboxMessage.claimed_by == sender_id,
            OutboxMessage.status == "sending",
        )
        .values(status="pending", claimed_by=None, lease_until=None, attempts=OutboxMessage.attempts - 1)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def deliver(sender: SmsSender, message) -> str | None:
    """Send one message (a row with channel, recipient, text, account_id); None when it went, else why not."""
    try:
        if message.channel == "sms":
            sender.send(message.recipient, message.text)
        else:
            log.info("Staff notice for account %s: %s", message.account_id, message.text)
    except Exception as error:  # a gateway failure must not stop the others
        return str(error) or type(error).__name__
    return None


def send_batch(session, sender, sender_id, ids, lease_until, lease_seconds, should_stop, counts) -> None:
    fields = (
        OutboxMessage.id,
        OutboxMessage.channel,
        OutboxMessage.recipient,
        OutboxMessage.text,
        OutboxMessage.account_id,
    )
    messages = {row.id: row for row in session.execute(select(*fields).where(OutboxMessage.id.in_(ids)))}
    session.commit()
    stop_using_at = lease_until - timedelta(seconds=lease_seconds / 3)
    for index, message_id in enumerate(ids):
        if should_stop() or utcnow() >= stop_using_at:
            release(session, sender_id, ids[index:])
            return
        error = deliver(sender, messages[message_id])
        if record_outcome(session, sender_id, message_id, error):
            counts["failed" if error else "sent"] += 1


def send_pending(
    session,
    sender: SmsSender,
    *,
    sender_id: str | None = None,
    batch: int = DEFAULT_BATCH,
    lease_seconds: float = DEFAULT_LEASE_SECONDS,
    limit: int | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> dict:
    """Claim and send batches until nothing is claimable (or `limit` messages were tried, or `should_stop`
    says so). Safe to run twice, and from several processes or hosts at once."""
    sender_id = sender_id or new_sender_id()
    counts = {"sent": 0, "failed": 0}
    while not should_stop():
        room = batch if limit is None else min(batch, limit - counts["sent"] - counts["failed"])
        if room <= 0:
            break
        ids, lease_until = claim_batch(session, sender_id, batch=room, lease_seconds=lease_seconds)
        if not ids:
            break
        send_batch(session, sender, sender_id, ids, lease_until, lease_seconds, should_stop, counts)
    return counts


def send_forever(session, sender: SmsSender, *, idle_seconds: float, should_stop, wait, **options) -> dict:
    """`send-outbox --loop`: send what is claimable, wait `idle_seconds` when nothing is (`wait(seconds)`
    returns early when told to stop), until `should_stop`. Returns the totals."""
    options["sender_id"] = options.get("sender_id") or new_sender_id()  # one name for the whole run
    totals = {"sent": 0, "failed": 0}
    while not should_stop():
        counts = send_pending(session, sender, should_stop=should_stop, **options)
        totals = {key: totals[key] + counts[key] for key in totals}
        if not any(counts.values()):
            wait(idle_seconds)
    return totals
