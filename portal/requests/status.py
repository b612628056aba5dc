"""Checking a request by its ticket number: a resident-safe page (the same as Open311 GeoReport v2 gives,
in portal/open311/).

Anyone with the number may look, so these pages show no personal data: no name, phone, address or
description, only the kind of request, its state, the plain notes written for the resident and the
expected date. Lookups are rate-limited, so numbers cannot be tried in bulk.
"""

from flask import abort, current_app, g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from ..extensions import db, limiter
from ..identify import current_resident
from ..models import Grid, Request, RequestEvent, utcnow
from ..page_cache import public_page
from ..pages import render_page
from ..services.audit import record_event
from ..services.lifecycle import TransitionRefused, allowed_next, transition
from ..services.sla import due_at, time_left_words
from ..services.tickets import format_ticket, normalise_ticket
from . import bp


def lookup_limit() -> str:
    """Looking requests up by ticket, per client address (PORTAL_LOOKUP_RATE_LIMIT)."""
    return current_app.config["PORTAL_LOOKUP_RATE_LIMIT"]


# Built once, with the ticket as a bound parameter.
BY_TICKET = (
    select(Request)
    .where(Request.ticket == bindparam("ticket"))
    .options(joinedload(Request.category), joinedload(Request.grid).joinedload(Grid.community))
)


def find(ticket: str) -> Request | None:
    ticket = normalise_ticket(ticket)
    if not ticket:
        return None
    return db.session.scalars(BY_TICKET, {"ticket": ticket}).first()


def public_events(req: Request) -> list[RequestEvent]:
    return [e for e in req.events if e.public]


def may_cancel(req: Request) -> bool:
    resident = current_resident()
    return resident is not None and resident.id == req.resident_id and "cancelled" in allowed_next(req.state)


@bp.route("/requests/status")
@limiter.limit(lookup_limit, exempt_when=lambda: "ticket" not in request.args)
@public_page
def status_form():
    typed = request.args.get("ticket", "")
    errors = {}
    if "ticket" in request.args:
        if not typed.strip():
            errors["ticket"] = _("Enter the request number from your receipt")
        else:
            req = find(typed)
            if req is not None:
                return redirect(url_for("requests.status_page", ticket=req.ticket), code=303)
            errors["ticket"] = _(
                "We cannot find a request with that number. Check it against your receipt: "
                "it has 8 letters and numbers, like K7MX-3PQA."
            )
    return render_page("requests/status_form.html", typed=typed, form_errors=errors, **own_requests())


# A resident's ten latest requests; built once, with the resident as a bound parameter.
OWN_REQUESTS = (
    select(Request).where(Request.resident_id == bindparam("resident_id")).order_by(Request.created_at.desc()).limit(10)
)


def own_requests() -> dict:
    """An identified resident (or the one a helper is with) picks from their own requests instead of
    typing a number: at a kiosk there is no keyboard for letters. A resident who has not said who they
    are yet is offered the identification page (the kiosk's keypad, at a kiosk)."""
    resident = current_resident()
    if resident is None:
        offer = g.get("account") is None
        return {
            "mine": [],
            "identify_url": url_for("identify.start", next=url_for("requests.status_form")) if offer else None,
        }
    mine = db.session.scalars(OWN_REQUESTS, {"resident_id": resident.id}).all()
    return {"mine": mine, "identify_url": None}


@bp.route("/requests/status/<ticket>")
@limiter.limit(lookup_limit)
@public_page
def status_page(ticket):
    req = find(ticket)
    if req is None:
        errors = {
            "ticket": _(
                "We cannot find a request with that number. Check it against your receipt: "
                "it has 8 letters and numbers, like K7MX-3PQA."
            )
        }
        return render_page("requests/status_form.html", typed=ticket, form_errors=errors, status=404)
    if req.ticket != ticket:
        return redirect(url_for("requests.status_page", ticket=req.ticket), code=301)
    now = utcnow()
    due = due_at(req)
    return render_page(
        "requests/status.html",
        req=req,
        events=public_events(req),
        may_cancel=may_cancel(req),
        due_words=time_left_words(due, now) if due else "",
        errors={},
    )


@bp.route("/requests/status/<ticket>/cancel", methods=["GET", "POST"])
@limiter.limit(lookup_limit, methods=["POST"])
def cancel(ticket):
    """Cancelling asks once more (a slip of the finger should not undo a request), then cancels."""
    req = find(ticket)
    if req is None or not may_cancel(req):
        abort(404)
    if request.method == "GET":
        return render_page("requests/cancel.html", req=req)
    assisted = g.get("assisted")
    try:
        transition(db.session, req, "cancelled", actor=assisted.helper if assisted else None, now=utcnow())
    except TransitionRefused:
        db.session.rollback()
        return redirect(url_for("requests.status_page", ticket=req.ticket), code=303)
    record_event(
        db.session,
        "request.cancel",
        actor=assisted.helper if assisted else None,
        resident=req.resident,
        reason=assisted.reason if assisted else "",
        detail=f"ticket={format_ticket(req.ticket)}",
        channel=assisted.helper.role if assisted else (g.account.role if g.get("account") else "online"),
    )
    db.session.commit()
    return redirect(url_for("requests.status_page", ticket=req.ticket), code=303)
