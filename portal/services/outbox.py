"""The outbox: messages are written in the same transaction as the change they announce, and a
sender delivers them later (`flask --app portal send-outbox`, services/outbox_delivery.py: several
senders at once, each message claimed on a lease).

The default sender only writes to the log. A real SMS gateway implements `SmsSender.send` and is
chosen with PORTAL_SMS_SENDER=module:Class.
"""

import importlib
import logging
from typing import Protocol

from ..models import OutboxMessage

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
