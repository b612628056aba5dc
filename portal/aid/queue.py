"""The grid worker's mutual-aid queue (/aid/queue): proposed matches to confirm (with what was agreed: both
sides are told by text, or through the calls list below) or decline with a reason; reported posts to hide,
close or restore with a reason; and the calls to make to residents without a mobile. Staff of the community
see every grid's; a grid worker only their own grids'. Each step is audited."""

from flask import g, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.guards import require_role
from ..auth.loaders import aid_call_or_404, aid_match_or_404, managed_aid_post_or_404
from ..channels import account_channel
from ..extensions import db
from ..pages import render_page
from ..services import permissions
from ..services.aid import (
    AidRefused,
    call_done,
    confirm_match,
    decline_match,
    mark_done,
    moderate_post,
    open_calls,
    proposed_matches_query,
    reported_posts,
)
from ..services.audit import record_event
from ..services.clock import now_utc
from ..services.inputs import text_errors
from ..services.masking import mask_name
from ..services.paging import fetch_page, page_number
from . import bp
from .common import category_label, kind_label, poster_words, refusal_words, respond_label, state_label

WORDS = {"kind_label": kind_label, "category_label": category_label, "state_label": state_label,
         "poster_words": poster_words, "mask_name": mask_name, "respond_label": respond_label}  # fmt: skip


@bp.route("/aid/queue")
@require_role(*permissions.AID_ROLES)
def queue():
    grid_ids = permissions.aid_queue_grid_ids(db.session, g.account)
    page = fetch_page(db.session, proposed_matches_query(grid_ids), page_number(request.args))
    return render_page(
        "aid/queue.html",
        page=page,
        matches=page.items,
        reported=reported_posts(db.session, grid_ids),
        calls=open_calls(db.session, grid_ids),
        done=request.args.get("done", ""),
        **WORDS,
    )


def back_to_queue(done: str):
    return redirect(url_for("aid.queue", done=done), code=303)


def reason_errors(values: dict, field: str, missing: str, length: int = 300) -> dict:
    errors = text_errors(values, lengths={field: length}, multiline={field})
    if not values[field] and field not in errors:
        errors[field] = missing
    return errors


@bp.route("/aid/matches/<int:match_id>/confirm", methods=["GET", "POST"])
@require_role(*permissions.AID_ROLES)
def confirm(match_id):
    """Both sides' contact is shown here, to the grid worker only, so they can phone: audited once a view."""
    match = aid_match_or_404(match_id)
    values, errors = {"agreed": request.form.get("agreed", "").strip()}, {}
    if request.method == "POST":
        errors = reason_errors(values, "agreed", _("Write what was agreed: who does what, and when"), 500)
        if not errors:
            try:
                confirm_match(db.session, match, agreed=values["agreed"], actor=g.account, now=now_utc())
            except AidRefused as refused:
                errors["agreed"] = refusal_words(refused.reason)
            else:
                return back_to_queue("confirmed")
    else:
        record_event(db.session, "aid.contact_view", actor=g.account, detail=f"aid_post={match.post_id}; "
                     f"aid_match={match.id}", channel=account_channel(g.account))  # fmt: skip
        db.session.commit()
        match = aid_match_or_404(match_id)
    return render_page("aid/confirm.html", match=match, post=match.post, values=values, form_errors=errors, **WORDS)


@bp.route("/aid/matches/<int:match_id>/decline", methods=["GET", "POST"])
@require_role(*permissions.AID_ROLES)
def decline(match_id):
    match = aid_match_or_404(match_id)
    values, errors = {"why": request.form.get("why", "").strip()}, {}
    if request.method == "POST":
        errors = reason_errors(values, "why", _("Say why it is not a match, in a few words"))
        if not errors:
            try:
                decline_match(db.session, match, why=values["why"], actor=g.account, now=now_utc())
            except AidRefused as refused:
                errors["why"] = refusal_words(refused.reason)
            else:
                return back_to_queue("declined")
    return render_page("aid/decline.html", match=match, post=match.post, values=values, form_errors=errors, **WORDS)


@bp.route("/aid/<int:post_id>/moderate", methods=["GET", "POST"])
@require_role(*permissions.AID_ROLES)
def moderate(post_id):
    post = managed_aid_post_or_404(post_id)
    choices = [("restore", _("Restore it: neighbours see it again"))] if post.state in ("hidden", "closed") else []
    if post.state != "hidden":
        choices.append(("hide", _("Hide it: only the grid worker and staff see it")))
    if post.state not in ("closed", "hidden"):
        choices.append(("close", _("Close it: neighbours still see it, marked closed")))
    if post.open_reports and post.state not in ("hidden", "closed"):
        choices.insert(0, ("restore", _("Keep it as it is: the report was not right")))
    values = {"action": request.form.get("action", ""), "why": request.form.get("why", "").strip()}
    errors = {}
    if request.method == "POST":
        errors = reason_errors(values, "why", _("Say why, in a few words: it is kept in the audit log"))
        if values["action"] not in {value for value, _label in choices}:
            errors["action"] = _("Choose what to do with the post")
        if not errors:
            moderate_post(db.session, post, action=values["action"], why=values["why"], actor=g.account, now=now_utc())
            return redirect(url_for("aid.show", post_id=post.id, done=values["action"]), code=303)
    return render_page("aid/moderate.html", post=post, choices=choices, values=values, form_errors=errors, **WORDS)


@bp.route("/aid/<int:post_id>/staff-done", methods=["GET", "POST"])
@require_role(*permissions.AID_ROLES)
def staff_done(post_id):
    post = managed_aid_post_or_404(post_id)
    errors = {}
    if request.method == "POST":
        try:
            mark_done(db.session, post, origin={"channel": account_channel(g.account)}, actor=g.account, now=now_utc())
        except AidRefused as refused:
            errors["step"] = refusal_words(refused.reason)
        else:
            return redirect(url_for("aid.show", post_id=post.id, done="done"), code=303)
    return render_page("aid/step_confirm.html", post=post, step="staff_done", values={}, form_errors=errors, **WORDS)


@bp.route("/aid/calls/<int:call_id>/done", methods=["POST"])
@require_role(*permissions.AID_ROLES)
def call_made(call_id):
    call = aid_call_or_404(call_id)
    if call.done_at is None:
        call_done(db.session, call, actor=g.account, now=now_utc(), channel=account_channel(g.account))
    return back_to_queue("called")
