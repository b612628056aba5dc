"""What everyone sees and residents do: the topics of a grid or community by support, a topic's page,
proposing a topic, supporting it and taking the support back.

A helper in an assisted session goes through the same pages for the resident they help (the health
pages' for_resident guard), so each proposal and support is audited with the helper's reason. Staff and
grid workers outside an assisted session propose as staff."""

from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.loaders import found, topic_or_404
from ..channels import record_origin
from ..display import place_name
from ..extensions import db
from ..health.common import assisted_reason, for_resident
from ..identify import current_resident
from ..models import Community, Grid, Topic, TopicEdit
from ..pages import render_page
from ..services import permissions
from ..services.clock import now_utc
from ..services.inputs import int_in_range, text_errors
from ..services.masking import mask_name
from ..services.paging import fetch_page, page_number
from ..services.topics import (
    TopicRefused,
    active_support,
    attendance,
    open_to,
    propose_topic,
    support_topic,
    supported_ids,
    topics_query,
    withdraw_support,
)
from . import bp
from .common import proposer, refusal_words, state_label, where_for


def list_place():
    """(community, grid) the list is for: ?grid= or ?community=, else the identified resident's grid,
    else the kiosk's or the account's community; (None, None) when nothing says."""
    grid_id = int_in_range(request.args.get("grid", ""), 1)
    if grid_id is not None:
        grid = found(db.session.get(Grid, grid_id))
        return grid.community, grid
    community_id = int_in_range(request.args.get("community", ""), 1)
    if community_id is not None:
        return found(db.session.get(Community, community_id)), None
    resident = current_resident()
    if resident is not None:
        return resident.community, resident.grid
    kiosk, account = g.get("kiosk"), g.get("account")
    if kiosk is not None:
        return kiosk.community, None
    if account is not None and account.community is not None:
        return account.community, None
    return None, None


@bp.route("/topics")
def index():
    community, grid = list_place()
    if community is None:
        return render_page("topics/index.html", community=None, grid=None, page=None, args={})
    account = g.get("account")
    staff = permissions.has_role(account, *permissions.STAFF_ROLES) and permissions.can_see_community(
        account, community.id
    )
    query = topics_query(community.id, grid.id if grid else None, with_hidden=staff)
    page = fetch_page(db.session, query, page_number(request.args))
    resident = current_resident()
    mine = supported_ids(db.session, [t.id for t in page.items], resident.id) if resident is not None else set()
    args = {"grid": grid.id} if grid is not None else {"community": community.id}
    return render_page(
        "topics/index.html",
        community=community,
        grid=grid,
        page=page,
        topics=page.items,
        mine=mine,
        args=args,
        proposer=proposer,
        where_for=where_for,
        state_label=state_label,
    )


@bp.route("/topics/<int:topic_id>")
def show(topic_id):
    topic = topic_or_404(topic_id)
    resident = current_resident()
    account = g.get("account")
    manages = permissions.can_manage_topic(account, topic)
    edits = db.session.scalars(
        db.select(TopicEdit).where(TopicEdit.topic_id == topic.id).order_by(TopicEdit.edited_at, TopicEdit.id)
    ).all()
    meetings = list(topic.meetings)
    return render_page(
        "topics/show.html",
        topic=topic,
        proposer=proposer(topic),
        where=where_for(topic),
        state_label=state_label,
        edits=edits,
        meetings=meetings,
        came=attendance(db.session, meetings),
        now=now_utc().replace(tzinfo=None),
        mine=active_support(db.session, topic.id, resident.id) if resident is not None else None,
        open_to_resident=open_to(topic, resident) if resident is not None else None,
        manages=manages,
        helping=g.get("assisted") is not None,  # a grid worker helping a resident supports for them
        may_schedule=manages and permissions.has_role(account, *permissions.ACTIVITY_ROLES),
        done=request.args.get("done", ""),
    )


# -- proposing ------------------------------------------------------------------------------------
def read_topic_form(where_options) -> tuple[dict, dict, dict]:
    """(values as typed, the topic's fields, errors by field)."""
    form = request.form
    values = {name: form.get(name, "").strip() for name in ("title", "body", "where")}
    errors = text_errors({"title": values["title"], "body": values["body"]}, Topic, multiline={"body"})
    if not values["title"] and "title" not in errors:
        errors["title"] = _("Enter the topic in a few words")
    if not values["body"] and "body" not in errors:
        errors["body"] = _("Say in a few sentences what the neighbours should talk about")
    if values["where"] not in {value for value, _label in where_options}:
        errors["where"] = _("Choose who the topic is for")
    fields = {}
    if not errors:
        fields = {
            "title": values["title"],
            "body": values["body"],
            "grid_id": None if values["where"] == "community" else int(values["where"]),
        }
    return values, fields, errors


def render_topic_form(values, errors, where_options, resident_name=None):
    return render_page(
        "topics/form.html",
        values=values,
        form_errors=errors,
        where_options=where_options,
        resident_name=resident_name,
        topic=None,
    )


@for_resident
def propose_as_resident():
    resident = current_resident()
    where_options = [
        (str(resident.grid_id), _("My grid: %(grid)s", grid=place_name(resident.grid))),
        ("community", _("Everyone in %(community)s", community=place_name(resident.community))),
    ]
    values, errors = {"title": "", "body": "", "where": str(resident.grid_id)}, {}
    if request.method == "POST":
        values, fields, errors = read_topic_form(where_options)
        if not errors:
            topic = propose_topic(
                db.session,
                community_id=resident.community_id,
                resident=resident,
                origin=record_origin("online"),
                actor=g.get("account"),
                reason=assisted_reason(),
                now=now_utc(),
                **fields,
            )
            return redirect(url_for("topics.show", topic_id=topic.id, done="proposed"), code=303)
    return render_topic_form(values, errors, where_options, resident_name=mask_name(resident.name))


def propose_as_staff():
    account = g.account
    if account.community_id is None:  # an admin works in every community: from a grid's page instead
        return redirect(url_for("topics.index"), code=303)
    where_options = [(str(grid.id), place_name(grid)) for grid in permissions.topic_target_grids(account)]
    if permissions.may_propose_for_community(account):
        where_options.insert(0, ("community", _("Everyone in %(community)s", community=place_name(account.community))))
    if not where_options:
        abort(403)
    chosen = request.args.get("grid", "")
    default = chosen if chosen in {v for v, _label in where_options} else where_options[0][0]
    values, errors = {"title": "", "body": "", "where": default}, {}
    if request.method == "POST":
        values, fields, errors = read_topic_form(where_options)
        if not errors:
            topic = propose_topic(
                db.session,
                community_id=account.community_id,
                staff=account,
                origin=record_origin("staff"),
                now=now_utc(),
                **fields,
            )
            return redirect(url_for("topics.show", topic_id=topic.id, done="proposed"), code=303)
    return render_topic_form(values, errors, where_options)


@bp.route("/topics/new", methods=["GET", "POST"])
def new():
    if g.get("assisted") is None and permissions.has_role(g.get("account"), *permissions.TOPIC_ROLES):
        return propose_as_staff()
    return propose_as_resident()


# -- supporting -----------------------------------------------------------------------------------
@bp.route("/topics/<int:topic_id>/support", methods=["GET", "POST"])
@for_resident
def support(topic_id):
    return support_step(topic_id, withdrawing=False)


@bp.route("/topics/<int:topic_id>/withdraw", methods=["GET", "POST"])
@for_resident
def withdraw(topic_id):
    return support_step(topic_id, withdrawing=True)


def support_step(topic_id: int, withdrawing: bool):
    """The one confirm page of supporting a topic and of taking the support back: a resident who has
    already done it (or has nothing to take back) goes back to the topic."""
    topic = topic_or_404(topic_id)
    resident = current_resident()
    if (active_support(db.session, topic.id, resident.id) is not None) != withdrawing:
        return redirect(url_for("topics.show", topic_id=topic.id), code=303)
    errors = {}
    if request.method == "POST":
        change = withdraw_support if withdrawing else support_topic
        try:
            change(
                db.session,
                topic_id=topic.id,
                resident=resident,
                origin=record_origin("online"),
                actor=g.get("account"),
                reason=assisted_reason(),
                now=now_utc(),
            )
        except TopicRefused as refused:
            errors["support"] = refusal_words(refused.reason)
            topic, resident = topic_or_404(topic_id), current_resident()
        else:
            done = "withdrawn" if withdrawing else "supported"
            return redirect(url_for("topics.show", topic_id=topic.id, done=done), code=303)
    elif not withdrawing and (topic.state != "open" or not open_to(topic, resident)):
        errors["support"] = refusal_words("not_open" if topic.state != "open" else "not_for_you")
    return render_page("topics/support.html", topic=topic, form_errors=errors, withdrawing=withdrawing)
