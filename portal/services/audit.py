"""Writing the audit log. Every action on a resident's behalf, every view of an unmasked phone
number and every card reissue calls record_event() in the same transaction as the action itself."""

from ..models import AuditEvent
from .audit_actions import check_action


def record_event(
    session,
    action: str,
    *,
    actor=None,
    resident=None,
    resident_id: int | None = None,
    reason: str = "",
    detail: str = "",
    channel: str = "",
    kiosk_id: int | None = None,
) -> AuditEvent:
    # `detail` is "key=value; key=value" with stable codes (ticket=K7MX-3PQA; identity=card), so the
    # viewer can put it in words in either language and the CSV stays machine-readable.
    event = AuditEvent(
        action=check_action(action),
        actor_id=actor.id if actor else None,
        resident_id=resident.id if resident else resident_id,
        reason=reason,
        detail=detail,
        channel=channel,
        kiosk_id=kiosk_id,
    )
    session.add(event)
    return event


def detail_parts(detail: str | None) -> list[tuple[str, bool, str]]:
    """An event's `detail` read back: (key, whether it had "=", value) for each "key=value" part."""
    parts = []
    for part in (detail or "").split(";"):
        key, sep, value = part.strip().partition("=")
        parts.append((key, bool(sep), value))
    return parts
