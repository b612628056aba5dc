"""Retention: what is older than the retention period (PORTAL_RETENTION_DAYS, 3 years by default) loses
what identifies a person. `flask --app portal retention-sweep` runs it; it is safe to run daily, and a
second run the same day changes nothing (every UPDATE only touches rows that still hold something).

- audit events: the reason, the detail and whose event it was (who did what, and when, stays);
- closed requests (resolved, closed, referred, cancelled) last changed before the cut-off: the
  description, the location, the photo and the notes of their timeline;
- outbox messages sent or failed before the cut-off: the text and the number;
- corrections and removals decided before the cut-off: the resident's words and the staff's answer;
- one-time codes that ran out before the cut-off, and ended server-side sessions: deleted.

Appointments hold no free text: they stay, with their resident, for the station's figures and history.
Activity sign-ups and notices read hold none either, so they stay too (attendance and read counts): a
sign-up's call-list reason is one of two fixed codes, a helper's reason for signing someone up is on
the audit event (swept above), and a cancelled activity's reason is about the activity, not a person.
A topic settled before the cut-off stays for the neighbours, without its proposer; supports hold no text.
"""

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, or_, select, update

from ..models import (
    AidPost,
    AuditEvent,
    CallOut,
    CallOutReply,
    DataRequest,
    OneTimeCode,
    OutboxMessage,
    Request,
    RequestEvent,
    StoredSession,
    Topic,
)
from .dates import as_utc_naive
from .lifecycle import CLOSED_STATES
from .photos import remove_photo

DEFAULT_DAYS = 3 * 365
QUIET = {"synchronize_session": False}


def cutoff(now: datetime, days: int) -> datetime:
    return as_utc_naive(now) - timedelta(days=days)


def sweep(session, *, now: datetime, days: int = DEFAULT_DAYS, photo_folder: Path | None = None) -> dict:
    """Anonymise what is older than `days` and commit. Returns how many rows of each kind changed."""
    before = cutoff(now, days)
    done = {}
    # The audit log is append-only for the ORM (models/audit.py); retention is one of the two changes allowed.
    done["audit_events"] = session.execute(
        update(AuditEvent)
        .where(
            AuditEvent.at < before,
            or_(AuditEvent.reason != "", AuditEvent.detail != "", AuditEvent.resident_id.is_not(None)),
        )
        .values(reason="", detail="", resident_id=None)
        .execution_options(**QUIET)
    ).rowcount
    old_closed = (Request.state.in_(CLOSED_STATES), Request.updated_at < before)
    if photo_folder is not None:
        for name in session.scalars(select(Request.photo_path).where(*old_closed, Request.photo_path.is_not(None))):
            remove_photo(photo_folder, name)
    done["requests"] = session.execute(
        update(Request)
        .where(
            *old_closed,
            or_(Request.description != "", Request.location_text != "", Request.photo_path.is_not(None)),
        )
        .values(description="", location_text="", photo_path=None)
        .execution_options(**QUIET)
    ).rowcount
    done["request_notes"] = session.execute(
        update(RequestEvent)
        .where(RequestEvent.request_id.in_(select(Request.id).where(*old_closed)), RequestEvent.note != "")
        .values(note="")
        .execution_options(**QUIET)
    ).rowcount
    done["messages"] = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status.in_(("sent", "failed")),
            OutboxMessage.created_at < before,
            or_(OutboxMessage.text != "", OutboxMessage.recipient != ""),
        )
        .values(text="", recipient="")
        .execution_options(**QUIET)
    ).rowcount
    done["asks"] = session.execute(
        update(DataRequest)
        .where(
            DataRequest.decided_at < before,
            or_(DataRequest.what_is_wrong != "", DataRequest.should_be != "", DataRequest.outcome_note != ""),
        )
        .values(what_is_wrong="", should_be="", outcome_note="")
        .execution_options(**QUIET)
    ).rowcount
    # Topics and meetings (议事会): a topic settled (decided, closed or hidden) before the cut-off keeps its
    # words and counts for the neighbours, but no longer says who proposed it.
    done["topics"] = session.execute(
        update(Topic)
        .where(
            Topic.state.in_(("decided", "closed", "hidden")),
            func.coalesce(Topic.decided_at, Topic.moderated_at, Topic.created_at) < before,
            Topic.resident_id.is_not(None),
        )
        .values(resident_id=None)
        .execution_options(**QUIET)
    ).rowcount
    # Volunteer register (活地图): call-outs sent before the cut-off go, with who was asked and what they
    # answered; the entries themselves stay while the volunteer keeps them (they leave when they want).
    old_callouts = select(CallOut.id).where(CallOut.created_at < before)
    session.execute(delete(CallOutReply).where(CallOutReply.callout_id.in_(old_callouts)).execution_options(**QUIET))
    done["callouts"] = session.execute(
        delete(CallOut).where(CallOut.created_at < before).execution_options(**QUIET)
    ).rowcount
    # Mutual aid (邻里互助): a post settled (done, closed, hidden or expired) before the cut-off no longer says
    # who posted it, and the words the grid worker agreed for its matches are cleared.
    settled = ("done", "closed", "hidden", "expired")
    done["aid_posts"] = session.execute(
        update(AidPost)
        .where(
            AidPost.state.in_(settled),
            func.coalesce(AidPost.done_at, AidPost.closed_at, AidPost.moderated_at, AidPost.created_at) < before,
            AidPost.resident_id.is_not(None),
        )
        .values(resident_id=None)
        .execution_options(**QUIET)
    ).rowcount
    done["codes"] = session.execute(
        delete(OneTimeCode).where(OneTimeCode.expires_at < before).execution_options(**QUIET)
    ).rowcount
    done["sessions"] = session.execute(
        delete(StoredSession).where(StoredSession.expiry < as_utc_naive(now)).execution_options(**QUIET)
    ).rowcount
    session.commit()
    return done
