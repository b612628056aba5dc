"""The staff queue of corrections and removals asked for by residents of their community."""

from flask import g, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from ..auth.guards import require_role
from ..auth.loaders import data_request_or_404
from ..extensions import db
from ..health.common import zone
from ..identify import year_now
from ..models.mydata import DATA_REQUEST_STATES
from ..pages import render_page
from ..requests.filing import upload_folder
from ..services.clock import now_utc
from ..services.data_requests import apply_correction, decline, queue_query
from ..services.dates import as_utc_naive
from ..services.masking import mask_name, mask_phone
from ..services.paging import fetch_page, page_number
from ..services.permissions import STAFF_ROLES
from ..services.removal import remove_resident
from . import bp
from .words import REMOVAL_STATE_LABELS, STATE_LABELS, field_label

QUEUE_PAGE = 25
STATE_FILTERS = (("pending", _l("Waiting")), ("applied", _l("Done")), ("declined", _l("Declined")))


@bp.route("/data-requests")
@require_role(*STAFF_ROLES)
def queue():
    state = request.args.get("state", "pending")
    state = state if state in DATA_REQUEST_STATES else "pending"
    listed = fetch_page(db.session, queue_query(g.account, state), page_number(request.args), QUEUE_PAGE)
    return render_page(
        "mydata/queue.html",
        page=listed,
        state=state,
        filters=STATE_FILTERS,
        filter_args={"state": state},
    )


def current_value(ask) -> str:
    resident = ask.resident
    if ask.field == "phone":
        return mask_phone(resident.phone)
    if ask.field in ("name", "birth_year", "room", "family_contact"):
        return str(getattr(resident, ask.field) or "")
    return ""


@bp.route("/data-requests/<int:ask_id>", methods=["GET", "POST"])
@require_role(*STAFF_ROLES)
def ask_page(ask_id):
    ask = data_request_or_404(ask_id)
    errors = {}
    value = ask.should_be if ask.field not in ("phone", "birth_year") else ""
    note = ""
    if request.method == "POST" and ask.state == "pending":
        action = request.form.get("action", "")
        value = request.form.get("value", "")
        note = request.form.get("note", "")
        now = as_utc_naive(now_utc())
        if action == "decline":
            errors = decline(db.session, ask, note=note, actor=g.account, now=now)
        elif action == "apply" and ask.kind == "correction":
            errors = apply_correction(db.session, ask, raw_value=value, actor=g.account, now=now, year_now=year_now())
        elif action == "apply" and ask.kind == "removal":
            done = remove_resident(
                db.session,
                ask.resident,
                actor=g.account,
                now=now_utc(),
                tz=zone(),
                photo_folder=upload_folder(),
                ask=ask,
            )
            if done is None:
                errors = {"action": _l("Someone else has already dealt with this.")}
        else:
            errors = {"action": _l("Choose what to do.")}
        if not errors:
            return redirect(url_for("mydata.queue", done=ask.id), code=303)
        ask = data_request_or_404(ask_id)
    labels = REMOVAL_STATE_LABELS if ask.kind == "removal" else STATE_LABELS
    return render_page(
        "mydata/ask.html",
        ask=ask,
        resident_name=mask_name(ask.resident.name),
        current=current_value(ask),
        field_label=field_label(ask),
        value=value,
        note=note,
        form_errors=errors,
        state_text=str(labels.get(ask.state, ask.state)),
    )
