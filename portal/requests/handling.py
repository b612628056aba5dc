"""Working on requests: the grid worker's queue, the staff queue and overdue view, and a request's
own page with the lifecycle buttons, reassignment, the photo and the audited "show full number"."""

from functools import cache
from types import SimpleNamespace

from flask import abort, g, redirect, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth.guards import require_role
from ..auth.loaders import request_or_404
from ..display import locale
from ..extensions import db
from ..models import Account, Building, Category, Grid, Request, Resident, utcnow
from ..pages import addresses, render_page
from ..services.audit import record_event
from ..services.dates import is_english
from ..services.inputs import TEXT_MAX, int_in_range, text_problem
from ..services.lifecycle import OPEN_STATES, TransitionRefused, allowed_next, transition
from ..services.masking import mask_name
from ..services.paging import count_rows, fetch_page_by_id, page_number
from ..services.permissions import HANDLER_ROLES, STAFF_ROLES, can_handle, community_scope, has_role, scope_requests
from ..services.place_names import joined_name, name_columns
from ..services.routing import RoutingError, assignable_accounts, reassign
from ..services.sla import (
    due_at,
    escalate_overdue,
    is_overdue,
    left_words,
    overdue_clause,
    queue_order,
    time_left,
    time_left_words,
)
from ..services.tickets import format_ticket
from . import bp
from .filing import upload_folder
from .words import STATE_FILTERS, state_label

TRANSITION_MESSAGES = {
    "illegal": _l("That step is not possible from the request's current state."),
    "note_required": _l("Write a note for this step: say which body it was referred to, or why it is reopened."),
    "changed": _l("Someone else changed this request a moment ago. Check its state below and try again."),
}
ROUTING_MESSAGES = {
    "reason_required": _l("Say why you are handing it on"),
    "not_a_grid_worker": _l("Choose a grid worker of this community, or the community staff queue"),
    "unchanged": _l("It is already with them. Choose someone else, or leave it."),
}


# What a row of a request list shows, read as plain columns: making each row's request, category,
# resident, grid and building into ORM objects was a third of a queue page's time at city size.
ROW_COLUMNS = (
    select(
        Request.id,
        Request.ticket,
        Request.description,
        Request.state,
        Request.accept_by,
        Request.resolve_by,
        Request.assignee_id,
        *name_columns(Category, "category"),
        *name_columns(Grid, "grid"),
        *name_columns(Building, "building"),
        Resident.name.label("resident_name"),
    )
    .select_from(Request)
    .join(Category, Request.category_id == Category.id)
    .join(Grid, Request.grid_id == Grid.id)
    .join(Resident, Request.resident_id == Resident.id)
    .outerjoin(Building, Request.building_id == Building.id)
)


def listed_page(query, now, number: int):
    """A page of a list's requests in queue order, as the plain rows a list shows (only for the page's
    own rows: see fetch_page_by_id)."""
    return fetch_page_by_id(db.session, Request, query, queue_order(now), number, columns=ROW_COLUMNS)


def rows_for(requests, now) -> list[SimpleNamespace]:
    """What each row of a request list shows, in the reader's language (rows from listed_page)."""
    english = is_english(locale())
    address = addresses("requests.request_page", "ticket")
    # A page has a few states and times left, and each is worded once (flask-babel's lookup is per call).
    state_text, left_text = cache(state_label), cache(left_words)
    rows = []
    for req in requests:
        due = due_at(req)
        rows.append(
            SimpleNamespace(
                ticket=format_ticket(req.ticket),
                category=joined_name(req, "category", english),
                description=req.description,
                grid=joined_name(req, "grid", english),
                building=joined_name(req, "building", english),
                name=mask_name(req.resident_name),
                staff_queue=req.assignee_id is None,
                overdue=is_overdue(req, now),
                left=left_text(time_left(due, now)) if due else "",
                state=state_text(req.state),
                url=address(req.ticket),
            )
        )
    return rows


@bp.route("/requests/queue")
@require_role(*HANDLER_ROLES)
def queue():
    account, now = g.account, utcnow()
    state = request.args.get("state", "open")
    if state not in dict(STATE_FILTERS):
        state = "open"
    # A grid worker's queue is what was given to them; staff also see the unassigned queue and all.
    whose = request.args.get("whose", "queue") if has_role(account, *STAFF_ROLES) else "mine"
    if whose not in ("queue", "all", "mine"):
        whose = "queue"
    query = scope_requests(db.select(Request), account)
    if whose == "queue":
        query = query.where(Request.assignee_id.is_(None))
    if state == "open":
        query = query.where(Request.state.in_(OPEN_STATES))
    elif state != "all":
        query = query.where(Request.state == state)
    page = listed_page(query, now, page_number(request.args))
    return render_page(
        "requests/queue.html",
        block="queue_list",
        rows=rows_for(page.items, now),
        page=page,
        total=count_rows(db.session, query),
        filters={"state": state, "whose": whose},
        state=state,
        whose=whose,
        state_filters=STATE_FILTERS,
    )


@bp.route("/requests/overdue")
@require_role(*STAFF_ROLES)
def overdue():
    account, now = g.account, utcnow()
    # Opening the view also escalates anything newly overdue (the CLI does the same on a timer). Nearly
    # always there is nothing new: one SELECT that finds nothing, and no commit.
    if escalate_overdue(db.session, now, community_scope(account)):
        db.session.commit()
    query = scope_requests(db.select(Request), account).where(overdue_clause(now))
    page = listed_page(query, now, page_number(request.args))
    return render_page(
        "requests/overdue.html", rows=rows_for(page.items, now), page=page, total=count_rows(db.session, query)
    )


def page_context(req: Request, **extra) -> dict:
    now = utcnow()
    due = due_at(req)
    context = {
        "req": req,
        "now": now,
        "due": due,
        "overdue": is_overdue(req, now),
        "left": time_left_words(due, now) if due else "",
        "next_states": allowed_next(req.state),
        "assignable": assignable_accounts(db.session, req.community_id),
        "full_phone": None,
        "full_contact": None,
        "form_errors": {},
        "note": "",
        "reason": "",
        "may_publish": has_role(g.account, *STAFF_ROLES),
    }
    context.update(extra)
    return context


@bp.route("/requests/<ticket>")
@require_role(*HANDLER_ROLES)
def request_page(ticket):
    req = request_or_404(ticket)
    return render_page("requests/request.html", **page_context(req))


@bp.route("/requests/<ticket>/transition", methods=["POST"])
@require_role(*HANDLER_ROLES)
def change_state(ticket):
    req = request_or_404(ticket)
    to_state, note = request.form.get("to", ""), request.form.get("note", "")
    problem = text_problem(note, TEXT_MAX, multiline=True)
    if problem:
        return render_page("requests/request.html", **page_context(req, form_errors={"note": str(problem)}, note=note))
    try:
        transition(db.session, req, to_state, actor=g.account, note=note, now=utcnow())
    except TransitionRefused as refused:
        db.session.rollback()
        field = "note" if refused.code == "note_required" else "to"
        errors = {field: str(TRANSITION_MESSAGES[refused.code])}
        return render_page("requests/request.html", **page_context(req, form_errors=errors, note=note))
    db.session.commit()
    return redirect(url_for("requests.request_page", ticket=req.ticket), code=303)


@bp.route("/requests/<ticket>/reassign", methods=["POST"])
@require_role(*HANDLER_ROLES)
def reassign_request(ticket):
    req = request_or_404(ticket)
    chosen, reason = request.form.get("assignee", ""), request.form.get("reason", "")
    problem = text_problem(reason, TEXT_MAX, multiline=True)
    if problem:
        return render_page(
            "requests/request.html", **page_context(req, form_errors={"reason": str(problem)}, reason=reason)
        )
    assignee = None
    if chosen and chosen != "staff":
        assignee_id = int_in_range(chosen, 1)
        assignee = db.session.get(Account, assignee_id) if assignee_id else None
        if assignee is None:
            chosen = "invalid"
    try:
        if chosen == "invalid":
            raise RoutingError("not_a_grid_worker")
        reassign(db.session, req, assignee, actor=g.account, reason=reason, now=utcnow())
    except RoutingError as refused:
        db.session.rollback()
        field = "reason" if refused.code == "reason_required" else "assignee"
        errors = {field: str(ROUTING_MESSAGES[refused.code])}
        return render_page("requests/request.html", **page_context(req, form_errors=errors, reason=reason))
    db.session.commit()
    if not can_handle(g.account, req):
        # A grid worker who hands a request away no longer sees it: back to their queue.
        return redirect(url_for("requests.queue"), code=303)
    return redirect(url_for("requests.request_page", ticket=req.ticket), code=303)


@bp.route("/requests/<ticket>/publish", methods=["POST"])
@require_role(*STAFF_ROLES)
def publish(ticket):
    """Staff make the resident's description (and photo) public in the open data, or take it out again,
    after reading it for names, phones and rooms. Either way it is written in the audit log."""
    req = request_or_404(ticket)
    wanted = {"yes": True, "no": False}.get(request.form.get("to", ""))
    if wanted is not None and wanted != req.published:
        req.published = wanted
        record_event(
            db.session,
            "request.publish" if wanted else "request.unpublish",
            actor=g.account,
            resident=req.resident,
            detail=f"ticket={format_ticket(req.ticket)}",
            channel="staff",
        )
        db.session.commit()
    return redirect(url_for("requests.request_page", ticket=req.ticket, _anchor="open-data"), code=303)


@bp.route("/requests/<ticket>/phone", methods=["POST"])
@require_role(*HANDLER_ROLES)
def show_phone(ticket):
    """The full number, for calling the resident back. Every look is written in the audit log."""
    req = request_or_404(ticket)
    resident = req.resident
    if not resident.phone and not resident.family_contact:
        return redirect(url_for("requests.request_page", ticket=req.ticket), code=303)
    whose = "resident" if resident.phone else "family"
    record_event(
        db.session,
        "phone.view",
        actor=g.account,
        resident=resident,
        reason=_("To contact the resident about their request"),
        detail=f"ticket={format_ticket(req.ticket)}; number={whose}",
        channel=g.account.role,
    )
    db.session.commit()
    shown = {"full_phone": resident.phone} if resident.phone else {"full_contact": resident.family_contact}
    return render_page("requests/request.html", block="resident_phone", **page_context(req, **shown))


@bp.route("/requests/<ticket>/photo")
@require_role(*HANDLER_ROLES)
def photo(ticket):
    req = request_or_404(ticket)
    if not req.photo_path:
        abort(404)
    response = send_from_directory(upload_folder(), req.photo_path, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
