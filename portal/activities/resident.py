"""The resident's side: the list of upcoming activities, an activity's page, signing up (or joining the
waiting list when it is full), "My activities" with cancelling or leaving the list, and the ticket.

A helper in an assisted session goes through the same pages for the resident they help (the health
pages' for_resident guard), so each sign-up is audited with the helper's reason."""

from flask import g, redirect, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from ..auth.loaders import found, own_signup_or_404, signup_or_404
from ..channels import record_origin
from ..display import locale
from ..extensions import db
from ..health.common import assisted_reason, for_resident
from ..identify import current_resident, own_slip_or_staff
from ..models import Activity, ActivitySignup, Grid
from ..page_cache import public_page
from ..pages import render_page
from ..posters import poster_handler
from ..services.activities import (
    SignupRefused,
    active_signup,
    end_signup,
    open_to,
    sign_up,
    signup_open,
    waiting_count,
    waiting_position,
)
from ..services.activity_lists import upcoming_query
from ..services.clock import now_utc
from ..services.inputs import int_in_range
from ..services.masking import mask_name
from ..services.paging import fetch_page, page_number
from ..services.permissions import can_manage_activity
from ..services.posters import count_signup
from ..services.qr import qr_svg
from ..services.topics import topics_of_activity
from . import bp
from .common import refusal_words, state_label

POSTER_KEY = "activity-poster"


def load_activity(activity_id: int) -> Activity:
    """Anyone may read an activity's page (nothing personal is on it)."""
    return found(
        db.session.scalars(
            db.select(Activity).options(selectinload(Activity.grids)).where(Activity.id == activity_id)
        ).first()
    )


@bp.route("/")
@public_page
def index():
    resident = current_resident()
    grid_id = int_in_range(request.args.get("grid", ""), 1)
    grid = db.session.get(Grid, grid_id) if grid_id else (resident.grid if resident is not None else None)
    page = fetch_page(db.session, upcoming_query(now_utc(), grid), page_number(request.args))
    return render_page(
        "activities/index.html",
        activities=page.items,
        page=page,
        grid=grid,
        args={"grid": grid_id} if grid_id else {},
    )


@bp.route("/<int:activity_id>")
def show(activity_id):
    activity = load_activity(activity_id)
    resident = current_resident()
    mine = active_signup(db.session, activity.id, resident.id) if resident is not None else None
    return render_page(
        "activities/show.html",
        activity=activity,
        mine=mine,
        position=waiting_position(db.session, mine) if mine is not None else None,
        may_sign_up=signup_open(activity, now_utc()),
        open_to_resident=open_to(activity, resident) if resident is not None else None,
        manages=can_manage_activity(g.get("account"), activity),
        state_label=state_label,
        topics=topics_of_activity(db.session, activity.id),  # the topics a neighbours' meeting is for
    )


@bp.route("/<int:activity_id>/sign-up", methods=["GET", "POST"])
@for_resident
def sign_up_page(activity_id):
    activity = load_activity(activity_id)
    resident = current_resident()
    mine = active_signup(db.session, activity.id, resident.id)
    if mine is not None:
        return redirect(url_for("activities.ticket", code=mine.code), code=303)
    errors = {}
    if request.method == "POST":
        try:
            signup = sign_up(
                db.session,
                activity_id=activity.id,
                resident=resident,
                now=now_utc(),
                origin=record_origin("online"),
                actor=g.get("account"),
                wait_if_full=request.form.get("wait") == "1",
                locale=locale(),
                reason=assisted_reason(),
            )
        except SignupRefused as refused:
            errors["sign-up"] = refusal_words(refused.reason)
            activity, resident = load_activity(activity_id), current_resident()
        else:
            came_from = session.pop(POSTER_KEY, None)
            if came_from and came_from.get("activity_id") == activity.id:
                count_signup(db.session, came_from["poster_id"])
                db.session.commit()
            return redirect(url_for("activities.ticket", code=signup.code, new=1), code=303)
    full = activity.places_left_online == 0
    return render_page(
        "activities/sign_up.html",
        activity=activity,
        resident_name=mask_name(resident.name),
        full=full,
        next_position=waiting_count(db.session, activity.id) + 1,
        may_sign_up=signup_open(activity, now_utc()) and open_to(activity, resident),
        form_errors=errors,
    )


@bp.route("/my")
@for_resident
def mine():
    resident = current_resident()
    query = (
        db.select(ActivitySignup)
        .join(Activity, ActivitySignup.activity_id == Activity.id)
        .where(ActivitySignup.resident_id == resident.id, Activity.ends_at > now_utc().replace(tzinfo=None))
        .order_by(Activity.starts_at, ActivitySignup.id)
        .options(joinedload(ActivitySignup.activity))
    )
    page = fetch_page(db.session, query, page_number(request.args))
    return render_page(
        "activities/mine.html",
        signups=page.items,
        page=page,
        resident_name=mask_name(resident.name),
        state_label=state_label,
        cancelled=request.args.get("cancelled") == "1",
    )


@bp.route("/my/<code>/cancel", methods=["GET", "POST"])
@for_resident
def cancel(code):
    signup = own_signup_or_404(code)
    if signup.state not in ("signed_up", "waiting"):
        return redirect(url_for("activities.mine"), code=303)
    errors = {}
    if request.method == "POST":
        try:
            end_signup(
                db.session,
                signup_id=signup.id,
                now=now_utc(),
                actor=g.get("account"),
                origin=record_origin("online"),
                reason=assisted_reason(),
            )
        except SignupRefused as refused:
            errors["cancel"] = refusal_words(refused.reason)
            signup = own_signup_or_404(code)
        else:
            return redirect(url_for("activities.mine", cancelled=1), code=303)
    return render_page("activities/cancel.html", signup=signup, activity=signup.activity, form_errors=errors)


@bp.route("/tickets/<code>")
def ticket(code):
    """The ticket (and its printable slip): for its own identified resident, or staff running the activity."""
    signup = signup_or_404(code)
    refused = own_slip_or_staff(signup.resident_id, can_manage_activity(g.get("account"), signup.activity))
    if refused is not None:
        return refused
    label = _("QR code of the ticket code %(code)s, for the door", code=signup.code)
    return render_page(
        "activities/ticket.html",
        signup=signup,
        activity=signup.activity,
        position=waiting_position(db.session, signup),
        qr=qr_svg(signup.code, label=label),
        just_made=request.args.get("new") == "1",
        state_label=state_label,
    )


@poster_handler("activity")
def activity_poster(poster):
    """An activity's QR poster leads to its page; a sign-up that follows is counted on the poster."""
    if poster.activity is None:
        return redirect(url_for("activities.index"), code=303)
    session[POSTER_KEY] = {"poster_id": poster.id, "activity_id": poster.activity_id}
    return redirect(url_for("activities.show", activity_id=poster.activity_id), code=303)
