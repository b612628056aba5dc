"""Staff and grid workers create and run activities: the list of theirs, the form (new and edit, where
more places promote people waiting), the manage page with the sign-ups a page at a time, removing
someone, a sign-up at the desk, cancelling the activity with a reason, closing it, and its QR poster."""

from flask import g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.orm import joinedload

from ..auth.guards import require_role
from ..auth.loaders import activity_signup_or_404, managed_activity_or_404
from ..channels import record_origin
from ..display import locale, place_name, zone
from ..extensions import db
from ..identify import resident_from_desk_card
from ..models import Activity, ActivitySignup, Resident, Topic
from ..pages import render_page
from ..services.activities import SignupRefused, end_signup, sign_up
from ..services.activity_admin import cancel_activity, close_activity, create_activity, update_activity
from ..services.clock import now_utc
from ..services.inputs import int_in_range, text_errors
from ..services.masking import mask_name
from ..services.paging import fetch_page, page_number
from ..services.permissions import (
    ACTIVITY_ROLES,
    activity_grid_choices,
    can_manage_topic,
    scope_activities,
    scope_residents,
)
from ..services.posters import ensure_posters, posters_were_made
from ..services.topics import link_meeting
from . import bp
from .common import activity_state_label, refusal_words, state_label
from .form import read_form, values_of


@bp.route("/manage")
@require_role(*ACTIVITY_ROLES)
def manage_list():
    query = scope_activities(db.select(Activity), g.account).order_by(Activity.starts_at.desc(), Activity.id.desc())
    page = fetch_page(db.session, query, page_number(request.args))
    return render_page(
        "activities/manage_list.html", activities=page.items, page=page, activity_state_label=activity_state_label
    )


def render_form(activity, values, errors, topic_options=()):
    return render_page(
        "activities/form.html",
        activity=activity,
        values=values,
        form_errors=errors,
        grid_options=[(grid.id, place_name(grid)) for grid in activity_grid_choices(g.account)],
        gridworker=g.account.role == "gridworker",
        topic_options=topic_options,
    )


@bp.route("/manage/new", methods=["GET", "POST"])
@require_role(*ACTIVITY_ROLES)
def new():
    if g.account.community_id is None:  # an admin works in every community: choose one by its grid page
        return redirect(url_for("activities.manage_list"), code=303)
    values, errors = values_of(None, zone()), {}
    chosen = int_in_range(request.args.get("grid", ""), 1)
    if chosen and any(grid.id == chosen for grid in activity_grid_choices(g.account)):
        values["who"], values["grids"] = "grids", [str(chosen)]  # from a grid's page: for that grid
    if g.account.role == "gridworker":
        values["who"] = "grids"
    # A neighbours' meeting (topics and meetings, 议事会): ?topic= from a topic's page chooses its topics.
    topics = meeting_topics(request.values.getlist("topic"))
    values["topics"] = [str(t.id) for t in topics]
    if request.method == "POST":
        values, fields, errors = read_form(activity_grid_choices(g.account), zone(), now_utc())
        if g.account.role == "gridworker" and fields.get("whole_community"):
            errors["who"] = _("A grid worker opens an activity to their own grids. Choose the grids.")
        values["topics"] = request.form.getlist("topics")
        if not errors:
            activity = create_activity(db.session, community_id=g.account.community_id, actor=g.account, **fields)
            chosen = [t for t in topics if str(t.id) in values["topics"]]
            if chosen:
                link_meeting(db.session, chosen, activity, actor=g.account)
            return redirect(url_for("activities.manage_page", activity_id=activity.id, made=1), code=303)
    return render_form(None, values, errors, [(str(t.id), t.title) for t in topics])


def meeting_topics(raw_ids) -> list:
    """The topics named by ?topic= that this account may give a meeting (others are left out)."""
    ids = [number for number in (int_in_range(raw, 1) for raw in raw_ids[:20]) if number is not None]
    if not ids:
        return []
    found = db.session.scalars(db.select(Topic).where(Topic.id.in_(ids)).order_by(Topic.id)).all()
    return [t for t in found if t.state in ("open", "decided") and can_manage_topic(g.account, t)]


@bp.route("/manage/<int:activity_id>/edit", methods=["GET", "POST"])
@require_role(*ACTIVITY_ROLES)
def edit(activity_id):
    activity = managed_activity_or_404(activity_id)
    values, errors = values_of(activity, zone()), {}
    if request.method == "POST":
        values, fields, errors = read_form(activity_grid_choices(g.account), zone(), now_utc())
        if g.account.role == "gridworker" and fields.get("whole_community"):
            errors["who"] = _("A grid worker opens an activity to their own grids. Choose the grids.")
        if not errors:
            try:
                promoted = update_activity(db.session, activity, now=now_utc(), actor=g.account, **fields)
            except SignupRefused as refused:
                errors["capacity"] = refusal_words(refused.reason)
                activity = managed_activity_or_404(activity_id)
            else:
                return redirect(
                    url_for("activities.manage_page", activity_id=activity.id, promoted=len(promoted)), code=303
                )
    return render_form(activity, values, errors)


def counts(activity_id: int) -> dict:
    rows = db.session.execute(
        db.select(ActivitySignup.state, func.count())
        .where(ActivitySignup.activity_id == activity_id)
        .group_by(ActivitySignup.state)
    ).all()
    return {state: number for state, number in rows}


@bp.route("/manage/<int:activity_id>")
@require_role(*ACTIVITY_ROLES)
def manage_page(activity_id):
    activity = managed_activity_or_404(activity_id)
    state = request.args.get("state", "")
    query = db.select(ActivitySignup).where(ActivitySignup.activity_id == activity.id)
    if state in ("signed_up", "waiting", "attended", "cancelled", "removed"):
        query = query.where(ActivitySignup.state == state)
    query = query.order_by(
        ActivitySignup.state == "waiting", ActivitySignup.position, ActivitySignup.id
    ).options(joinedload(ActivitySignup.resident))  # fmt: skip
    page = fetch_page(db.session, query, page_number(request.args))
    return render_page(
        "activities/manage.html",
        activity=activity,
        signups=page.items,
        page=page,
        counts=counts(activity.id),
        mask_name=mask_name,
        state_label=state_label,
        activity_state_label=activity_state_label,
        started=activity.starts_at <= now_utc().replace(tzinfo=None),
        made=request.args.get("made") == "1",
        promoted=request.args.get("promoted"),
        told=request.args.get("told"),
    )


@bp.route("/manage/<int:activity_id>/signups/<code>/remove", methods=["GET", "POST"])
@require_role(*ACTIVITY_ROLES)
def remove(activity_id, code):
    activity = managed_activity_or_404(activity_id)
    signup = activity_signup_or_404(activity, code)
    back = url_for("activities.manage_page", activity_id=activity.id)
    if signup.state not in ("signed_up", "waiting"):
        return redirect(back, code=303)
    values, errors = {"reason": request.form.get("reason", "").strip()}, {}
    if request.method == "POST":
        errors = text_errors(values, lengths={"reason": 300})
        if not errors:
            try:
                end_signup(
                    db.session,
                    signup_id=signup.id,
                    now=now_utc(),
                    actor=g.account,
                    origin=record_origin("staff"),
                    reason=values["reason"],
                    removed=True,
                )
            except SignupRefused as refused:
                errors["reason"] = refusal_words(refused.reason)
            else:
                return redirect(back, code=303)
    return render_page(
        "activities/remove.html",
        activity=activity,
        signup=signup,
        name=mask_name(signup.resident.name),
        values=values,
        form_errors=errors,
        back=back,
    )


@bp.route("/manage/<int:activity_id>/cancel", methods=["GET", "POST"])
@require_role(*ACTIVITY_ROLES)
def cancel_all(activity_id):
    activity = managed_activity_or_404(activity_id)
    back = url_for("activities.manage_page", activity_id=activity.id)
    if activity.state != "open":
        return redirect(back, code=303)
    values, errors = {"reason": request.form.get("reason", "").strip()}, {}
    if request.method == "POST":
        errors = text_errors(values, lengths={"reason": 300})
        if not values["reason"] and not errors:
            errors["reason"] = _("Say why the activity is cancelled: everyone signed up is told this reason")
        if not errors:
            try:
                told = cancel_activity(db.session, activity, reason=values["reason"], now=now_utc(), actor=g.account)
            except SignupRefused as refused:
                errors["reason"] = refusal_words(refused.reason)
            else:
                return redirect(url_for("activities.manage_page", activity_id=activity.id, told=told), code=303)
    return render_page("activities/cancel_all.html", activity=activity, values=values, form_errors=errors, back=back)


@bp.route("/manage/<int:activity_id>/close", methods=["POST"])
@require_role(*ACTIVITY_ROLES)
def close(activity_id):
    activity = managed_activity_or_404(activity_id)
    if activity.state == "open" and activity.starts_at <= now_utc().replace(tzinfo=None):
        close_activity(db.session, activity, actor=g.account, now=now_utc())
    return redirect(url_for("activities.manage_page", activity_id=activity.id), code=303)


def resident_for_desk(activity, typed: str) -> Resident:
    """The resident a card scan or an 8-digit resident number names, in the account's scope."""
    if not typed:
        raise LookupError(_("Scan the resident card or type the 8-digit resident number."))
    if typed.upper().startswith("LC1"):
        return resident_from_desk_card(typed, activity.community_id)
    number = "".join(ch for ch in typed if ch.isdigit())
    resident = None
    if len(number) == 8 and number.isascii():
        query = scope_residents(db.select(Resident).where(Resident.number == number), g.account)
        resident = db.session.scalars(query).first()
    if resident is None or resident.community_id != activity.community_id:
        raise LookupError(_("No resident of this community has that number. Check it and try again."))
    return resident


@bp.route("/manage/<int:activity_id>/desk", methods=["GET", "POST"])
@require_role(*ACTIVITY_ROLES)
def desk(activity_id):
    """A sign-up at the staff desk, for someone who came in person: it may use the held-back places."""
    activity = managed_activity_or_404(activity_id)
    typed, errors = request.form.get("resident", "").strip(), {}
    if request.method == "POST":
        try:
            resident = resident_for_desk(activity, typed)
            signup = sign_up(
                db.session,
                activity_id=activity.id,
                resident=resident,
                now=now_utc(),
                origin=record_origin("staff"),
                actor=g.account,
                desk=True,
                wait_if_full=request.form.get("wait") == "1",
                locale=locale(),
            )
        except LookupError as problem:
            errors["resident"] = str(problem)
        except SignupRefused as refused:
            words = refusal_words(refused.reason)
            if refused.reason == "full" and activity.waiting_list:
                words += " " + _("Tick the box to put them on the waiting list.")
            errors["resident"] = words
        else:
            return redirect(url_for("activities.ticket", code=signup.code, new=1), code=303)
        activity = managed_activity_or_404(activity_id)
    return render_page("activities/desk.html", activity=activity, typed=typed[:40], form_errors=errors)


@bp.route("/manage/<int:activity_id>/poster")
@require_role(*ACTIVITY_ROLES)
def poster(activity_id):
    """The activity's A4 QR poster, from the poster registry (kind 'activity')."""
    from ..posters.routes import poster_view

    activity = managed_activity_or_404(activity_id)
    working = ensure_posters(db.session, "activity", [activity])[0]
    if posters_were_made(db.session):
        db.session.commit()
    return render_page("activities/poster.html", activity=activity, view=poster_view(working))
