"""The GeoReport v2 endpoints: services, a service's definition, requests (the list, one, and filing
with a partner's key) and a published photo. Every answer is JSON or XML as the address ends, and every
refusal is the spec's error list in that format."""

from flask import abort, current_app, request, send_from_directory, url_for
from flask_babel import get_locale

from ..extensions import csrf, db, limiter
from ..requests.filing import upload_folder
from ..services import clock
from ..services.open311 import (
    Open311Error,
    active_categories,
    category_by_code,
    find_request,
    jurisdiction,
    parse_filters,
    request_item,
    requests_query,
    service,
    service_definition,
)
from ..services.open311_filing import file_from_partner
from ..services.paging import fetch_page
from ..services.partner_keys import key_for, limit_key
from ..services.tickets import format_ticket, normalise_ticket
from . import bp
from .formats import answer, error_answer

FMT = "<any(json, xml):fmt>"


def lookup_limit() -> str:
    return current_app.config["PORTAL_LOOKUP_RATE_LIMIT"]


def read_limit() -> str:
    return current_app.config["PORTAL_OPEN311_READ_RATE_LIMIT"]


def key_limit() -> str:
    return current_app.config["PORTAL_OPEN311_KEY_RATE_LIMIT"]


def presented_key() -> str:
    return request.form.get("api_key") or request.args.get("api_key") or ""


def by_key() -> str:
    """Filing is counted per key (its hash), so one partner cannot use up another's allowance."""
    return limit_key(presented_key(), request.remote_addr or "unknown")


def fmt_of_request() -> str:
    return (request.view_args or {}).get("fmt", "json")


@bp.errorhandler(Open311Error)
def refused(error: Open311Error):
    return error_answer(error, fmt_of_request())


@bp.errorhandler(429)
def too_many(_error):
    return error_answer(Open311Error(429, "Too many requests: wait a minute and try again"), fmt_of_request())


def media_url(req) -> str:
    return url_for("open311.media", ticket=req.ticket, _external=True)


@bp.route(f"/open311/v2/services.{FMT}")
@limiter.limit(read_limit)
def services(fmt):
    jurisdiction(db.session, request.args.get("jurisdiction_id"))
    locale = get_locale()
    return answer("services", [service(c, locale) for c in active_categories(db.session)], fmt)


@bp.route(f"/open311/v2/services/<code>.{FMT}")
@limiter.limit(read_limit)
def service_one(code, fmt):
    jurisdiction(db.session, request.args.get("jurisdiction_id"))
    category = category_by_code(db.session, code)
    if category is None:
        raise Open311Error(404, "service_code not found")
    return answer("service_definition", service_definition(category), fmt)


@bp.route(f"/open311/v2/requests.{FMT}")
@limiter.limit(read_limit)
def requests_list(fmt):
    community = jurisdiction(db.session, request.args.get("jurisdiction_id"))
    filters = parse_filters(request.args, clock.utcnow())
    page = fetch_page(db.session, requests_query(filters, community), filters.page, filters.page_size)
    locale = get_locale()
    return answer("requests", [request_item(r, locale, media_url) for r in page.items], fmt)


@bp.route(f"/open311/v2/requests/<ticket>.{FMT}")
@limiter.limit(lookup_limit)
def request_one(ticket, fmt):
    community = jurisdiction(db.session, request.args.get("jurisdiction_id"))
    req = find_request(db.session, ticket)
    if req is None or (community is not None and req.community_id != community.id):
        raise Open311Error(404, "No service request with that service_request_id")
    return answer("requests", [request_item(req, get_locale(), media_url)], fmt)


@bp.route(f"/open311/v2/requests.{FMT}", methods=["POST"])
@csrf.exempt
@limiter.limit(key_limit, key_func=by_key)
def requests_file(fmt):
    """Filing by a partner's system. It is an API with a key of its own, so it alone is exempt from CSRF:
    no browser session can file here, since no cookie is read to decide who is filing."""
    key = key_for(db.session, presented_key())
    if key is None:
        raise Open311Error(403, "api_key is missing, unknown or revoked")
    filed = file_from_partner(db.session, key, request.form, clock.utcnow())
    db.session.commit()
    body = [{"service_request_id": format_ticket(filed.ticket), "service_notice": "", "account_id": None}]
    response = answer("requests", body, fmt, 201)
    response.headers["Location"] = url_for("open311.request_one", ticket=filed.ticket, fmt=fmt, _external=True)
    return response


@bp.route("/open311/v2/media/<ticket>")
@limiter.limit(read_limit)
def media(ticket):
    """The photo of a request staff published; nothing for any other."""
    req = find_request(db.session, ticket)
    if req is None or not req.published or not req.photo_path or normalise_ticket(ticket) != ticket:
        abort(404)
    return send_from_directory(upload_folder(), req.photo_path, max_age=300)
