"""Filing a request, one question per page, ending on a printable receipt.

Three ways in, all through /requests/new: a resident who has identified (online or at a kiosk), a
helper in an assisted session, or a grid worker who picks a resident of their grids. The flow's
context remembers which, and every step checks it still holds.
"""

from pathlib import Path

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth.guards import require_role
from ..auth.loaders import request_or_404, resident_or_404
from ..channels import record_origin
from ..extensions import db
from ..flow import Flow
from ..identify import current_resident
from ..models import Category, Resident, utcnow
from ..pages import render_page
from ..services.assist import search_residents
from ..services.filing import (
    DESCRIPTION_MAX,
    LOCATION_MAX,
    FilingError,
    file_request,
    may_file_for,
    may_see_receipt,
    way_in,
)
from ..services.inputs import MESSAGES as INPUT_MESSAGES
from ..services.inputs import has_control, int_in_range, text_problem
from ..services.permissions import can_help
from ..services.photos import PhotoError, remove_photo, store_photo
from ..services.qr import qr_svg
from ..services.routing import route_request
from . import bp

flow = Flow("request", ["category", "description", "location", "photo"], "requests.file_step", "requests.file_check")
RECEIPTS_KEY = "filed_tickets"
# Where "Back" on the first question goes, for each way in.
START_ENDPOINTS = {"assisted": "assist.helping", "direct": "requests.pick_resident", "self": "main.home"}
MESSAGES = {
    "category_missing": _l("Choose what the problem is about"),
    "description_missing": _l("Say what the problem is"),
    "description_too_long": _l("Keep the description to 2000 characters or fewer"),
    "location_missing": _l("Say where it is, or choose “No particular place”"),
    "location_too_long": _l("Keep the place to 200 characters or fewer"),
    "text_control": INPUT_MESSAGES["control"],
    "too_large": _l("The photo is too large. Choose one smaller than 5 MB."),
    "not_an_image": _l("The photo must be a JPEG or PNG picture"),
}


def upload_folder() -> Path:
    return Path(current_app.config.get("PORTAL_UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads")


def filer() -> Resident | None:
    """The resident the flow in progress is for, if the person at the screen may still file for them."""
    if not flow.active():
        return None
    context = flow.context
    resident = db.session.get(Resident, context.get("resident_id") or 0)
    if resident is None:
        return None
    assisted = g.get("assisted")
    ok = may_file_for(
        context.get("how"),
        resident,
        account=g.get("account"),
        assisted_resident=assisted.resident if assisted is not None else None,
        identified=current_resident(),
    )
    return resident if ok else None


def skips_photo() -> bool:
    """At a kiosk there is no photo to add, and a file chooser would open the browser's own window
    (a way out of the kiosk): the photo step is skipped and the request goes without one."""
    return g.get("kiosk") is not None


def discard_unfiled_photo() -> None:
    if flow.active() and flow.answer("photo"):
        remove_photo(upload_folder(), flow.answer("photo"))


def begin(resident: Resident, how: str):
    """Start the flow for `resident`, or carry on with the one already under way for them."""
    context = flow.context if flow.active() else {}
    if context.get("resident_id") == resident.id and context.get("how") == how:
        step = flow.first_unanswered()
        return redirect(flow.step_url(step) if step else flow.check_url(), code=303)
    discard_unfiled_photo()
    flow.start(resident_id=resident.id, how=how)
    return redirect(flow.step_url(flow.steps[0]), code=303)


@bp.route("/requests/new")
def file_start():
    how = way_in(g.get("account"), assisted=g.get("assisted") is not None)
    if how == "assisted":
        return begin(g.assisted.resident, how)
    if how == "help_first":
        return redirect(url_for("assist.start"), code=303)
    if how == "direct":
        return redirect(url_for("requests.pick_resident"), code=303)
    resident = current_resident()
    if resident is None:
        return redirect(url_for("identify.start", next=url_for("requests.file_start")), code=303)
    return begin(resident, "self")


@bp.route("/requests/new/resident")
@require_role("gridworker")
def pick_resident():
    query = request.args.get("q", "").strip()[:60]
    residents, more = search_residents(db.session, g.account, query)
    register_url = url_for("join.register_start") if "join.register_start" in current_app.view_functions else None
    return render_page(
        "requests/pick_resident.html",
        block="results",
        query=query,
        residents=residents,
        more=more,
        register_url=register_url,
    )


@bp.route("/requests/new/for/<number>")
@require_role("gridworker")
def file_for(number):
    return begin(resident_or_404(number, may=can_help), "direct")


def categories() -> list[Category]:
    return db.session.scalars(
        db.select(Category).where(Category.active.is_(True)).order_by(Category.position, Category.id)
    ).all()


def flow_or_restart(step: str | None = None):
    """(resident, None) when the step may be shown, else (None, a redirect to where to go instead)."""
    resident = filer()
    if resident is None:
        return None, redirect(url_for("requests.file_start"), code=303)
    if step is not None and not flow.may_visit(step):
        return None, redirect(flow.step_url(flow.first_unanswered()), code=303)
    return resident, None


def save_step(step: str, resident: Resident, form) -> tuple[object, dict]:
    """Check one step's answer. Returns (value to save, errors)."""
    if step == "category":
        chosen = form.get("category", "")
        valid = {str(c.id) for c in categories()}
        return (chosen, {}) if chosen in valid else (None, {"category": "category_missing"})
    if step == "description":
        text = form.get("description", "").strip()
        if not text:
            return text, {"description": "description_missing"}
        if len(text) > DESCRIPTION_MAX:
            return text, {"description": "description_too_long"}
        if text_problem(text, multiline=True):
            return text, {"description": "text_control"}
        return text, {}
    if step == "location":
        choice, text = form.get("location", ""), form.get("location_text", "").strip()
        buildings = {f"b{b.id}" for b in resident.grid.buildings}
        value = {"choice": choice, "text": text}
        if len(text) > LOCATION_MAX:
            return value, {"location_text": "location_too_long"}
        if has_control(text):
            return value, {"location_text": "text_control"}
        if choice in buildings or choice == "none":
            return value, {}
        if text:
            return {"choice": "other", "text": text}, {}
        return value, {"location_text" if choice == "other" else "location": "location_missing"}
    # photo
    if form.get("remove") == "yes":
        remove_photo(upload_folder(), flow.answer("photo"))
        return "", {}
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        return flow.answer("photo", ""), {}
    try:
        name = store_photo(upload.stream, upload_folder())
    except PhotoError as refused:
        return flow.answer("photo", ""), {"photo": refused.code}
    remove_photo(upload_folder(), flow.answer("photo"))
    return name, {}


@bp.route("/requests/new/<step>", methods=["GET", "POST"])
def file_step(step):
    if step not in flow.steps:
        abort(404)
    resident, elsewhere = flow_or_restart(step)
    if elsewhere:
        return elsewhere
    changing = request.args.get("change") == "1"
    if step == "photo" and skips_photo():
        flow.save("photo", "")
        return redirect(flow.check_url(), code=303)
    value, errors = flow.answer(step), {}
    if request.method == "POST":
        value, errors = save_step(step, resident, request.form)
        if not errors:
            flow.save(step, value)
            if step == "photo" and request.form.get("remove") == "yes":
                return redirect(flow.step_url("photo", changing), code=303)
            if step == "location" and skips_photo():
                flow.save("photo", "")
                return redirect(flow.check_url(), code=303)
            return redirect(flow.next_url(step, changing), code=303)
    messages = {field: str(MESSAGES[code]) for field, code in errors.items()}
    back = flow.back_url(step, changing, start_url=url_for(START_ENDPOINTS.get(flow.context.get("how"), "main.home")))
    return render_page(
        f"requests/step_{step}.html",
        resident=resident,
        value=value,
        form_errors=messages,
        categories=categories(),
        changing=changing,
        back_url=back,
        flow=flow,
    )


def answers_summary(resident: Resident) -> dict:
    answers = flow.answers
    chosen = str(answers.get("category") or "")
    category = db.session.get(Category, int_in_range(chosen, 1)) if int_in_range(chosen, 1) else None
    location = answers.get("location") or {}
    building = None
    if str(location.get("choice", "")).startswith("b"):
        building = next((b for b in resident.grid.buildings if f"b{b.id}" == location["choice"]), None)
    return {
        "category": category,
        "description": answers.get("description", ""),
        "building": building,
        "location_text": location.get("text", "") if location.get("choice") == "other" else "",
        "photo": answers.get("photo") or "",
    }


@bp.route("/requests/new/check", methods=["GET", "POST"])
def file_check():
    resident, elsewhere = flow_or_restart()
    if elsewhere:
        return elsewhere
    if not flow.complete():
        return redirect(flow.step_url(flow.first_unanswered()), code=303)
    summary = answers_summary(resident)
    if summary["category"] is None or not summary["category"].active:
        # The category was switched off by an admin while this flow was under way: choose again.
        return redirect(flow.step_url("category", changing=True), code=303)
    if request.method == "POST":
        how = flow.context.get("how")
        account = g.get("account")
        if how == "assisted":
            reason = g.assisted.reason
        elif how == "direct":
            reason = _("Filed by the grid worker for the resident")
        else:
            reason = ""
        try:
            filed = file_request(
                db.session,
                resident=resident,
                category=summary["category"],
                description=summary["description"],
                origin=record_origin("online"),
                now=utcnow(),
                actor=account,
                building_id=summary["building"].id if summary["building"] else None,
                location_text=summary["location_text"],
                photo_path=summary["photo"] or None,
                reason=reason,
            )
        except FilingError as refused:
            return redirect(flow.step_url("description" if "description" in refused.code else "location"), code=303)
        db.session.commit()
        flow.clear()
        session[RECEIPTS_KEY] = (session.get(RECEIPTS_KEY) or [])[-9:] + [filed.ticket]
        return redirect(url_for("requests.receipt", ticket=filed.ticket), code=303)
    handler = route_request(db.session, resident)
    return render_page(
        "requests/check.html",
        resident=resident,
        summary=summary,
        handler=handler,
        flow=flow,
        last_step="location" if skips_photo() else "photo",
    )


def may_see_this_receipt(account, req) -> bool:
    return may_see_receipt(req, account=account, identified=current_resident(), receipts=session.get(RECEIPTS_KEY))


@bp.route("/requests/<ticket>/receipt")
def receipt(ticket):
    req = request_or_404(ticket, may=may_see_this_receipt)
    status_url = url_for("requests.status_page", ticket=req.ticket, _external=True)
    return render_page("requests/receipt.html", req=req, status_url=status_url, qr=qr_svg(status_url))
