"""The outbox: messages are written in the same transaction as the change they announce, and a
sender delivers them later (`flask --app portal send-outbox`).

The default sender only writes to the log. A real SMS gateway implements `SmsSender.send` and is
chosen with PORTAL_SMS_SENDER=module:Class.
"""

import importlib
import logging
from typing import Protocol

from sqlalchemy import select, update

from ..models import OutboxMessage, utcnow

log = logging.getLogger("linli.outbox")


class SmsSender(Protocol):
    def send(self, recipient: str, text: str) -> None:
        """Deliver one message or raise an exception saying why not."""


class LogSender:
    """Writes each message to the log instead of sending it. The default, and for development."""

    def send(self, recipient: str, text: str) -> None:
        log.info("SMS to %s: %s", recipient, text)


def load_sender(spec: str | None) -> SmsSender:
    if not spec:
        return LogSender()
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)()


def queue_message(
    session,
    *,
    kind: str,
    text: str,
    recipient: str = "",
    resident=None,
    account=None,
    channel: str = "sms",
    locale: str = "zh_Hans_CN",
) -> OutboxMessage | None:
    """Add a message. Residents without a mobile number get none (their grid worker's call list
    covers them instead), so this returns None for an SMS with no recipient."""
    if channel == "sms" and not recipient:
        return None
    message = OutboxMessage(
        kind=kind,
        text=text,
        recipient=recipient,
        channel=channel,
        locale=locale,
        resident_id=resident.id if resident else None,
        account_id=account.id if account else None,
    )
    session.add(message)
    return message


def send_pending(session, sender: SmsSender, limit: int = 500) -> dict:
    """Deliver pending messages. Each is claimed with a conditional UPDATE (pending -> sending), so two
    senders running at once never send the same message twice; running it again sends nothing new."""
    counts = {"sent": 0, "failed": 0}
    ids = session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.status == "pending").order_by(OutboxMessage.id).limit(limit)
    ).all()
    for message_id in ids:
        claimed = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == "pending")
            .values(status="sending", attempts=OutboxMessage.attempts + 1)
        ).rowcount
        session.commit()
        if not claimed:
            continue
        message = session.get(OutboxMessage, message_id)
        try:
            if message.channel == "sms":
                sender.send(message.recipient, message.text)
            else:
                log.info("Staff notice for account %s: %s", message.account_id, message.text)
        except Exception as error:  # a gateway failure must not stop the others
            message.status, message.error = "failed", str(error)[:500]
            counts["failed"] += 1
        else:
            message.status, message.sent_at = "sent", utcnow()
            counts["sent"] += 1
        session.commit()
    return counts
