from flask import current_app, redirect, request
from flask_babel import lazy_gettext as _l

from ..extensions import db, limiter
from ..pages import render_page
from ..redirects import safe_next
from ..services.clock import this_year_local
from ..services.identity import IdentifyError, identify_resident
from . import bp, forget_resident, remember_resident

MESSAGES = {
    "token_malformed": _l("That is not a resident card code. Scan the card again, or use your phone number below."),
    "token_tampered": _l("That card code is not right. Scan the card again, or use your phone number below."),
    "token_unknown": _l("That card code is not right. Scan the card again, or use your phone number below."),
    "token_revoked": _l("This card has been replaced by a newer one. Use your newest card, or your phone number below."),
    "token_foreign": _l("This card belongs to another community. Please ask staff for help."),
    "phone_missing": _l("Enter your mobile phone number"),
    "phone_invalid": _l("Enter an 11-digit mobile number starting with 1, like 139 1234 5678"),
    "year_missing": _l("Enter the year you were born"),
    "year_invalid": _l("Enter the year you were born as 4 digits, like 1950"),
    "no_match": _l("We could not find you with that phone number and birth year. Check both, or ask a volunteer for help."),
}


@bp.route("/identify", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def start():
    next_url = safe_next(request.values.get("next"), "")
    form = {"token": "", "phone": request.form.get("phone", ""), "birth_year": request.form.get("birth_year", "")}
    errors = {}
    if request.method == "POST":
        try:
            resident = identify_resident(
                db.session, current_app.config["SECRET_KEY"], token=request.form.get("token", ""),
                phone=form["phone"], birth_year=form["birth_year"], this_year=this_year_local())
        except IdentifyError as refused:
            errors = {field: str(MESSAGES[code]) for field, code in refused.errors.items()}
        else:
            remember_resident(resident, "card" if request.form.get("token", "").strip() else "phone")
            return redirect(next_url or "/", code=303)
    return render_page("identify/start.html", form=form, form_errors=errors, next_url=next_url)


@bp.route("/identify/forget", methods=["POST"])
def forget():
    forget_resident()
    return redirect(safe_next(request.form.get("next"), "/"), code=303)
