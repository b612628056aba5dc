"""Register a resident: a grid worker or volunteer runs the sign-up questions for someone without a phone.

The record stores the helper's channel and account (record_origin), an audit event says who registered
whom, and the new resident's id is left in the session for the assisted-session capability.
"""

from flask import abort, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l

from ..auth.guards import require_role
from ..extensions import db
from ..models import Grid, Resident
from ..pages import render_page
from ..services.audit import record_event
from ..services.masking import mask_name
from ..services.permissions import HELPER_ROLES, registrable_grids
from ..services.residents import format_resident_number
from ..services.signup import STEPS
from . import bp
from .cards import grant_card
from .pages import SignupFlow, check_page, question_page, save_resident

REGISTER = SignupFlow("register", STEPS, "join.register_step", "join.register_check")
LAST_REGISTERED = "last_registered_resident_id"
CHOOSE_GRID = _l("Choose the grid the resident lives in")


def unfinished() -> bool:
    return REGISTER.active() and bool(REGISTER.answers)


def begin(grid) -> object:
    REGISTER.start(grid_id=grid.id)
    return redirect(REGISTER.step_url(STEPS[0]), code=303)


@bp.route("/residents/register", methods=["GET", "POST"])
@require_role(*HELPER_ROLES)
def register_start():
    grids = registrable_grids(g.account)
    by_id = {str(grid.id): grid for grid in grids}
    wanted = request.values.get("grid_id", "")
    errors = {}
    if request.method == "POST":
        if request.form.get("resume") and unfinished():
            step = REGISTER.first_unanswered()
            return redirect(REGISTER.step_url(step) if step else REGISTER.check_url(), code=303)
        if wanted in by_id:
            return begin(by_id[wanted])
        errors["grid_id"] = str(CHOOSE_GRID)
    elif grids and not unfinished():
        # Nothing to lose: go straight to the first question when the grid is already known.
        if wanted in by_id:
            return begin(by_id[wanted])
        if len(grids) == 1:
            return begin(grids[0])
    # Preselect the grid asked for, else the one of the registration in progress, else the first.
    current = str(REGISTER.context.get("grid_id")) if REGISTER.active() else ""
    selected = next((choice for choice in (wanted, current) if choice in by_id), str(grids[0].id) if grids else "")
    return render_page(
        "join/register_start.html",
        grids=grids,
        selected=selected,
        form_errors=errors,
        unfinished_name=mask_name(REGISTER.answer("name", "")) if unfinished() else "",
        single_grid=len(grids) == 1,
    )


def register_grid():
    """The grid of the registration in progress, if this helper may still register into it."""
    if not REGISTER.active():
        return None
    grid = db.session.get(Grid, REGISTER.context.get("grid_id"))
    if grid is None or grid.id not in {x.id for x in registrable_grids(g.account)}:
        REGISTER.clear()
        return None
    return grid


def start_url() -> str:
    return url_for("main.me") if len(registrable_grids(g.account)) == 1 else url_for("join.register_start")


@bp.route("/residents/register/<step>", methods=["GET", "POST"])
@require_role(*HELPER_ROLES)
def register_step(step):
    if step not in STEPS:
        abort(404)
    grid = register_grid()
    if grid is None:
        return redirect(url_for("join.register_start"), code=303)
    return question_page(REGISTER, step, grid=grid, voice="helper", start_url=start_url())


@bp.route("/residents/register/check-answers", methods=["GET", "POST"])
@require_role(*HELPER_ROLES)
def register_check():
    grid = register_grid()
    if grid is None:
        return redirect(url_for("join.register_start"), code=303)
    if not REGISTER.complete():
        return redirect(REGISTER.step_url(REGISTER.first_unanswered()), code=303)
    if request.method == "POST":
        resident, origin, refused = save_resident(REGISTER, grid, "gridworker", "join.register_duplicate")
        if refused:
            return refused
        record_event(
            db.session,
            "resident.register",
            actor=g.account,
            resident=resident,
            reason="resident agreed; helper confirmed the agreement",
            detail=f"registered by {g.account.role}",
            channel=origin["channel"],
            kiosk_id=origin["kiosk_id"],
        )
        db.session.commit()
        REGISTER.clear()
        session[LAST_REGISTERED] = resident.id
        grant_card(resident)
        return redirect(url_for("join.register_done"), code=303)
    return check_page(REGISTER, grid=grid, voice="helper", action=url_for("join.register_check"))


@bp.route("/residents/register/done")
@require_role(*HELPER_ROLES)
def register_done():
    resident = db.session.get(Resident, session.get(LAST_REGISTERED) or 0)
    if resident is None or resident.grid_id not in {grid.id for grid in registrable_grids(g.account)}:
        return redirect(url_for("join.register_start"), code=303)
    return render_page(
        "join/register_done.html",
        resident=resident,
        masked_name=mask_name(resident.name),
        number=format_resident_number(resident.number),
    )


@bp.route("/residents/register/already-registered")
@require_role(*HELPER_ROLES)
def register_duplicate():
    return render_page("join/duplicate.html", voice="helper")
