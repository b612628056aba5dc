"""The resident's own sign-up after scanning a grid's join poster."""

from flask import abort, current_app, g, redirect, request, url_for

from ..display import place_name
from ..extensions import client_ip, db, limiter
from ..models import Grid, Poster
from ..pages import render_page
from ..posters import poster_handler
from ..services.audit import record_event
from ..services.masking import mask_phone
from ..services.phone_codes import CodeRefused, check_code
from ..services.posters import count_signup, find_poster
from ..services.residents import format_resident_number
from ..services.signup import STEPS, find_duplicate
from . import bp
from .cards import grant_card, granted_resident
from .pages import SignupFlow, check_page, question_page, save_resident, send_signup_code
from .questions import messages

SIGNUP = SignupFlow("signup", STEPS, "join.step", "join.check", code_endpoint="join.phone_code")


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
    if not SIGNUP.phone_verified():
        return redirect(SIGNUP.code_url(), code=303)
    if request.method == "POST":
        resident, origin, refused = save_resident(SIGNUP, grid, "qr", "join.duplicate")
        if refused:
            return refused
        count_signup(db.session, poster.id)
        record_event(
            db.session,
            "resident.register",
            actor=g.get("account"),
            resident=resident,
            reason="agreed on the sign-up form",
            detail=f"joined from poster {poster.code}",
            channel=origin["channel"],
            kiosk_id=origin["kiosk_id"],
        )
        db.session.commit()
        SIGNUP.clear()
        grant_card(resident)
        return redirect(url_for("join.done"), code=303)
    return check_page(SIGNUP, grid=grid, voice="self", action=url_for("join.check"))


@bp.route("/signup/done")
def done():
    resident = granted_resident(joined_only=True)
    if resident is None:
        return start_again()
    return render_page("join/done.html", resident=resident, number=format_resident_number(resident.number))


@bp.route("/signup/phone-code", methods=["GET", "POST"])
@signup_limit
def phone_code():
    """Right after the phone question: the code sent by SMS. Only once the phone is proved does the page
    say whether it is already registered, so the sign-up tells nobody else whether a number is known."""
    state = signup_state()
    if state is None:
        return start_again()
    poster, grid = state
    changing = bool(request.args.get("change"))
    phone = SIGNUP.answer("phone")
    if not phone or SIGNUP.context.get("code_id") is None:
        return redirect(SIGNUP.step_url("phone"), code=303)
    if SIGNUP.phone_verified():
        return redirect(SIGNUP.next_url("phone", changing), code=303)
    errors, typed = {}, request.form.get("code", "")
    if request.method == "POST" and request.form.get("again"):
        problem = send_signup_code(SIGNUP, phone)
        errors = messages({"code": problem["phone"]}, "self") if problem else {}
        if not errors:
            return redirect(SIGNUP.code_url(changing), code=303)
    elif request.method == "POST":
        try:
            check_code(
                db.session,
                current_app.config["SECRET_KEY"],
                SIGNUP.context.get("code_id"),
                typed,
                purpose="signup",
                address=client_ip(),
            )
        except CodeRefused as refused:
            db.session.commit()
            errors = messages(refused.errors, "self")
        else:
            db.session.commit()
            SIGNUP.set_context(verified_phone=phone)
            existing = find_duplicate(db.session, grid.community_id, phone=phone)
            if existing is not None:
                SIGNUP.clear()
                grant_card(existing, joined=False)  # the phone is proved: this person may print their card again
                return redirect(url_for("join.duplicate"), code=303)
            return redirect(SIGNUP.next_url("phone", changing), code=303)
    return render_page(
        "identify/code.html",
        masked_phone=mask_phone(phone),
        typed=typed,
        form_errors=errors,
        action=SIGNUP.code_url(changing),
        back_url=SIGNUP.step_url("phone", changing),
        caption=f"{place_name(grid.community)} · {place_name(grid)}",
        signup=True,
    )


@bp.route("/signup/already-registered")
def duplicate():
    return render_page("join/duplicate.html", voice="self", resident=granted_resident())
