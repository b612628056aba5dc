"""At the door: staff check people in by scanning the ticket or the resident card (the one card
identification service), or by ticking the attendance sheet, which also prints on A4 with masked names,
one line each. And the grid worker's call list: residents without a mobile who got a place from the
waiting list, or whose activity was cancelled, are phoned or visited instead of sent a text."""

from flask import g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ..auth.guards import require_role
from ..auth.loaders import activity_signup_or_404, grid_signup_or_404, managed_activity_or_404
from ..channels import account_channel, record_origin
from ..extensions import db
from ..identify import resident_from_desk_card
from ..models import Activity, ActivitySignup, Resident, utcnow
from ..pages import render_page
from ..services.activity_admin import check_in
from ..services.audit import record_event
from ..services.booking import normalise_reference
from ..services.cards import normalise_token
from ..services.clock import now_utc
from ..services.masking import mask_name
from ..services.paging import fetch_page, page_number
from ..services.permissions import ACTIVITY_ROLES, CALL_ROLES, visible_grids
from . import bp
from .common import state_label


def signup_for_code(activity: Activity, code: str) -> ActivitySignup:
    """The sign-up a scanned ticket or resident card names; LookupError says why there is none."""
    if not code.strip():
        raise LookupError(_("Scan the ticket or the resident card, or type the ticket code."))
    if normalise_token(code).startswith("LC1"):
        resident = resident_from_desk_card(code, activity.community_id)
        signup = db.session.scalars(
            db.select(ActivitySignup).where(
                ActivitySignup.activity_id == activity.id,
                ActivitySignup.resident_id == resident.id,
                ActivitySignup.state.in_(("signed_up", "waiting", "attended")),
            )
        ).first()
        if signup is None:
            raise LookupError(_("%(name)s is not signed up for this activity.", name=mask_name(resident.name)))
    else:
        signup = db.session.scalars(
            db.select(ActivitySignup).filter_by(code=normalise_reference(code)[:12], activity_id=activity.id)
        ).first()
        if signup is None:
            raise LookupError(_("No ticket for this activity has that code. Check the code and try again."))
    if signup.state == "waiting":
        raise LookupError(_("%(name)s is on the waiting list, not signed up.", name=mask_name(signup.resident.name)))
    if signup.state in ("cancelled", "removed"):
        raise LookupError(_("This ticket was cancelled."))
    return signup


def sheet_rows(activity: Activity) -> list[ActivitySignup]:
    """Everyone with a place, in name order (one line each on the sheet)."""
    return list(
        db.session.scalars(
            db.select(ActivitySignup)
            .join(Resident, ActivitySignup.resident_id == Resident.id)
            .where(ActivitySignup.activity_id == activity.id, ActivitySignup.state.in_(("signed_up", "attended")))
            .order_by(Resident.name, ActivitySignup.id)
            .options(joinedload(ActivitySignup.resident))
        )
    )


def render_door(activity, errors=None, done="", code=""):
    return render_page(
        "activities/door.html",
        activity=activity,
        rows=sheet_rows(activity),
        mask_name=mask_name,
        state_label=state_label,
        form_errors=errors or {},
        done=done,
        code=code[:60],
    )


@bp.route("/manage/<int:activity_id>/door", methods=["GET", "POST"])
@require_role(*ACTIVITY_ROLES)
def door(activity_id):
    activity = managed_activity_or_404(activity_id)
    if request.method == "GET":
        return render_door(activity)
    code = request.form.get("code", "")
    try:
        signup = signup_for_code(activity, code)
    except LookupError as problem:
        return render_door(activity, errors={"code": str(problem)}, code=code)
    name = mask_name(signup.resident.name)
    if check_in(db.session, signup, now=now_utc(), actor=g.account, origin=record_origin("staff")):
        done = _("%(name)s is checked in.", name=name)
    else:
        done = _("%(name)s was already checked in.", name=name)
    return render_door(activity, done=done)


@bp.route("/manage/<int:activity_id>/signups/<code>/attended", methods=["POST"])
@require_role(*ACTIVITY_ROLES)
def tick(activity_id, code):
    """A tick on the attendance sheet on screen: this person came."""
    activity = managed_activity_or_404(activity_id)
    signup = activity_signup_or_404(activity, code)
    if signup.state == "signed_up":
        check_in(db.session, signup, now=now_utc(), actor=g.account, origin=record_origin("staff"))
    return redirect(url_for("activities.door", activity_id=activity.id), code=303)


@bp.route("/manage/<int:activity_id>/sheet")
@require_role(*ACTIVITY_ROLES)
def sheet(activity_id):
    activity = managed_activity_or_404(activity_id)
    return render_page("activities/sheet.html", activity=activity, rows=sheet_rows(activity), mask_name=mask_name)


def calls_query(grids):
    return (
        db.select(ActivitySignup)
        .join(Resident, ActivitySignup.resident_id == Resident.id)
        .where(
            Resident.grid_id.in_([grid.id for grid in grids] or [-1]),
            ActivitySignup.call_reason.is_not(None),
            ActivitySignup.call_done_at.is_(None),
        )
        .order_by(ActivitySignup.id)
        .options(joinedload(ActivitySignup.resident).joinedload(Resident.building), joinedload(ActivitySignup.activity))
    )


@bp.route("/calls")
@require_role(*CALL_ROLES)
def calls():
    page = fetch_page(db.session, calls_query(visible_grids(db.session, g.account)), page_number(request.args))
    return render_page("activities/calls.html", rows=page.items, page=page, mask_name=mask_name)


@bp.route("/calls/<code>", methods=["POST"])
@require_role(*CALL_ROLES)
def call_done(code):
    signup = grid_signup_or_404(code)
    signup.call_done_at = utcnow()
    record_event(
        db.session,
        "activity.reminder_call",
        actor=g.account,
        resident=signup.resident,
        detail=f"activity={signup.activity_id}; code={signup.code}",
        channel=account_channel(g.account),
    )
    db.session.commit()
    return redirect(url_for("activities.calls"), code=303)
