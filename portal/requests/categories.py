"""Admins manage request categories and their service levels. Categories are switched off, never
deleted, because old requests still point at them."""

import re

from flask import redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..auth.guards import require_role
from ..auth.loaders import load_or_404
from ..extensions import db
from ..models import Category, Request
from ..pages import render_page
from ..services.inputs import int_in_range, text_errors
from . import bp

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


def read_form(form, creating: bool) -> tuple[dict, dict]:
    values = {
        k: form.get(k, "").strip()
        for k in ("code", "name", "name_en", "hours_to_accept", "days_to_resolve", "position")
    }
    values["active"] = form.get("active") == "yes"
    errors = {}
    if creating and not CODE_RE.fullmatch(values["code"]):
        errors["code"] = _(
            "Enter a short code of lower-case letters, digits or _, starting with a letter, like repairs"
        )
    errors.update(text_errors({"name": values["name"], "name_en": values["name_en"]}, Category))
    if not values["name"]:
        errors["name"] = _("Enter the Chinese name")
    elif len(values["name"]) > 80:
        errors["name"] = _("Keep the name to 80 characters or fewer")
    if not values["name_en"]:
        errors["name_en"] = _("Enter the English name")
    elif len(values["name_en"]) > 120:
        errors["name_en"] = _("Keep the name to 120 characters or fewer")
    for name, low, high in (("hours_to_accept", 1, 720), ("days_to_resolve", 1, 365), ("position", 0, 100_000)):
        number = int_in_range(values[name], low, high)
        values[name] = str(number) if number is not None else values[name]
    if int_in_range(values["hours_to_accept"], 1, 720) is None:
        errors["hours_to_accept"] = _("Enter a whole number of hours from 1 to 720")
    if int_in_range(values["days_to_resolve"], 1, 365) is None:
        errors["days_to_resolve"] = _("Enter a whole number of days from 1 to 365")
    elif "hours_to_accept" not in errors and int(values["hours_to_accept"]) > int(values["days_to_resolve"]) * 24:
        errors["days_to_resolve"] = _("The time to resolve cannot be shorter than the time to accept")
    if values["position"] and int_in_range(values["position"], 0, 100_000) is None:
        errors["position"] = _("Enter a whole number, or leave it empty")
    return values, errors


def apply(category: Category, values: dict) -> None:
    category.name, category.name_en = values["name"], values["name_en"]
    category.hours_to_accept = int(values["hours_to_accept"])
    category.days_to_resolve = int(values["days_to_resolve"])
    category.position = int(values["position"] or 100)
    category.active = values["active"]


@bp.route("/requests/categories")
@require_role("admin")
def categories():
    rows = db.session.scalars(db.select(Category).order_by(Category.position, Category.id)).all()
    counts = dict(
        db.session.execute(db.select(Request.category_id, db.func.count()).group_by(Request.category_id)).all()
    )
    return render_page("requests/categories.html", categories=rows, counts=counts, saved=request.args.get("saved"))


@bp.route("/requests/categories/new", methods=["GET", "POST"])
@require_role("admin")
def category_new():
    values, errors = (
        {
            "code": "",
            "name": "",
            "name_en": "",
            "hours_to_accept": "24",
            "days_to_resolve": "7",
            "position": "",
            "active": True,
        },
        {},
    )
    if request.method == "POST":
        values, errors = read_form(request.form, creating=True)
        if not errors:
            category = Category(code=values["code"])
            apply(category, values)
            db.session.add(category)
            try:
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                errors["code"] = _("Another category already uses this code")
            else:
                return redirect(url_for("requests.categories", saved=1), code=303)
    return render_page("requests/category_form.html", values=values, form_errors=errors, category=None)


@bp.route("/requests/categories/<int:category_id>", methods=["GET", "POST"])
@require_role("admin")
def category_edit(category_id):
    category = load_or_404(Category, category_id)
    values = {
        "code": category.code,
        "name": category.name,
        "name_en": category.name_en,
        "hours_to_accept": str(category.hours_to_accept),
        "days_to_resolve": str(category.days_to_resolve),
        "position": str(category.position),
        "active": category.active,
    }
    errors = {}
    if request.method == "POST":
        values, errors = read_form(request.form, creating=False)
        values["code"] = category.code
        if not errors:
            apply(category, values)
            db.session.commit()
            return redirect(url_for("requests.categories", saved=1), code=303)
    return render_page("requests/category_form.html", values=values, form_errors=errors, category=category)
