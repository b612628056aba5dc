"""Posting a need or an offer, one question per page (portal/flow.py): need or offer, what kind of help,
a few words, and who sees it (my grid, or the whole community); then a check page. A resident themselves,
at a kiosk, or a helper in an assisted session (the health pages' for_resident guard: the post keeps the
helper's account and channel, and its audit event the session's reason)."""

from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _

from ..channels import record_origin
from ..display import place_name
from ..extensions import db
from ..flow import Flow
from ..health.common import assisted_reason, for_resident
from ..identify import current_resident
from ..models import AID_CATEGORIES, AID_KINDS
from ..models.aid import AID_TEXT_LENGTH
from ..pages import render_page
from ..services.aid import post_aid
from ..services.clock import now_utc
from ..services.inputs import text_problem
from ..services.masking import mask_name
from . import bp
from .common import CATEGORY_HINTS, CATEGORY_WORDS, KIND_WORDS, category_label, kind_label, quick_words

flow = Flow("aid", ["kind", "category", "text", "where"], "aid.new_step", "aid.new_check")


def where_options(resident):
    return [
        ("grid", _("My grid: %(grid)s", grid=place_name(resident.grid))),
        ("community", _("Everyone in %(community)s", community=place_name(resident.community))),
    ]


def flow_resident():
    """The resident the flow under way is for, if they are still the one identified (or helped)."""
    resident = current_resident()
    if resident is None or not flow.active() or flow.context.get("resident_id") != resident.id:
        return None
    return resident


@bp.route("/aid/new")
@for_resident
def new():
    resident = current_resident()
    chosen = request.args.get("kind", "")
    if flow_resident() is None or chosen:
        flow.start(resident_id=resident.id)
    if chosen in AID_KINDS:  # "Ask for help" / "Offer help" buttons answer the first question
        flow.save("kind", chosen)
    step = flow.first_unanswered()
    return redirect(flow.step_url(step) if step else flow.check_url(), code=303)


def check_answer(step: str, form) -> tuple[str, str | None]:
    """(the answer as given, a message when it cannot be kept)."""
    value = form.get(step, "").strip()
    if step == "kind":
        return value, None if value in AID_KINDS else _("Choose whether you need help or offer it")
    if step == "category":
        return value, None if value in AID_CATEGORIES else _("Choose what kind of help it is")
    if step == "where":
        return value, None if value in ("grid", "community") else _("Choose who can see it")
    if not value:
        return value, _("Say in a few words what is needed or offered")
    problem = text_problem(value, AID_TEXT_LENGTH, multiline=True)
    if problem:
        return value, str(problem)
    return value, None


@bp.route("/aid/new/<step>", methods=["GET", "POST"])
@for_resident
def new_step(step):
    if step not in flow.steps:
        abort(404)
    resident = flow_resident()
    if resident is None:
        return redirect(url_for("aid.new"), code=303)
    if not flow.may_visit(step):
        return redirect(flow.step_url(flow.first_unanswered()), code=303)
    changing = request.args.get("change") == "1"
    value, errors = flow.answer(step, "grid" if step == "where" else ""), {}
    if request.method == "POST":
        value, problem = check_answer(step, request.form)
        if problem is None:
            flow.save(step, value)
            return redirect(flow.next_url(step, changing), code=303)
        errors[step] = problem
    kind = flow.answer("kind", "need")
    options = {
        "kind": [(k, str(KIND_WORDS[k])) for k in AID_KINDS],
        "category": [(c, str(CATEGORY_WORDS[c]), str(CATEGORY_HINTS[c])) for c in AID_CATEGORIES],
        "where": where_options(resident),
    }.get(step, [])
    return render_page(
        "aid/step.html",
        step=step,
        kind=kind,
        value=value,
        options=options,
        form_errors=errors,
        flow=flow,
        changing=changing,
        back_url=flow.back_url(step, changing, start_url=url_for("aid.index")),
        resident_name=mask_name(resident.name),
        quick=quick_words(kind, flow.answer("category", "")) if step == "text" else [],
    )


@bp.route("/aid/new/check", methods=["GET", "POST"])
@for_resident
def new_check():
    resident = flow_resident()
    if resident is None:
        return redirect(url_for("aid.new"), code=303)
    if not flow.complete():
        return redirect(flow.step_url(flow.first_unanswered()), code=303)
    answers = flow.answers
    if request.method == "POST":
        post = post_aid(
            db.session,
            resident=resident,
            kind=answers["kind"],
            category=answers["category"],
            text=answers["text"],
            whole_community=answers["where"] == "community",
            origin=record_origin("online"),
            actor=g.get("account"),
            reason=assisted_reason(),
            now=now_utc(),
        )
        flow.clear()
        return redirect(url_for("aid.show", post_id=post.id, done="posted"), code=303)
    return render_page(
        "aid/check.html",
        answers=answers,
        kind=kind_label(answers["kind"]),
        category=category_label(answers["category"]),
        where=dict(where_options(resident))[answers["where"]],
        flow=flow,
        resident_name=mask_name(resident.name),
        building=place_name(resident.building),
    )
