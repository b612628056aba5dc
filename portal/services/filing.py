"""Filing a request: who may file for whom, and one call that gives it a ticket, its deadlines and its
grid worker, starts its timeline and writes the audit event, all in the caller's transaction."""

from sqlalchemy.exc import IntegrityError

from ..models import Request, RequestEvent
from . import tickets
from .audit import record_event
from .permissions import can_handle, can_help, has_role
from .routing import route_request
from .sla import deadlines

DESCRIPTION_MAX = 2000
LOCATION_MAX = 200
TICKET_TRIES = 8


# The three ways into the filing flow (the flow remembers which one it was started in).
ASSISTED, DIRECT, SELF = "assisted", "direct", "self"


def way_in(account, *, assisted: bool) -> str:
    """Where "file a request" starts for the person at the screen: inside an assisted session, for the
    resident being helped; a volunteer outside one must start "Help a resident" first (they act for
    residents only with consent and a reason recorded); a grid worker picks a resident of their grids;
    anyone else files for themselves, once identified."""
    if assisted:
        return ASSISTED
    if has_role(account, "volunteer"):
        return "help_first"
    if has_role(account, "gridworker"):
        return DIRECT
    return SELF


def may_file_for(how: str, resident, *, account, assisted_resident, identified) -> bool:
    """Whether a flow started `how` for `resident` still holds: the same assisted session, the grid
    worker (outside any assisted session) still in scope, or the same identified resident."""
    if how == ASSISTED:
        return assisted_resident is not None and assisted_resident.id == resident.id
    if assisted_resident is not None:
        return False
    if how == DIRECT:
        return has_role(account, "gridworker") and can_help(account, resident)
    return identified is not None and identified.id == resident.id


def may_see_receipt(request, *, account, identified, receipts) -> bool:
    """The receipt shows what was filed: to this browser right after filing (`receipts`), to the
    resident, to the helper who entered it, and to those who handle it."""
    return (
        request.ticket in (receipts or [])
        or (identified is not None and identified.id == request.resident_id)
        or (account is not None and request.entered_by_id == account.id)
        or can_handle(account, request)
    )


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


def file_request(
    session,
    *,
    resident,
    category,
    description: str,
    origin: dict,
    now,
    actor=None,
    building_id: int | None = None,
    location_text: str = "",
    photo_path: str | None = None,
    reason: str = "",
) -> Request:
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
            ticket=tickets.new_ticket(),
            category_id=category.id,
            description=description,
            building_id=building_id,
            location_text=location_text,
            photo_path=photo_path,
            resident_id=resident.id,
            community_id=resident.community_id,
            grid_id=resident.grid_id,
            assignee_id=assignee.id if assignee else None,
            channel=origin["channel"],
            entered_by_id=origin.get("entered_by_id"),
            kiosk_id=origin.get("kiosk_id"),
            state="submitted",
            created_at=now,
            updated_at=now,
            accept_by=accept_by,
            resolve_by=resolve_by,
        )
        try:
            with session.begin_nested():
                session.add(request)
        except IntegrityError:
            continue
        break
    else:
        raise RuntimeError("could not find a free ticket number")
    session.add(
        RequestEvent(
            request_id=request.id,
            at=now,
            actor_id=actor.id if actor else None,
            kind="filed",
            to_state="submitted",
            public=True,
        )
    )
    record_event(
        session,
        "request.file",
        actor=actor,
        resident=resident,
        reason=reason,
        detail=f"ticket={tickets.format_ticket(request.ticket)}; category={category.code}",
        channel=origin["channel"],
        kiosk_id=origin.get("kiosk_id"),
    )
    session.flush()
    return request
