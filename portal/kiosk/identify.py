"""Identification at a kiosk: scan the resident card, or tap the phone number and birth year on a
big keypad. A registered kiosk may take phone plus birth year without a code sent by SMS. The same
services/identity.py as every other path: failures are counted there per phone and per card, and here
per kiosk too (the kiosk pauses for a minute after five). With JavaScript off every keypad tap is a
plain form post (saved in the session, then Post/Redirect/Get); with it on, kiosk.js fills the field."""

from flask import current_app, g, redirect, request, session, url_for

from ..channels import record_origin
from ..extensions import client_ip, db
from ..identify import current_resident, remember_resident, year_now
from ..pages import render_page
from ..redirects import safe_next
from ..services.audit import record_event
from ..services.identity import (
    COUNTED,
    ChooseCommunity,
    IdentifyError,
    check_birth_year,
    check_phone,
    identify_by_card,
    identify_resident,
    message,
)
from ..services.kiosks import identification_paused_until, record_identify_failure
from ..sessions import end_session
from . import bp
from .device import names_a_record
from .routes import kiosk_only

STATE_KEY = "kiosk_identify"
DIGITS = set("0123456789")
STEPS = {
    "phone": {"max": 11},
    "birth_year": {"max": 4},
}


def state() -> dict:
    return session.get(STATE_KEY) or {}


def save_state(**values) -> None:
    current = state()
    current.update(values)
    session[STATE_KEY] = current


def paused_page(next_url: str):
    return render_page("kiosk/paused.html", status=429, next_url=next_url)


def is_paused() -> bool:
    return identification_paused_until(db.session, g.kiosk.id) is not None


def count_failure(code: str) -> None:
    """A guess counts against this kiosk too (the service has already counted the phone or card)."""
    if code in COUNTED or code.endswith("_paused"):
        record_identify_failure(db.session, g.kiosk.id)
    db.session.commit()


def identify_here(**answers):
    """identify_resident() scoped to this kiosk's community, so it cannot match in two."""
    return identify_resident(
        db.session,
        current_app.config["SECRET_KEY"],
        year_now=year_now(),
        community_id=g.kiosk.community_id,
        address=client_ip(),
        origin=record_origin("kiosk"),
        **answers,
    )


def identify_card_here(token: str):
    return identify_by_card(
        db.session,
        current_app.config["SECRET_KEY"],
        token,
        community_id=g.kiosk.community_id,
        address=client_ip(),
        origin=record_origin("kiosk"),
    )


def identified(resident, how: str, next_url: str):
    previous = current_resident()
    if previous is not None and previous.id != resident.id:
        end_session()  # someone else is starting: nothing of the earlier person stays
    session.pop(STATE_KEY, None)
    remember_resident(resident, how)
    origin = record_origin("kiosk")
    record_event(
        db.session,
        "resident.identify",
        actor=g.get("account"),
        resident=resident,
        detail=how,
        channel=origin["channel"],
        kiosk_id=origin["kiosk_id"],
    )
    db.session.commit()
    return redirect(next_url or url_for("kiosk.me"), code=303)


@bp.route("/kiosk/identify", methods=["GET", "POST"])
@kiosk_only
def identify():
    if request.method == "GET" and names_a_record(request.args.get("next", "")):
        return redirect(url_for("kiosk.identify"), code=303)  # a clean address: no one's booking in it
    next_url = safe_next(request.values.get("next"), "")
    if request.method == "GET" and "next" in request.args:
        save_state(next=next_url)
    if is_paused():
        return paused_page(next_url)
    errors = {}
    if request.method == "POST":
        try:
            resident = identify_card_here(request.form.get("token", ""))
        except IdentifyError as refused:
            code = refused.errors["token"]
            count_failure(code)
            if is_paused():
                return paused_page(next_url)
            errors["token"] = message(code)
        else:
            return identified(resident, "card", next_url)
    return render_page("kiosk/identify.html", form_errors=errors, next_url=next_url)


def keypad_step(step: str):
    """One keypad question. A digit or Delete changes the stored answer; Next checks it."""
    maximum = STEPS[step]["max"]
    next_url = state().get("next", "")
    value = state().get(step, "")
    errors = {}
    if request.method == "POST":
        typed = request.form.get(step, value)
        value = "".join(c for c in typed if c in DIGITS)[:maximum]
        key = request.form.get("key", "next")
        if key in DIGITS or key == "delete":
            value = value[:-1] if key == "delete" else (value + key)[:maximum]
            save_state(**{step: value})
            return redirect(url_for(request.endpoint), code=303)
        save_state(**{step: value})
        errors = check_step(step, value)
        if not errors and step == "phone":
            return redirect(url_for("kiosk.identify_birth_year"), code=303)
        if not errors:
            return finish_by_phone(next_url)
    return render_page(
        "kiosk/identify_keypad.html", step=step, value=value, maximum=maximum, form_errors=errors, next_url=next_url
    )


def check_step(step: str, value: str) -> dict:
    """The one phone rule and the one birth-year rule of services/identity.py."""
    code = check_phone(value)[1] if step == "phone" else check_birth_year(value, year_now())[1]
    return {step: message(code)} if code else {}


def finish_by_phone(next_url: str):
    if is_paused():
        return paused_page(next_url)
    try:
        resident = identify_here(phone=state().get("phone", ""), birth_year=state().get("birth_year", ""))
    except (IdentifyError, ChooseCommunity) as refused:
        codes = list(refused.errors.values()) if isinstance(refused, IdentifyError) else ["no_match"]
        for code in codes:
            count_failure(code)
        if is_paused():
            return paused_page(next_url)
        errors = {"birth_year": " ".join(message(c) for c in codes)}
        return render_page(
            "kiosk/identify_keypad.html",
            step="birth_year",
            value=state().get("birth_year", ""),
            maximum=STEPS["birth_year"]["max"],
            form_errors=errors,
            next_url=next_url,
        )
    return identified(resident, "phone", next_url)


@bp.route("/kiosk/identify/phone", methods=["GET", "POST"])
@kiosk_only
def identify_phone():
    if is_paused():
        return paused_page(state().get("next", ""))
    return keypad_step("phone")


@bp.route("/kiosk/identify/year", methods=["GET", "POST"])
@kiosk_only
def identify_birth_year():
    if is_paused():
        return paused_page(state().get("next", ""))
    if check_step("phone", state().get("phone", "")):
        return redirect(url_for("kiosk.identify_phone"), code=303)
    return keypad_step("birth_year")
