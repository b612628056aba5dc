"""A volunteer's own entry (/volunteers/me): join the register with consent, change it, or leave it.

The entry is a resident's (identified themselves, at a kiosk, or helped in an assisted session, where the
helper's reason is audited) or a volunteer account's own (signed in, not helping anyone). Staff and grid
workers outside an assisted session go to the register's list instead. Nobody sees another's entry here."""

from flask import g, redirect, request, url_for
from flask_babel import gettext as _

from ..channels import record_origin
from ..display import place_name
from ..extensions import db
from ..health.common import assisted_reason, for_resident
from ..identify import current_resident
from ..models import Building, Volunteer
from ..pages import render_page
from ..services import permissions
from ..services.clock import now_utc
from ..services.inputs import text_errors
from ..services.masking import mask_name
from ..services.volunteers import (
    DAYS,
    PARTS,
    VolunteerRefused,
    availability_bits,
    change_entry,
    entry_of,
    leave_register,
    register_volunteer,
    skill_bits,
    skills_of,
    slots_of,
)
from . import bp
from .words import day_options, part_options, refusal_words, skill_options, skills_text, times_text


def own_volunteer_account():
    """The signed-in volunteer account acting for itself (not helping a resident), or None."""
    account = g.get("account")
    if g.get("assisted") is None and permissions.has_role(account, "volunteer"):
        return account
    return None


def building_options(resident, account) -> list[tuple[str, str]]:
    """A resident's own grid's buildings; a volunteer account's community's, with the grid."""
    if resident is not None:
        return [(str(b.id), place_name(b)) for b in resident.grid.buildings]
    grids = account.community.grids if account.community is not None else []
    return [(str(b.id), f"{place_name(grid)} · {place_name(b)}") for grid in grids for b in grid.buildings]


def values_of(entry: Volunteer | None, resident) -> dict:
    if entry is None:
        return {
            "building": str(resident.building_id) if resident is not None else "",
            "skills": [],
            "other_skill": "",
            "times": set(),
            "consent": "",
        }
    return {
        "building": str(entry.building_id),
        "skills": skills_of(entry.skills),
        "other_skill": entry.other_skill,
        "times": {f"{day}-{part}" for day, part in slots_of(entry.availability)},
        "consent": "yes",
    }


def read_form(options, new: bool) -> tuple[dict, dict]:
    form = request.form
    values = {
        "building": form.get("building", ""),
        "skills": [code for code in form.getlist("skills") if code in dict(skill_options())],
        "other_skill": form.get("other_skill", "").strip(),
        "times": {f"{day}-{part}" for day in DAYS for part in form.getlist(f"day{day}") if part in PARTS},
        "consent": form.get("consent", ""),
    }
    errors = text_errors({"other_skill": values["other_skill"]}, Volunteer)
    if values["building"] not in {value for value, _label in options}:
        errors["building"] = _("Choose the building you live in or look after")
    if not values["skills"] and not values["other_skill"] and "other_skill" not in errors:
        errors["skills"] = _("Choose at least one way you can help, or write it in your own words")
    if not values["times"]:
        errors["day0"] = _("Choose at least one part of a day when you are usually free")
    if new and values["consent"] != "yes":
        errors["consent"] = _("To join the register, tick that you agree")
    return values, errors


def entry_fields(values) -> dict:
    slots = [(int(key.split("-")[0]), key.split("-")[1]) for key in values["times"]]
    return {
        "building": db.session.get(Building, int(values["building"])),
        "skills": skill_bits(values["skills"]),
        "other_skill": values["other_skill"],
        "availability": availability_bits(slots),
    }


@bp.route("/volunteers/me", methods=["GET", "POST"])
def me():
    account = g.get("account")
    if g.get("assisted") is None and permissions.has_role(account, *permissions.VOLUNTEER_ROLES):
        return redirect(url_for("volunteers.index"), code=303)
    if own_volunteer_account() is not None:
        return own_entry(None, account)
    return resident_entry()


@for_resident
def resident_entry():
    return own_entry(current_resident(), None)


def own_entry(resident, account):
    entry = entry_of(db.session, resident=resident, account=account)
    options = building_options(resident, account)
    values, errors = values_of(entry, resident), {}
    if request.method == "POST":
        values, errors = read_form(options, new=entry is None)
        if not errors:
            fields = entry_fields(values)
            origin = record_origin("online")
            try:
                if entry is None:
                    register_volunteer(db.session, resident=resident, account=account, origin=origin,
                                       actor=g.get("account"), reason=assisted_reason(), now=now_utc(), **fields)  # fmt: skip
                else:
                    change_entry(db.session, entry, origin=origin, actor=g.get("account"), reason=assisted_reason(),
                                 now=now_utc(), **fields)  # fmt: skip
            except VolunteerRefused as refused:
                errors["building"] = refusal_words(refused.reason)
                entry = entry_of(db.session, resident=resident, account=account)
            else:
                return redirect(url_for("volunteers.me", done="joined" if entry is None else "changed"), code=303)
    return render_page(
        "volunteers/me.html",
        entry=entry,
        values=values,
        times_by_day={str(day): [part for part in PARTS if f"{day}-{part}" in values["times"]] for day in DAYS},
        form_errors=errors,
        building_options=options,
        skill_options=skill_options(),
        part_options=part_options(),
        day_options=day_options(),
        skills_text=skills_text,
        times_text=times_text,
        for_name=mask_name(resident.name) if resident is not None and g.get("assisted") is not None else None,
        done=request.args.get("done", ""),
    )


@bp.route("/volunteers/me/leave", methods=["GET", "POST"])
def leave():
    account = g.get("account")
    if g.get("assisted") is None and permissions.has_role(account, *permissions.VOLUNTEER_ROLES):
        return redirect(url_for("volunteers.index"), code=303)
    if own_volunteer_account() is not None:
        return leave_step(None, account)
    return resident_leave()


@for_resident
def resident_leave():
    return leave_step(current_resident(), None)


def leave_step(resident, account):
    entry = entry_of(db.session, resident=resident, account=account)
    if entry is None:
        return redirect(url_for("volunteers.me", done="left" if request.method == "POST" else None), code=303)
    if request.method == "POST":
        try:
            leave_register(db.session, entry, origin=record_origin("online"), actor=g.get("account"),
                           reason=assisted_reason())  # fmt: skip
        except VolunteerRefused:
            db.session.rollback()
        return redirect(url_for("volunteers.me", done="left"), code=303)
    return render_page("volunteers/leave.html", entry=entry)
