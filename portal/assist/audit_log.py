"""The audit log for staff and admins: who did what, for whom, when and why; filtered, and as CSV.

Nothing here changes or deletes an event (the model refuses that anyway)."""

from flask import Response, g, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..auth.guards import require_role
from ..display import place_name, to_local, zone
from ..extensions import db
from ..i18n import current_lang_code
from ..models import AuditEvent, Category, Resident, utcnow
from ..mydata.words import FIELD_LABELS as FIELD_WORDS
from ..pages import render_page
from ..services.audit import detail_parts, record_event
from ..services.audit_actions import action_label
from ..services.audit_log import PAGE_SIZE, events_csv, events_query, scoped_accounts
from ..services.dates import local_day_bounds
from ..services.inputs import ascii_digits, date_in_range
from ..services.paging import Page, fetch_page, page_number
from ..services.permissions import STAFF_ROLES
from . import bp
from .neighbour_details import names_in_details, neighbour_phrase

IDENTITY_WORDS = {"card": _l("resident card"), "id_document": _l("ID card"), "known": _l("known personally")}
ENDED_WORDS = {
    "by_helper": _l("ended by the helper"),
    "switched": _l("ended to help another resident"),
    "timeout": _l("ended after 30 minutes"),
}


FORMAT_WORDS = {"print": _l("printed page"), "json": _l("JSON file")}


def detail_words(detail: str, category_names: dict, names: dict | None = None) -> str:
    """An event's detail codes in words: "identity=card; consent=given" -> "Identity checked: resident card".
    `names`: the grids and polls the page's events name (neighbour_details.names_in_details)."""
    phrases = []
    for key, has_value, value in detail_parts(detail):
        if not has_value:
            phrases.append(key)
        elif key == "identity":
            phrases.append(_("Identity checked: %(how)s", how=IDENTITY_WORDS.get(value, value)))
        elif key == "consent":
            phrases.append(_("consent given") if value == "given" else f"{key}={value}")
        elif key == "ended":
            phrases.append(str(ENDED_WORDS.get(value, value)))
        elif key == "extended":
            phrases.append(_("30 more minutes"))
        elif key == "ticket":
            phrases.append(_("Request %(ticket)s", ticket=value))
        elif key == "category":
            phrases.append(category_names.get(value, value))
        elif key == "number":
            phrases.append(_("the family contact's number") if value == "family" else _("the resident's own number"))
        elif key == "filters":
            phrases.append(_("no filters"))
        elif key == "field":  # a correction of the resident's record: which part (never the value)
            phrases.append(_("About: %(what)s", what=FIELD_WORDS.get(value, value)))
        elif key == "format":
            phrases.append(str(FORMAT_WORDS.get(value, value)))
        elif key == "notice":
            phrases.append(_("Notice number %(number)s", number=value))
        elif key == "account":
            phrases.append(_("Account %(username)s", username=value))
        # Votes, the volunteer register and mutual aid
        elif (neighbours := neighbour_phrase(key, value, names or {})) is not None:
            phrases.append(neighbours)
        else:
            phrases.append(f"{key}: {value}")
    return ("；" if current_lang_code() == "zh" else "; ").join(p for p in phrases if p)


def parse_filters(args, accounts) -> tuple[dict, dict, dict]:
    """(what was typed, the query arguments, errors). Bad input is explained, never ignored."""
    form = {
        "resident": args.get("resident", "").strip(),
        "account": args.get("account", ""),
        "date_from": args.get("date_from", "").strip(),
        "date_to": args.get("date_to", "").strip(),
    }
    query, errors = {}, {}
    number = form["resident"].replace(" ", "")
    if number:
        number = ascii_digits(number) or ""
        resident = (
            db.session.scalars(db.select(Resident).where(Resident.number == number)).first()
            if len(number) == 8
            else None
        )
        if len(number) != 8:
            errors["resident"] = _("Enter the resident number as 8 digits, like 1234 5678")
        elif resident is None:
            errors["resident"] = _("We cannot find a resident with that number")
        else:
            query["resident_id"] = resident.id
    if form["account"]:
        allowed = {str(a.id): a for a in accounts}
        if form["account"] in allowed:
            query["actor_id"] = allowed[form["account"]].id
        else:
            errors["account"] = _("Choose an account from the list")
    tz = zone()
    days = {}
    for field in ("date_from", "date_to"):
        if form[field]:
            days[field] = date_in_range(form[field])
            if days[field] is None:
                del days[field]
                errors[field] = _("Enter the date like 2025-03-31")
    if "date_from" in days:
        query["start"] = local_day_bounds(days["date_from"], tz)[0]
    if "date_to" in days:
        query["end"] = local_day_bounds(days["date_to"], tz)[1]
    if "date_from" in days and "date_to" in days and days["date_to"] < days["date_from"]:
        errors["date_to"] = _("The end date must be the same as or after the start date")
    return form, query, errors


@bp.route("/audit")
@require_role(*STAFF_ROLES)
def audit_log():
    accounts = scoped_accounts(db.session, g.account)
    form, query, errors = parse_filters(request.args, accounts)
    page = Page([], page_number(request.args), False)
    if not errors:
        listed = events_query(g.account, **query).options(
            selectinload(AuditEvent.actor), selectinload(AuditEvent.resident)
        )
        page = fetch_page(db.session, listed, page.number, PAGE_SIZE)
    args = {k: v for k, v in form.items() if v}
    names = {c.code: place_name(c) for c in db.session.scalars(db.select(Category))}
    neighbours = names_in_details(db.session, page.items)  # votes, volunteers, mutual aid
    return render_page(
        "assist/audit.html",
        form=form,
        form_errors=errors,
        events=page.items,
        accounts=accounts,
        page=page,
        args=args,
        action_label=action_label,
        detail_words=lambda detail: detail_words(detail, names, neighbours),
    )


@bp.route("/audit.csv")
@require_role(*STAFF_ROLES)
def audit_csv():
    accounts = scoped_accounts(db.session, g.account)
    form, query, errors = parse_filters(request.args, accounts)
    if errors:
        return audit_log()
    events = db.session.scalars(events_query(g.account, **query)).all()
    headers = [
        _("Time"),
        _("Account"),
        _("Role"),
        _("Resident number"),
        _("Resident"),
        _("Action"),
        _("Reason"),
        _("Details"),
        _("Channel"),
        _("Kiosk"),
    ]
    body = events_csv(events, headers, zone())
    record_event(
        db.session,
        "audit.export",
        actor=g.account,
        detail="; ".join(f"{k}={v}" for k, v in form.items() if v) or "filters=none",
        channel="staff",
    )
    db.session.commit()
    stamp = to_local(utcnow()).strftime("%Y%m%d-%H%M")
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="linli-audit-{stamp}.csv"'}
    )
