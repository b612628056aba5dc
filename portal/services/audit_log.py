"""Reading the audit log: filters by resident, account and date, each role within its own scope, and
the same rows as CSV. Writing it is services/audit.py."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from ..models import Account, AuditEvent, Resident
from .dates import csv_stamp
from .masking import mask_name
from .permissions import scope_accounts, sees_every_community

PAGE_SIZE = 50
# Spreadsheet programs run a cell that starts with these as a formula; a leading quote stops that.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def scoped_accounts(session, account) -> list[Account]:
    """The accounts whose actions this staff member or admin may filter by."""
    return list(session.scalars(scope_accounts(select(Account), account).order_by(Account.display_name)))


def events_query(
    account,
    *,
    resident_id: int | None = None,
    actor_id: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
):
    """Audit events newest first. Staff see events about residents of their community and events by
    accounts of their community; admins see everything."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if not sees_every_community(account):
        subject, actor = aliased(Resident), aliased(Account)
        query = (
            query.outerjoin(subject, subject.id == AuditEvent.resident_id)
            .outerjoin(actor, actor.id == AuditEvent.actor_id)
            .where(or_(subject.community_id == account.community_id, actor.community_id == account.community_id))
        )
    if resident_id is not None:
        query = query.where(AuditEvent.resident_id == resident_id)
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    if start is not None:
        query = query.where(AuditEvent.at >= start)
    if end is not None:
        query = query.where(AuditEvent.at < end)
    return query


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def events_csv(events, headers: list[str], tz: ZoneInfo) -> str:
    """CSV text (with a BOM, so spreadsheet programs read the Chinese correctly). Names stay masked."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(headers)
    for event in events:
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    csv_stamp(event.at, tz),
                    event.actor.username if event.actor else "",
                    event.actor.role if event.actor else "",
                    event.resident.number if event.resident else "",
                    mask_name(event.resident.name) if event.resident else "",
                    event.action,
                    event.reason,
                    event.detail,
                    event.channel,
                    event.kiosk_id or "",
                )
            ]
        )
    return out.getvalue()
