"""/identify on the open web: the resident card, or the mobile number and birth year followed by a
code sent by SMS (a stranger who knows the number cannot get in by guessing the year). When the phone
and year match residents of more than one community, the resident chooses the community.
A registered kiosk and a helper's assisted session identify elsewhere (kiosk/identify.py, assist/)."""

from flask import current_app, redirect, request, session, url_for
from flask_babel import get_locale

from ..display import place_name
from ..extensions import client_ip, db, limiter
from ..models import Community, OneTimeCode
from ..pages import render_page
from ..redirects import safe_next
from ..services.identity import (
    ChooseCommunity,
    IdentifyError,
    check_phone_and_year,
    identify_by_card,
    messages,
    residents_by_phone_and_year,
)
from ..services.masking import mask_phone
from ..services.phone_codes import CodeRefused, check_code, send_identify_code, verified_phone
from . import bp, forget_resident, remember_resident, year_now

CODE_KEY = "identify_code"


def secret() -> str:
    return current_app.config["SECRET_KEY"]


def finish(resident, how: str, next_url: str):
    session.pop(CODE_KEY, None)
    remember_resident(resident, how)
    db.session.commit()
    return redirect(safe_next(next_url, "/"), code=303)


@bp.route("/identify", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def start():
    next_url = safe_next(request.values.get("next"), "")
    form = {"token": "", "phone": request.form.get("phone", ""), "birth_year": request.form.get("birth_year", "")}
    errors = {}
    if request.method == "POST":
        try:
            if request.form.get("how") == "card" or request.form.get("token", "").strip():
                resident = identify_by_card(
                    db.session, secret(), request.form.get("token", ""), community_id=None, address=client_ip()
                )
                return finish(resident, "card", next_url)
            phone, year = check_phone_and_year(form["phone"], form["birth_year"], year_now())
            code = send_identify_code(
                db.session, secret(), phone=phone, birth_year=year, locale=str(get_locale()), address=client_ip()
            )
        except IdentifyError as refused:
            db.session.commit()  # the failure counted and its audit event stay
            errors = messages(refused.errors)
        else:
            db.session.commit()
            session[CODE_KEY] = {"id": code.id, "next": next_url}
            return redirect(url_for("identify.code"), code=303)
    return render_page("identify/start.html", form=form, form_errors=errors, next_url=next_url)


def pending_code() -> OneTimeCode | None:
    pending = session.get(CODE_KEY) or {}
    return db.session.get(OneTimeCode, pending["id"]) if isinstance(pending.get("id"), int) else None


@bp.route("/identify/code", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def code():
    row = pending_code()
    if row is None:
        return redirect(url_for("identify.start"), code=303)
    next_url = session[CODE_KEY].get("next", "")
    errors, typed = {}, request.form.get("code", "")
    if request.method == "POST" and request.form.get("again"):
        return send_again(row, next_url)
    if request.method == "POST":
        try:
            row = check_code(db.session, secret(), row.id, typed, purpose="identify", address=client_ip())
        except CodeRefused as refused:
            db.session.commit()
            errors = messages(refused.errors)
        else:
            db.session.commit()
            return after_code(row, next_url)
    return render_page(
        "identify/code.html",
        masked_phone=mask_phone(row.phone),
        typed=typed,
        form_errors=errors,
        sent_again=bool(request.args.get("sent")),
    )


def send_again(row: OneTimeCode, next_url: str):
    try:
        fresh = send_identify_code(
            db.session,
            secret(),
            phone=row.phone,
            birth_year=row.birth_year,
            locale=str(get_locale()),
            address=client_ip(),
        )
    except IdentifyError as refused:
        db.session.commit()
        return render_page(
            "identify/code.html",
            masked_phone=mask_phone(row.phone),
            typed="",
            form_errors=messages({"code": refused.errors["phone"]}),
        )
    db.session.commit()
    session[CODE_KEY] = {"id": fresh.id, "next": next_url}
    return redirect(url_for("identify.code", sent=1), code=303)


def after_code(row: OneTimeCode, next_url: str):
    """The phone is proven: now the phone and year find the resident, or ask which community."""
    try:
        found = residents_by_phone_and_year(db.session, row.phone, row.birth_year, None)
        if not found:
            raise IdentifyError({"phone": "no_match"})
        if len(found) > 1:
            raise ChooseCommunity(found)
    except IdentifyError as refused:
        session.pop(CODE_KEY, None)
        form = {"token": "", "phone": row.phone, "birth_year": str(row.birth_year)}
        return render_page("identify/start.html", form=form, form_errors=messages(refused.errors), next_url=next_url)
    except ChooseCommunity:
        return redirect(url_for("identify.community"), code=303)
    return finish(found[0], "phone", next_url)


@bp.route("/identify/community", methods=["GET", "POST"])
def community():
    row = pending_code()
    phone = verified_phone(db.session, row.id, purpose="identify") if row else None
    if phone is None:
        return redirect(url_for("identify.start"), code=303)
    found = residents_by_phone_and_year(db.session, phone, row.birth_year, None)
    communities = {r.community_id: r for r in found}
    chosen, errors = request.form.get("community", ""), {}
    if request.method == "POST":
        resident = communities.get(int(chosen)) if chosen.isascii() and chosen.isdigit() and len(chosen) < 10 else None
        if resident is not None:
            return finish(resident, "phone", session[CODE_KEY].get("next", ""))
        errors = messages({"community": "community_missing"})
    options = [
        (str(c.id), place_name(c))
        for c in db.session.scalars(db.select(Community).where(Community.id.in_(communities)).order_by(Community.id))
    ]
    return render_page("identify/community.html", options=options, chosen=chosen, form_errors=errors)


@bp.route("/identify/forget", methods=["POST"])
def forget():
    forget_resident()
    return redirect(safe_next(request.form.get("next"), "/"), code=303)
