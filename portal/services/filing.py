"""Filing a request: one call that gives it a ticket, its deadlines and its grid worker, starts its
timeline and writes the audit event, all in the caller's transaction."""
from sqlalchemy.exc import IntegrityError

from ..models import Request, RequestEvent
from . import tickets
from .audit import record_event
from .routing import route_request
from .sla import deadlines

DESCRIPTION_MAX = 2000
LOCATION_MAX = 200
TICKET_TRIES = 8


class FilingError(ValueError):
    """code: description_missing, description_too_long, location_too_long."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def check_description(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise FilingError("description_missing")
    if len(text) > DESCRIPTION_MAX:
        raise FilingError("description_too_long")
    return text


def file_request(session, *, resident, category, description: str, origin: dict, now, actor=None,
                 building_id: int | None = None, location_text: str = "", photo_path: str | None = None,
                 reason: str = "") -> Request:
    """Create the request for `resident`. `origin` is record_origin()'s dict; `actor` the helper, if any.

    The ticket is random; the unique constraint decides, and a clash (rare) simply draws again inside
    a savepoint, so nothing else in the transaction is lost.
    """
    description = check_description(description)
    location_text = (location_text or "").strip()
    if len(location_text) > LOCATION_MAX:
        raise FilingError("location_too_long")
    accept_by, resolve_by = deadlines(now, category)
    assignee = route_request(session, resident)
    for _ in range(TICKET_TRIES):
        request = Request(
            ticket=tickets.new_ticket(), category_id=category.id, description=description,
            building_id=building_id, location_text=location_text, photo_path=photo_path,
            resident_id=resident.id, community_id=resident.community_id, grid_id=resident.grid_id,
            assignee_id=assignee.id if assignee else None, channel=origin["channel"],
            entered_by_id=origin.get("entered_by_id"), kiosk_id=origin.get("kiosk_id"), state="submitted",
            created_at=now, updated_at=now, accept_by=accept_by, resolve_by=resolve_by)
        try:
            with session.begin_nested():
                session.add(request)
        except IntegrityError:
            continue
        break
    else:
        raise RuntimeError("could not find a free ticket number")
    session.add(RequestEvent(request_id=request.id, at=now, actor_id=actor.id if actor else None, kind="filed",
                             to_state="submitted", public=True))
    record_event(session, "request.file", actor=actor, resident=resident, reason=reason,
                 detail=f"ticket={tickets.format_ticket(request.ticket)}; category={category.code}",
                 channel=origin["channel"], kiosk_id=origin.get("kiosk_id"))
    session.flush()
    return request
