"""Open311 GeoReport v2: how Linli's categories and requests read to a city's systems, and the rules of
the list's filters. No request, g or session here: the blueprint (portal/open311/) parses, calls this
module and writes JSON or XML.

What is public: a category's names and SLA; a request's id (the ticket), category, state, the notes staff
wrote for the resident, its dates, and where it is down to the grid and building. Never a name, phone,
room or the free-text place a resident typed. A resident's own description (and photo) only once staff
marked the request published; until then the description is the category's name.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..models import Category, Community, Grid, Request
from .dates import as_utc_naive
from .inputs import int_in_range
from .lifecycle import CLOSED_STATES, OPEN_STATES, open311_status
from .place_names import place_name
from .tickets import format_ticket, normalise_ticket

WINDOW = timedelta(days=90)
PAGE_SIZE, PAGE_SIZE_MAX, LAST_PAGE = 50, 100, 10_000
IDS_MAX = 100
# The fields of a service (GET services) and of a request (GET requests), in the spec's order.
SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")
ATTRIBUTE_FIELDS = (
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
)
REQUEST_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
GROUP = _l("Community requests")


class Open311Error(Exception):
    """Answered as the spec's list of {code, description}: 400, 403 or 404."""

    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code = code
        self.description = description


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with the 'Z' zone, as the spec asks (stored times are naive UTC)."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def parse_datetime(raw: str, name: str) -> datetime:
    """An ISO 8601 date-time with a zone ('Z' or an offset), or a plain date (its midnight, UTC), as naive UTC."""
    text = (raw or "").strip()
    if not text or len(text) > 40:
        raise Open311Error(400, f"{name} must be an ISO 8601 date-time with a zone, like 2026-01-31T08:00:00Z")
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time())
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            raise Open311Error(400, f"{name} needs a time zone: end it with Z (UTC) or an offset like +08:00")
        return as_utc_naive(moment.astimezone(UTC))
    except (ValueError, OverflowError):
        raise Open311Error(
            400, f"{name} must be an ISO 8601 date-time with a zone, like 2026-01-31T08:00:00Z"
        ) from None


# -- jurisdictions and services ---------------------------------------------------------------------


def jurisdiction(session, raw: str | None) -> Community | None:
    """jurisdiction_id is a community's id (the keys page shows it). None when not given: every community."""
    if raw is None or raw == "":
        return None
    number = int_in_range(raw, 1)
    community = session.get(Community, number) if number and str(number) == raw.strip() else None
    if community is None:
        raise Open311Error(404, "jurisdiction_id not found")
    return community


def active_categories(session) -> list[Category]:
    return list(
        session.scalars(select(Category).where(Category.active.is_(True)).order_by(Category.position, Category.id))
    )


def category_by_code(session, code: str) -> Category | None:
    if not code or len(code) > 40:
        return None
    return session.scalars(select(Category).where(Category.code == code, Category.active.is_(True))).first()


def attributes(category: Category) -> list[dict]:
    """The extra questions the request form asks for this category. Linli's form asks only what GeoReport
    already has fields for (description, building as address_id, photo as media_url), so there are none."""
    return []


def sla_words(category: Category) -> str:
    return str(
        _l(
            "Taken on within %(hours)s hours and resolved within %(days)s days.",
            hours=category.hours_to_accept,
            days=category.days_to_resolve,
        )
    )


def service(category: Category, locale) -> dict:
    return {
        "service_code": category.code,
        "service_name": place_name(category, locale),
        "description": sla_words(category),
        "metadata": bool(attributes(category)),
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys(k for k in (category.code, category.name, category.name_en) if k)),
        "group": str(GROUP),
    }


def service_definition(category: Category) -> dict:
    return {"service_code": category.code, "attributes": attributes(category)}


# -- requests ---------------------------------------------------------------------------------------


@dataclass
class Filters:
    by_id: bool = False
    tickets: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None
    states: tuple[str, ...] = ()
    page: int = 1
    page_size: int = PAGE_SIZE


def parse_filters(args, now: datetime) -> Filters:
    """The query string of GET requests. service_request_id (a comma list) overrides every other filter."""
    found = Filters()
    found.page = number_arg(args, "page", 1, LAST_PAGE, 1)
    found.page_size = number_arg(args, "page_size", 1, PAGE_SIZE_MAX, PAGE_SIZE)
    if args.get("service_request_id"):
        raw_ids = [part for part in args["service_request_id"].split(",") if part.strip()]
        if len(raw_ids) > IDS_MAX:
            raise Open311Error(400, f"Ask for at most {IDS_MAX} service_request_id values at once")
        found.by_id = True
        found.tickets = [t for t in (normalise_ticket(part) for part in raw_ids) if t]
        return found
    found.codes = [c.strip() for c in args.get("service_code", "").split(",") if c.strip()][:IDS_MAX]
    start = parse_datetime(args["start_date"], "start_date") if args.get("start_date") else None
    end = parse_datetime(args["end_date"], "end_date") if args.get("end_date") else None
    if start is None and end is None:
        end = now
    try:
        start = start if start is not None else end - WINDOW
        end = end if end is not None else start + WINDOW
    except OverflowError:
        raise Open311Error(400, "start_date and end_date must be between the years 1 and 9999") from None
    if end < start:
        raise Open311Error(400, "end_date must not be before start_date")
    if end - start > WINDOW:
        raise Open311Error(400, "start_date and end_date may be at most 90 days apart")
    found.start, found.end = start, end
    statuses = [s.strip() for s in args.get("status", "").split(",") if s.strip()]
    if any(s not in ("open", "closed") for s in statuses):
        raise Open311Error(400, "status must be open, closed or both (open,closed)")
    states = ()
    if "open" in statuses:
        states += OPEN_STATES
    if "closed" in statuses:
        states += CLOSED_STATES
    found.states = states
    return found


def number_arg(args, name: str, low: int, high: int, default: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    number = int_in_range(raw, low, high)
    if number is None:
        raise Open311Error(400, f"{name} must be a whole number from {low} to {high}")
    return number


def requests_query(filters: Filters, community: Community | None):
    """The SELECT for one page of requests, newest first, with everything a request shows loaded with it
    (the category, grid, community and building joined; the public notes in one more SELECT per page)."""
    query = select(Request)
    if community is not None:
        query = query.where(Request.community_id == community.id)
    if filters.by_id:
        query = query.where(Request.ticket.in_(filters.tickets))
    else:
        query = query.where(Request.created_at >= filters.start, Request.created_at <= filters.end)
        if filters.codes:
            query = query.join(Category, Request.category_id == Category.id).where(Category.code.in_(filters.codes))
        if filters.states:
            query = query.where(Request.state.in_(filters.states))
    return query.order_by(Request.created_at.desc(), Request.id.desc()).options(*request_loads())


def request_loads() -> tuple:
    return (
        joinedload(Request.category),
        joinedload(Request.grid).joinedload(Grid.community),
        joinedload(Request.building),
        selectinload(Request.events),
    )


def find_request(session, raw_id: str) -> Request | None:
    ticket = normalise_ticket(raw_id)
    if not ticket:
        return None
    return session.scalars(select(Request).where(Request.ticket == ticket).options(*request_loads())).first()


def status_notes(req: Request) -> str:
    notes = [e.note for e in req.events if e.public and e.note]
    return notes[-1] if notes else ""


def address(req: Request, locale) -> str:
    """Where it is, down to the building: never the room, nor the free text a resident typed."""
    parts = [place_name(req.grid.community, locale), place_name(req.grid, locale)]
    if req.building is not None:
        parts.append(place_name(req.building, locale))
    return ", ".join(p for p in parts if p)


def request_item(req: Request, locale, media_url=None) -> dict:
    """One request as GeoReport v2 has it. `media_url(req)` gives the public address of a published photo."""
    community, grid = req.grid.community, req.grid
    return {
        "service_request_id": format_ticket(req.ticket),
        "status": open311_status(req.state),
        "status_notes": status_notes(req),
        "service_name": place_name(req.category, locale),
        "service_code": req.category.code,
        "description": req.description if req.published else place_name(req.category, locale),
        "agency_responsible": f"{place_name(community, locale)}, {place_name(grid, locale)}",
        "service_notice": "",
        "requested_datetime": iso(req.created_at),
        "updated_datetime": iso(req.updated_at),
        "expected_datetime": iso(req.resolve_by),
        "address": address(req, locale),
        "address_id": str(req.building_id) if req.building_id else None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": media_url(req) if media_url and req.published and req.photo_path else None,
    }
