"""My information: the identified resident (or a helper with them, in an assisted session) sees, prints
and downloads everything Linli keeps about them, and asks for a correction or to be removed."""

import json

from flask import Response, g, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.loaders import record_kind_or_404
from ..channels import record_origin
from ..display import mask_digits, place_name, when
from ..extensions import db
from ..health.common import assisted_reason, for_resident
from ..identify import current_resident
from ..pages import render_page
from ..requests.words import REQUEST_CHANNEL_LABELS
from ..services.audit import record_event
from ..services.clock import now_utc
from ..services.data_requests import AskRefused, ask_correction, ask_removal, pending_removal
from ..services.masking import mask_phone
from ..services.paging import page_number
from ..services.residents import format_resident_number
from . import bp
from .records import everything, export_all, kind_page, plain, summary
from .words import field_choices

LATEST = 5
KIND_PAGE = 20


def audit_helper(action: str, detail: str = "") -> None:
    """A helper's look at or download of the resident's data goes in the audit log, in words."""
    assisted = g.get("assisted")
    if assisted is None:
        return
    origin = record_origin("online")
    record_event(
        db.session,
        action,
        actor=assisted.helper,
        resident=assisted.resident,
        reason=assisted.reason,
        detail=detail,
        channel=origin["channel"],
        kiosk_id=origin["kiosk_id"],
    )
    db.session.commit()


def record_rows(resident, full_phone: bool) -> list[tuple[str, object]]:
    """The resident's own record, as (label, value) rows."""
    phone = (resident.phone if full_phone else mask_phone(resident.phone)) if resident.phone else _("None given")
    help_flags = [
        label
        for flag, label in (
            (resident.lives_alone, _("Lives alone")),
            (resident.difficulty_walking, _("Finds walking difficult")),
            (resident.hearing_difficulty, _("Hard of hearing")),
            (resident.sight_difficulty, _("Poor sight")),
            (resident.no_smartphone, _("Has no smartphone")),
        )
        if flag
    ]
    entered_by = resident.entered_by.display_name if resident.entered_by else ""
    how = str(REQUEST_CHANNEL_LABELS.get(resident.channel, resident.channel))
    rows = [
        (_("Name"), resident.name),
        (_("Resident number"), format_resident_number(resident.number)),
        (_("Mobile number"), phone),
    ]
    if resident.family_contact:
        contact = resident.family_contact if full_phone else mask_digits(resident.family_contact)
        rows.append((_("Family contact"), contact))
    rows += [
        (_("Birth year"), str(resident.birth_year)),
        (_("Community"), place_name(resident.community)),
        (_("Grid"), place_name(resident.grid)),
        (_("Building"), place_name(resident.building)),
        (_("Room"), resident.room or _("None given")),
        (_("Help you told us you need"), help_flags or _("None")),
        (_("Joined on"), when(resident.created_at)),
        (_("How your record reached us"), f"{how} ({entered_by})" if entered_by else how),
        (
            _("You agreed to us keeping it on"),
            when(resident.consented_at) if resident.consented_at else _("Not recorded"),
        ),
        (_("Your card"), _("Card number %(version)s; earlier cards no longer work.", version=resident.card_version)),
    ]
    return rows


def page(full_phone: bool = False):
    resident = current_resident()
    audit_helper("mydata.view")
    return render_page(
        "mydata/mine.html",
        resident=resident,
        record=record_rows(resident, full_phone),
        full_phone=full_phone,
        sections=summary(db.session, resident, LATEST),
        removal=pending_removal(db.session, resident),
        asked=request.args.get("asked", ""),
    )


@bp.route("/my-information")
@for_resident
def mine():
    return page()


@bp.route("/my-information/phone", methods=["POST"])
@for_resident
def show_phone():
    """The full mobile number and family contact, on the resident's own page. A helper's look is audited."""
    if g.get("assisted") is not None:
        audit_helper("phone.view", "number=resident")
    return page(full_phone=True)


@bp.route("/my-information/records/<key>")
@for_resident
def kind(key):
    record_kind = record_kind_or_404(key)
    resident = current_resident()
    listed, rows = kind_page(db.session, resident, record_kind, page_number(request.args), KIND_PAGE)
    return render_page("mydata/kind.html", kind=record_kind, page=listed, rows=rows)


@bp.route("/my-information/print")
@for_resident
def printout():
    resident = current_resident()
    audit_helper("mydata.download", "format=print")
    sections = [
        {"kind": entry["kind"], "rows": [entry["kind"].show(row) for row in entry["rows"]]}
        for entry in everything(db.session, resident)
    ]
    return render_page(
        "mydata/print.html",
        resident=resident,
        record=record_rows(resident, full_phone=False),
        sections=sections,
        printed_at=now_utc(),
    )


@bp.route("/my-information/download.json")
@for_resident
def download():
    if g.get("kiosk") is not None:  # a file saved on a shared screen would stay there for the next person
        return redirect(url_for("mydata.mine"), code=303)
    resident = current_resident()
    audit_helper("mydata.download", "format=json")
    data = {
        "resident": plain(
            {
                "name": resident.name,
                "number": resident.number,
                "phone": resident.phone,
                "family_contact": resident.family_contact,
                "birth_year": resident.birth_year,
                "community": resident.community.name,
                "grid": resident.grid.name,
                "building": resident.building.name,
                "room": resident.room,
                "lives_alone": resident.lives_alone,
                "difficulty_walking": resident.difficulty_walking,
                "hearing_difficulty": resident.hearing_difficulty,
                "sight_difficulty": resident.sight_difficulty,
                "no_smartphone": resident.no_smartphone,
                "channel": resident.channel,
                "entered_by": resident.entered_by.display_name if resident.entered_by else "",
                "kiosk_id": resident.kiosk_id,
                "consented_at": resident.consented_at,
                "card_version": resident.card_version,
                "joined_at": resident.created_at,
            }
        ),
        **export_all(db.session, resident),
        "exported_at": plain(now_utc().replace(tzinfo=None)),
    }
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = Response(body.encode("utf-8"), mimetype="application/json")
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="linli-{resident.number}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/my-information/correct", methods=["GET", "POST"])
@for_resident
def correct():
    resident = current_resident()
    errors, values = {}, {"field": "", "what_is_wrong": "", "should_be": ""}
    if request.method == "POST":
        values = {name: request.form.get(name, "") for name in values}
        try:
            ask_correction(
                db.session,
                resident,
                **values,
                origin=record_origin("online"),
                actor=g.get("account"),
                reason=assisted_reason(),
            )
        except AskRefused as refused:
            errors = refused.errors
        else:
            return redirect(url_for("mydata.mine", asked="correction"), code=303)
    return render_page(
        "mydata/correct.html", form_errors=errors, values=values, fields=field_choices(), back=url_for("mydata.mine")
    )


@bp.route("/my-information/remove", methods=["GET", "POST"])
@for_resident
def remove():
    resident = current_resident()
    if request.method == "POST":
        ask_removal(
            db.session, resident, origin=record_origin("online"), actor=g.get("account"), reason=assisted_reason()
        )
        return redirect(url_for("mydata.mine", asked="removal"), code=303)
    return render_page("mydata/remove.html", pending=pending_removal(db.session, resident), back=url_for("mydata.mine"))
