"""The audit log for seed-scale. Every step the other parts write (a registration by a helper, a request
filed, a booking made, checked in or missed, a reminder call, a helper's session) leaves a candidate
event with the codes and details the real code writes (services/audit.py callers). The log keeps the
newest `figures.audit_events` of them, as if it had been switched on that long ago, and they are
inserted oldest first: the log is append-only, so ids grow with time as they do in the running app."""

from ..models import AuditEvent
from ..services.audit_actions import check_action
from .bulk import BATCH

FIELDS = ("at", "action", "actor_id", "resident_id", "reason", "detail", "channel", "kiosk_id")


class AuditCandidates:
    def __init__(self):
        self.rows: list[tuple] = []

    def add(self, at, action, *, actor_id=None, resident_id=None, reason="", detail="", channel="", kiosk_id=None):
        self.rows.append((at, action, actor_id, resident_id, reason, detail, channel, kiosk_id))

    def write(self, loader, keep: int, now) -> int:
        """Insert the newest `keep` events up to `now`; returns how many were written."""
        for action in {row[1] for row in self.rows}:
            check_action(action)  # an unknown code would reach the audit page raw
        rows = [row for row in self.rows if row[0] <= now]
        rows.sort(key=lambda row: row[0])
        rows = rows[-keep:] if keep else []
        loader.bar("audit_event", len(rows))
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            loader.insert(AuditEvent.__table__, [dict(zip(FIELDS, row, strict=True)) for row in chunk], background=True)
        self.rows = []
        return len(rows)
