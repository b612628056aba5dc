"""Call-outs: staff pick the volunteers of a grid by skill and time and send them a short message (the
outbox); each volunteer answers yes or no from the signed link in it (/v/<token>, no sign-in, nothing shown
but the message), or a grid worker ticks the answer after phoning them; staff see who is coming."""

from flask import abort, current_app, g, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.guards import require_role
from ..auth.loaders import callout_or_404, found
from ..display import place_name
from ..errors import render_error
from ..extensions import db
from ..models import CallOut, CallOutReply
from ..pages import render_page
from ..services import permissions
from ..services.clock import now_utc
from ..services.inputs import int_in_range, text_errors
from ..services.paging import fetch_page, page_number
from ..services.volunteers import (
    ANSWERS,
    PARTS,
    SKILLS,
    VolunteerRefused,
    answer_callout,
    answer_counts,
    call_out,
    callouts_query,
    replies_of,
    reply_for_token,
    slot_index,
)
from . import bp
from .words import (
    ANSWER_WORDS,
    SKILL_WORDS,
    day_options,
    masked_name,
    part_options,
    refusal_words,
    skill_options,
    slot_of_index,
)

CALLOUTS_PAGE = 10


def read_callout_form(grids) -> tuple[dict, dict, dict]:
    """(values as typed, call_out's arguments, errors by field)."""
    form = request.form
    values = {name: form.get(name, "").strip() for name in ("grid", "skill", "day", "part", "message")}
    errors = text_errors({"message": values["message"]}, CallOut)
    grid = next((grid for grid in grids if str(grid.id) == values["grid"]), None)
    if grid is None:
        errors["grid"] = _("Choose the grid whose volunteers you ask")
    if values["skill"] not in ("", *SKILLS):
        errors["skill"] = _("Choose a skill, or any")
    day = int_in_range(values["day"], 0, 6)
    if values["day"] and day is None:
        errors["day"] = _("Choose a day, or any")
    if values["part"] not in ("", *PARTS):
        errors["part"] = _("Choose a part of the day, or any")
    elif bool(values["part"]) != (day is not None) and "day" not in errors:
        errors["day"] = _("Choose both a day and a part of the day, or neither")
    if not values["message"] and "message" not in errors:
        errors["message"] = _("Write the message in a sentence or two: what help, where and when")
    arguments = {}
    if not errors:
        slot = slot_index(day, values["part"]) if day is not None else None
        arguments = {"grid": grid, "skill": values["skill"], "slot": slot, "message": values["message"]}
    return values, arguments, errors


@bp.route("/volunteers/callouts", methods=["GET", "POST"])
@require_role(*permissions.VOLUNTEER_ROLES)
def callouts():
    grids = permissions.volunteer_grids(db.session, g.account)
    chosen = request.args.get("grid", "")
    values = {"grid": chosen if chosen in {str(grid.id) for grid in grids} else "", "skill": "", "day": "",
              "part": "", "message": ""}  # fmt: skip
    errors = {}
    if request.method == "POST":
        values, arguments, errors = read_callout_form(grids)
        if not errors:
            try:
                callout = call_out(
                    db.session,
                    actor=g.account,
                    now=now_utc(),
                    link_for=lambda token: url_for("volunteers.answer", token=token, _external=True),
                    secret=current_app.config["SECRET_KEY"],
                    **arguments,
                )
            except VolunteerRefused as refused:
                errors["grid"] = refusal_words(refused.reason)
            else:
                return redirect(url_for("volunteers.callout", callout_id=callout.id), code=303)
    page = fetch_page(db.session, callouts_query(grid.id for grid in grids), page_number(request.args), CALLOUTS_PAGE)
    return render_page(
        "volunteers/callouts.html",
        grid_options=[(str(grid.id), place_name(grid)) for grid in grids],
        values=values,
        form_errors=errors,
        page=page,
        counts=answer_counts(db.session, [c.id for c in page.items]),
        skill_options=[("", _("Any skill")), *skill_options()],
        day_options=[("", _("Any day")), *day_options()],
        part_options=[("", _("Any time of day")), *part_options()],
        skill_words=SKILL_WORDS,
        slot_of_index=slot_of_index,
    )


def callout_page(callout, errors=None):
    replies = replies_of(db.session, callout.id)
    return render_page(
        "volunteers/callout.html",
        callout=callout,
        replies=replies,
        coming=sum(reply.answer == "yes" for reply in replies),
        not_coming=sum(reply.answer == "no" for reply in replies),
        waiting=sum(reply.answer is None for reply in replies),
        answer_words=ANSWER_WORDS,
        masked_name=masked_name,
        skill_words=SKILL_WORDS,
        slot_of_index=slot_of_index,
        form_errors=errors or {},
        done=request.args.get("done", ""),
    )


@bp.route("/volunteers/callouts/<int:callout_id>")
@require_role(*permissions.VOLUNTEER_ROLES)
def callout(callout_id):
    return callout_page(callout_or_404(callout_id))


@bp.route("/volunteers/callouts/<int:callout_id>/replies/<int:reply_id>", methods=["POST"])
@require_role(*permissions.VOLUNTEER_ROLES)
def tick(callout_id, reply_id):
    """A grid worker phoned the volunteer and ticks what they said."""
    callout = callout_or_404(callout_id)
    reply = found(db.session.get(CallOutReply, reply_id), allowed=True)
    if reply.callout_id != callout.id:
        abort(404)
    answer, expected = request.form.get("answer", ""), request.form.get("expected", "") or None
    if answer not in ANSWERS or expected not in (None, *ANSWERS):
        return callout_page(callout, {f"reply-{reply.id}": _("Choose whether they are coming")})
    try:
        answer_callout(db.session, reply.id, answer, expected=expected, actor=g.account, now=now_utc())
    except VolunteerRefused as refused:
        return callout_page(callout_or_404(callout_id), {f"reply-{reply_id}": refusal_words(refused.reason)})
    return redirect(url_for("volunteers.callout", callout_id=callout.id, done="ticked"), code=303)


def broken_link():
    return render_error(
        404,
        title=_("This answer link does not work"),
        text=_(
            "It may be cut short or mistyped. Open the link in the message again, or tell the grid worker or "
            "the community office whether you can come."
        ),
    )


@bp.route("/v/<token>", methods=["GET", "POST"])
def answer(token):
    """The volunteer's answer link: no sign-in, and nothing on the page but the message."""
    reply = reply_for_token(db.session, token, current_app.config["SECRET_KEY"])
    if reply is None:  # mistyped, cut short in the message, or made up: say so in words, never a 500
        return broken_link()
    errors = {}
    if request.method == "POST":
        chosen, expected = request.form.get("answer", ""), request.form.get("expected", "") or None
        if chosen not in ANSWERS or expected not in (None, *ANSWERS):
            errors["answer"] = _("Choose yes or no")
        else:
            try:
                answer_callout(db.session, reply.id, chosen, expected=expected, now=now_utc())
            except VolunteerRefused as refused:
                errors["answer"] = refusal_words(refused.reason)
                db.session.expire_all()
                reply = found(reply_for_token(db.session, token, current_app.config["SECRET_KEY"]))
            else:
                return redirect(url_for("volunteers.answer", token=token, done=chosen), code=303)
    return render_page(
        "volunteers/answer.html",
        reply=reply,
        callout=reply.callout,
        token=token,
        form_errors=errors,
        done=request.args.get("done", ""),
    )
