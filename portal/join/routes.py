"""The resident's own sign-up after scanning a grid's join poster."""
from flask import abort, current_app, g, redirect, request, url_for

from ..extensions import db, limiter
from ..models import Grid, Poster
from ..pages import render_page
from ..posters import poster_handler
from ..services.audit import record_event
from ..services.posters import count_signup, find_poster
from ..services.residents import format_resident_number
from ..services.signup import STEPS
from . import bp
from .cards import grant_card, granted_resident
from .pages import SignupFlow, check_page, question_page, save_resident

SIGNUP = SignupFlow("signup", STEPS, "join.step", "join.check")


def signup_rate_limit() -> str:
    return current_app.config["PORTAL_SIGNUP_RATE_LIMIT"]


# One budget per client IP for every answer posted in the sign-up flow.
signup_limit = limiter.shared_limit(signup_rate_limit, scope="signup", methods=["POST"])


@poster_handler("grid")
def grid_poster(poster):
    return redirect(url_for("join.start", code=poster.code), code=303)


def poster_problem(poster, code):
    """The friendly 404 or 410 page for a code that does not start a sign-up, else None."""
    if poster is None or poster.kind != "grid":
        return render_page("posters/unknown.html", status=404, code=code, form_errors={})
    if not poster.active:
        return render_page("posters/retired.html", status=410, poster=poster)
    return None


@bp.route("/join/<code>", methods=["GET", "POST"])
@signup_limit
def start(code):
    poster = find_poster(db.session, code)
    problem = poster_problem(poster, code)
    if problem is not None:
        return problem
    resuming = SIGNUP.active() and SIGNUP.context.get("poster_id") == poster.id and bool(SIGNUP.answers)
    if request.method == "POST":
        if not resuming or request.form.get("again"):
            SIGNUP.start(poster_id=poster.id, code=poster.code, grid_id=poster.grid_id)
        step = SIGNUP.first_unanswered()
        return redirect(SIGNUP.step_url(step) if step else SIGNUP.check_url(), code=303)
    return render_page("join/start.html", poster=poster, grid=poster.grid, resuming=resuming)


def signup_state():
    """The grid and poster of the sign-up in progress, or None when there is none (or it went stale)."""
    if not SIGNUP.active():
        return None
    poster = db.session.get(Poster, SIGNUP.context.get("poster_id"))
    grid = db.session.get(Grid, SIGNUP.context.get("grid_id"))
    if poster is None or grid is None or poster.grid_id != grid.id:
        SIGNUP.clear()
        return None
    return poster, grid


def start_again():
    return redirect(url_for("posters.enter", expired=1), code=303)


@bp.route("/signup/<step>", methods=["GET", "POST"])
@signup_limit
def step(step):
    if step not in STEPS:
        abort(404)
    state = signup_state()
    if state is None:
        return start_again()
    poster, grid = state
    return question_page(SIGNUP, step, grid=grid, voice="self", start_url=url_for("join.start", code=poster.code))


@bp.route("/signup/check-answers", methods=["GET", "POST"])
@signup_limit
def check():
    state = signup_state()
    if state is None:
        return start_again()
    poster, grid = state
    if not SIGNUP.complete():
        return redirect(SIGNUP.step_url(SIGNUP.first_unanswered()), code=303)
    if request.method == "POST":
        resident, origin, refused = save_resident(SIGNUP, grid, "qr", "join.duplicate")
        if refused:
            return refused
        count_signup(db.session, poster.id)
        record_event(db.session, "resident.register", actor=g.get("account"), resident=resident,
                     reason="agreed on the sign-up form", detail=f"joined from poster {poster.code}",
                     channel=origin["channel"], kiosk_id=origin["kiosk_id"])
        db.session.commit()
        SIGNUP.clear()
        grant_card(resident)
        return redirect(url_for("join.done"), code=303)
    return check_page(SIGNUP, grid=grid, voice="self", action=url_for("join.check"))


@bp.route("/signup/done")
def done():
    resident = granted_resident()
    if resident is None:
        return start_again()
    return render_page("join/done.html", resident=resident, number=format_resident_number(resident.number))


@bp.route("/signup/already-registered")
def duplicate():
    return render_page("join/duplicate.html", voice="self")
