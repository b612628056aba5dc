"""The record kinds Linli keeps today: appointments, requests with their timeline, cards, who saw the
full phone number, everything done for or about the resident, messages sent, and their own asks.
Activity sign-ups (activities/records.py) and notices read (notices/records.py) register theirs the
same way in their own capability, as posts and ballots will (see records.py)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..display import clock as clock_text
from ..display import full_date, place_name, when
from ..health.words import booking_channel_label, status_label
from ..models import AuditEvent, Booking, DataRequest, OutboxMessage, Request, Service
from ..requests.words import REQUEST_CHANNEL_LABELS, state_label
from ..services.audit_actions import action_label
from ..services.tickets import format_ticket
from .records import RecordKind, record_kind
from .words import ask_state_label, field_label

PHONE_VIEWS = ("phone.view", "resident.contact_view")


def who(account) -> str:
    return account.display_name if account is not None else ""


def origin_text(row, labels=None) -> str:
    """'Volunteer (王芳)': the channel and, when an account entered it, whose."""
    channel = str(labels.get(row.channel, row.channel)) if labels else booking_channel_label(row.channel)
    name = who(getattr(row, "entered_by", None))
    return f"{channel} ({name})" if name else channel


# -- appointments -------------------------------------------------------------------------------
record_kind(
    RecordKind(
        key="bookings",
        title=_l("Health appointments"),
        position=10,
        query=lambda r: (
            select(Booking)
            .where(Booking.resident_id == r.id)
            .order_by(Booking.day.desc(), Booking.id.desc())
            .options(
                joinedload(Booking.slot),
                joinedload(Booking.service).joinedload(Service.station),
                joinedload(Booking.entered_by),
            )
        ),
        export=lambda b: {
            "reference": b.reference,
            "station": b.service.station.name,
            "service": b.service.name,
            "starts_at": b.slot.starts_at,
            "queue_number": b.queue_number,
            "status": b.status,
            "walk_in": b.walk_in,
            "channel": b.channel,
            "entered_by": who(b.entered_by),
            "kiosk_id": b.kiosk_id,
            "booked_at": b.created_at,
            "checked_in_at": b.checked_in_at,
            "cancelled_at": b.cancelled_at,
        },
        show=lambda b: [
            (_("Appointment"), f"{place_name(b.service)}, {place_name(b.service.station)}"),
            (_("When"), f"{full_date(b.slot.day)} {clock_text(b.slot.starts_at)}"),
            (_("Status"), status_label(b.status)),
            (_("Booked by"), origin_text(b)),
            (_("Booked on"), when(b.created_at)),
        ],
    )
)


# -- requests, with their timeline --------------------------------------------------------------
def timeline(req: Request) -> list[str]:
    lines = []
    for event in req.events:
        if event.kind == "filed":
            lines.append(_("%(when)s: sent in", when=when(event.at)))
        elif event.kind == "state" and event.to_state:
            line = _("%(when)s: %(state)s", when=when(event.at), state=state_label(event.to_state))
            lines.append(f"{line}. {event.note}" if event.public and event.note else line)
    return lines


record_kind(
    RecordKind(
        key="requests",
        title=_l("Requests you sent in"),
        position=20,
        query=lambda r: (
            select(Request)
            .where(Request.resident_id == r.id)
            .order_by(Request.created_at.desc(), Request.id.desc())
            .options(
                joinedload(Request.category),
                joinedload(Request.entered_by),
                selectinload(Request.events),
            )
        ),
        export=lambda q: {
            "ticket": format_ticket(q.ticket),
            "category": q.category.name,
            "description": q.description,
            "location": q.location_text,
            "has_photo": bool(q.photo_path),
            "state": q.state,
            "channel": q.channel,
            "entered_by": who(q.entered_by),
            "kiosk_id": q.kiosk_id,
            "filed_at": q.created_at,
            "timeline": [
                {"at": e.at, "kind": e.kind, "to_state": e.to_state, "note": e.note if e.public else ""}
                for e in q.events
                if e.kind in ("filed", "state")
            ],
        },
        show=lambda q: [
            (_("Ticket"), format_ticket(q.ticket)),
            (_("Category"), place_name(q.category)),
            (_("What you told us"), q.description),
            (_("Status"), state_label(q.state)),
            (_("Sent in by"), origin_text(q, REQUEST_CHANNEL_LABELS)),
            (_("What happened"), timeline(q)),
        ],
    )
)


# -- the audit log: cards, phone views, everything done ------------------------------------------
def audit_query(resident, actions=None):
    query = select(AuditEvent).where(AuditEvent.resident_id == resident.id)
    if actions is not None:
        query = query.where(AuditEvent.action.in_(actions))
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).options(joinedload(AuditEvent.actor))


def audit_export(event: AuditEvent) -> dict:
    return {
        "at": event.at,
        "action": event.action,
        "what": action_label(event.action),
        "by": who(event.actor),
        "channel": event.channel,
        "reason": event.reason,
        "kiosk_id": event.kiosk_id,
    }


def audit_show(event: AuditEvent) -> list:
    rows = [(_("When"), when(event.at)), (_("What"), action_label(event.action))]
    if event.actor is not None:
        rows.append((_("Who"), f"{event.actor.display_name} ({booking_channel_label(event.channel)})"))
    if event.reason:
        rows.append((_("Why"), event.reason))
    return rows


record_kind(
    RecordKind(
        key="cards",
        title=_l("Resident cards issued"),
        position=30,
        query=lambda r: audit_query(r, ("card.reissue",)),
        export=audit_export,
        show=audit_show,
    )
)
record_kind(
    RecordKind(
        key="phone_views",
        title=_l("Who saw your full phone number"),
        position=40,
        query=lambda r: audit_query(r, PHONE_VIEWS),
        export=audit_export,
        show=audit_show,
    )
)
record_kind(
    RecordKind(
        key="audit",
        title=_l("Everything done for you or about you"),
        position=50,
        query=audit_query,
        export=audit_export,
        show=audit_show,
    )
)


# -- messages and their own asks ------------------------------------------------------------------
record_kind(
    RecordKind(
        key="messages",
        title=_l("Text messages we sent you"),
        position=60,
        query=lambda r: (
            select(OutboxMessage)
            .where(OutboxMessage.resident_id == r.id)
            .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        ),
        export=lambda m: {"at": m.created_at, "kind": m.kind, "text": m.text, "status": m.status},
        show=lambda m: [(_("When"), when(m.created_at)), (_("Message"), m.text)],
    )
)


def ask_show(ask: DataRequest) -> list:
    rows = [
        (_("Asked on"), when(ask.created_at)),
        (_("What you asked"), field_label(ask) if ask.kind == "correction" else _("To be removed")),
    ]
    if ask.what_is_wrong:
        rows.append((_("What is wrong"), ask.what_is_wrong))
    if ask.should_be:
        rows.append((_("What it should be"), ask.should_be))
    rows.append((_("Outcome"), ask_state_label(ask.state)))
    if ask.outcome_note:
        rows.append((_("Why"), ask.outcome_note))
    return rows


record_kind(
    RecordKind(
        key="data_requests",
        title=_l("Corrections and removal you asked for"),
        position=5,
        query=lambda r: (
            select(DataRequest)
            .where(DataRequest.resident_id == r.id)
            .order_by(DataRequest.created_at.desc(), DataRequest.id.desc())
        ),
        export=lambda a: {
            "kind": a.kind,
            "field": a.field,
            "what_is_wrong": a.what_is_wrong,
            "should_be": a.should_be,
            "state": a.state,
            "outcome_note": a.outcome_note,
            "asked_at": a.created_at,
            "decided_at": a.decided_at,
            "channel": a.channel,
        },
        show=ask_show,
    )
)
