"""Staff and grid workers look after topics: edit the words for clarity (each change kept and shown),
close or hide a topic with a reason (or open it again), choose its meeting among the coming activities
(or post a new activity with the topic chosen: activities/manage.py), and record the outcome."""

from flask import g, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.guards import require_role
from ..auth.loaders import managed_topic_or_404
from ..display import clock, full_date
from ..extensions import db
from ..models import Activity, Topic
from ..pages import render_page
from ..services import permissions
from ..services.clock import now_utc
from ..services.inputs import int_in_range, text_errors
from ..services.topics import edit_topic, link_meeting, meeting_choices, moderate_topic, record_outcome
from . import bp
from .common import state_label


def back_to(topic, done=""):
    return redirect(url_for("topics.show", topic_id=topic.id, done=done or None), code=303)


@bp.route("/topics/<int:topic_id>/edit", methods=["GET", "POST"])
@require_role(*permissions.TOPIC_ROLES)
def edit(topic_id):
    topic = managed_topic_or_404(topic_id)
    values, errors = {"title": topic.title, "body": topic.body}, {}
    if request.method == "POST":
        values = {name: request.form.get(name, "").strip() for name in ("title", "body")}
        errors = text_errors(values, Topic, multiline={"body"})
        if not values["title"] and "title" not in errors:
            errors["title"] = _("Enter the topic in a few words")
        if not values["body"] and "body" not in errors:
            errors["body"] = _("Say in a few sentences what the neighbours should talk about")
        if not errors:
            changed = edit_topic(db.session, topic, editor=g.account, now=now_utc(), **values)
            return back_to(topic, "edited" if changed is not None else "")
    return render_page("topics/form.html", topic=topic, values=values, form_errors=errors, where_options=[])


ACTIONS = ("close", "hide", "reopen")


@bp.route("/topics/<int:topic_id>/moderate", methods=["GET", "POST"])
@require_role(*permissions.TOPIC_ROLES)
def moderate(topic_id):
    topic = managed_topic_or_404(topic_id)
    choices = [("reopen", _("Open it again"))] if topic.state in ("closed", "hidden") else []
    if topic.state != "closed":
        choices.append(("close", _("Close it: residents still see it, marked closed, with the reason")))
    if topic.state != "hidden":
        choices.append(("hide", _("Hide it: only staff see it (for example, it names someone)")))
    values = {"action": request.form.get("action", ""), "reason": request.form.get("reason", "").strip()}
    errors = {}
    if request.method == "POST":
        errors = text_errors({"reason": values["reason"]}, Topic, lengths={"reason": 300})
        if values["action"] not in {value for value, _label in choices}:
            errors["action"] = _("Choose what to do with the topic")
        if values["action"] in ("close", "hide") and not values["reason"] and "reason" not in errors:
            errors["reason"] = _("Say why, in a few words: it is kept with the topic and in the audit log")
        if not errors:
            moderate_topic(db.session, topic, actor=g.account, now=now_utc(), **values)
            return back_to(topic, values["action"])
    return render_page(
        "topics/moderate.html",
        topic=topic,
        choices=choices,
        values=values,
        form_errors=errors,
        state_label=state_label,
    )


@bp.route("/topics/<int:topic_id>/outcome", methods=["GET", "POST"])
@require_role(*permissions.TOPIC_ROLES)
def outcome(topic_id):
    topic = managed_topic_or_404(topic_id)
    values, errors = {"outcome": request.form.get("outcome", topic.outcome).strip()}, {}
    if request.method == "POST":
        errors = text_errors(values, lengths={"outcome": 2000}, multiline={"outcome"})
        if not values["outcome"] and "outcome" not in errors:
            errors["outcome"] = _("Write what was decided, in plain words")
        if not errors:
            record_outcome(db.session, topic, outcome=values["outcome"], actor=g.account, now=now_utc())
            return back_to(topic, "decided")
    return render_page("topics/outcome.html", topic=topic, values=values, form_errors=errors)


@bp.route("/topics/<int:topic_id>/meeting", methods=["GET", "POST"])
@require_role(*permissions.ACTIVITY_ROLES)
def meeting(topic_id):
    """Choose one of the coming activities the account runs as the topic's meeting."""
    topic = managed_topic_or_404(topic_id)
    scoped = permissions.scope_activities(db.select(Activity), g.account).where(
        Activity.community_id == topic.community_id
    )
    activities = meeting_choices(db.session, scoped, now_utc())
    errors, chosen = {}, request.form.get("activity", "")
    if request.method == "POST":
        activity_id = int_in_range(chosen, 1)
        activity = next((a for a in activities if a.id == activity_id), None)
        if activity is None:
            errors["activity"] = _("Choose the activity where the topic is talked about")
        else:
            link_meeting(db.session, [topic], activity, actor=g.account)
            return back_to(topic, "meeting")
    options = [(str(a.id), f"{a.title} · {full_date(a.starts_at)} {clock(a.starts_at)}") for a in activities]
    return render_page(
        "topics/meeting.html", topic=topic, activities=activities, options=options, chosen=chosen, form_errors=errors
    )
