"""Staff manage their community's stations, services, weekly schedules and closures, and generate slots.

Admins work across every community. Saving a service or a schedule regenerates the station's slots at
once; a closure cancels the bookings it covers and tells each resident (services/booking.py)."""

from flask import g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..auth.guards import require_role
from ..auth.loaders import closure_or_404, schedule_or_404, service_or_404, station_or_404
from ..extensions import db
from ..models import Closure, Service, Station, WeeklySchedule
from ..pages import render_page
from ..services.closures import apply_closure
from ..services.inputs import int_in_range, text_errors
from ..services.permissions import STAFF_ROLES, visible_communities, visible_stations
from ..services.slots import generate_slots, reopen_after_closure
from ..services.stations import NUMBERS, check_closure, check_fields, check_schedule
from . import bp
from .common import clock, zone

MANAGE_ROLES = STAFF_ROLES
WEEKDAYS = [
    (0, _l("Monday")),
    (1, _l("Tuesday")),
    (2, _l("Wednesday")),
    (3, _l("Thursday")),
    (4, _l("Friday")),
    (5, _l("Saturday")),
    (6, _l("Sunday")),
]


def field(kind, name, label, hint=None, **options):
    return {"kind": kind, "name": name, "label": label, "hint": hint, **options}


STATION_FIELDS = [
    field("input", "name", _l("Name")),
    field("input", "name_en", _l("Name in English (optional)")),
    field("input", "address", _l("Address")),
    field("input", "address_en", _l("Address in English (optional)")),
    field("textarea", "opening_notes", _l("Opening notes (optional)"), _l("For example: closed on public holidays.")),
    field("textarea", "opening_notes_en", _l("Opening notes in English (optional)")),
]
SERVICE_FIELDS = [
    field("input", "name", _l("Name"), _l("For example: blood pressure check")),
    field("input", "name_en", _l("Name in English (optional)")),
    field("textarea", "description", _l("Description (optional)")),
    field("textarea", "description_en", _l("Description in English (optional)")),
    field("textarea", "what_to_bring", _l("What to bring (optional)")),
    field("textarea", "what_to_bring_en", _l("What to bring, in English (optional)")),
    field(
        "input",
        "slot_minutes",
        _l("Length of each time, in minutes"),
        _l("Between 5 and 480"),
        width="short",
        inputmode="numeric",
    ),
    field(
        "input",
        "places_per_slot",
        _l("Places at each time"),
        _l("Between 1 and 500"),
        width="short",
        inputmode="numeric",
    ),
    field(
        "input",
        "booking_cutoff_minutes",
        _l("Booking closes this many minutes before the start"),
        _l("For example 60. Use 0 to allow booking until the start."),
        width="short",
        inputmode="numeric",
    ),
]
# What each (field, error code) from services/stations.py says to staff.
MESSAGES = {
    ("name", "missing"): _l("Enter a name"),
    ("address", "missing"): _l("Enter the address"),
    ("weekday", "missing"): _l("Choose a day of the week"),
    ("start_time", "invalid"): _l("Enter the start time as hours and minutes, like 08:30"),
    ("end_time", "invalid"): _l("Enter the end time as hours and minutes, like 11:30"),
    ("end_time", "before_start"): _l("The end time must be after the start time"),
    ("start_date", "invalid"): _l("Enter the first closed day, like 2026-10-01"),
    ("end_date", "invalid"): _l("Enter the last closed day, like 2026-10-07"),
    ("end_date", "before_start"): _l("The last closed day cannot be before the first"),
    ("service", "missing"): _l("Choose what is closed"),
    ("reason", "missing"): _l("Enter the reason residents will be told"),
}


def in_words(errors: dict) -> dict:
    words = {}
    for field_name, code in errors.items():
        if code == "number":
            low, high = NUMBERS[field_name]
            words[field_name] = _("Enter a whole number from %(low)s to %(high)s", low=low, high=high)
        else:
            words[field_name] = str(MESSAGES[(field_name, code)])
    return words


def read_text(fields, model, required=("name", "address")) -> tuple[dict, dict]:
    values = {f["name"]: request.form.get(f["name"], "").strip() for f in fields}
    errors = text_errors(
        {k: v for k, v in values.items() if k not in NUMBERS},
        model,
        multiline={f["name"] for f in fields if f["kind"] == "textarea"},
    )
    return values, {**errors, **in_words(check_fields(values, required))}


def render_form(title, fields, values, errors, action, back, submit):
    return render_page(
        "health/manage/form.html",
        title=title,
        fields=fields,
        values=values,
        form_errors=errors,
        action=action,
        back=back,
        submit=submit,
    )


def regenerate(station: Station) -> dict:
    counts = generate_slots(db.session, now=clock(), tz=zone(), station_ids=[station.id])
    db.session.commit()
    return counts


@bp.route("/manage")
@require_role(*MANAGE_ROLES)
def manage():
    return render_page("health/manage/stations.html", stations=visible_stations(db.session, g.account))


@bp.route("/manage/stations/new", methods=["GET", "POST"])
@bp.route("/manage/stations/<int:station_id>/edit", methods=["GET", "POST"])
@require_role(*MANAGE_ROLES)
def edit_station(station_id=None):
    station = station_or_404(station_id) if station_id else None
    communities = visible_communities(db.session, g.account)
    fields = list(STATION_FIELDS)
    if station is None and len(communities) > 1:
        fields.insert(
            0,
            field(
                "radios",
                "community_id",
                _l("Community"),
                options=[(c.id, c.name if not c.name_en else f"{c.name} {c.name_en}") for c in communities],
            ),
        )
    values = {f["name"]: getattr(station, f["name"], "") or "" for f in fields if station}
    errors = {}
    if request.method == "POST":
        values, errors = read_text(fields, Station)
        community_id = (
            station.community_id
            if station
            else (int_in_range(values["community_id"]) if "community_id" in values else communities[0].id)
        )
        if community_id not in [c.id for c in communities]:
            errors["community_id"] = _("Choose a community")
        if not errors:
            if station is None:
                station = Station(community_id=community_id)
                db.session.add(station)
            for f in STATION_FIELDS:
                setattr(station, f["name"], values[f["name"]])
            try:
                db.session.commit()
            except IntegrityError:  # the (community, name) unique constraint
                db.session.rollback()
                errors["name"] = _("There is already a station with this name in the community")
            else:
                return redirect(url_for("health.manage_station", station_id=station.id), code=303)
    title = _("Edit the station") if station_id else _("Add a health station")
    back = url_for("health.manage_station", station_id=station_id) if station_id else url_for("health.manage")
    return render_form(title, fields, values, errors, request.path, back, _("Save"))


@bp.route("/manage/stations/<int:station_id>")
@require_role(*MANAGE_ROLES)
def manage_station(station_id):
    station = station_or_404(station_id)
    counts = None
    if request.args.get("generated"):
        counts = {key: request.args.get(key, "0") for key in ("created", "removed", "resized")}
    return render_page(
        "health/manage/station.html",
        station=station,
        weekdays=dict(WEEKDAYS),
        counts=counts,
        cancelled=request.args.get("cancelled"),
    )


@bp.route("/manage/stations/<int:station_id>/generate", methods=["POST"])
@require_role(*MANAGE_ROLES)
def generate(station_id):
    station = station_or_404(station_id)
    counts = regenerate(station)
    return redirect(url_for("health.manage_station", station_id=station.id, generated=1, **counts), code=303)


@bp.route("/manage/stations/<int:station_id>/services/new", methods=["GET", "POST"])
@bp.route("/manage/services/<int:service_id>/edit", methods=["GET", "POST"])
@require_role(*MANAGE_ROLES)
def edit_service(station_id=None, service_id=None):
    service = service_or_404(service_id) if service_id else None
    station = service.station if service else station_or_404(station_id)
    defaults = {"slot_minutes": "30", "places_per_slot": "5", "booking_cutoff_minutes": "60"}
    values = {
        f["name"]: str(getattr(service, f["name"]) if service else defaults.get(f["name"], "")) for f in SERVICE_FIELDS
    }
    errors = {}
    if request.method == "POST":
        values, errors = read_text(SERVICE_FIELDS, Service, required=("name",))
        if not errors:
            if service is None:
                service = Service(station_id=station.id)
                db.session.add(service)
            for f in SERVICE_FIELDS:
                value = values[f["name"]]
                setattr(service, f["name"], int(value) if f["name"] in NUMBERS else value)
            try:
                db.session.commit()
            except IntegrityError:  # the (station, name) unique constraint
                db.session.rollback()
                errors["name"] = _("This station already has a service with this name")
            else:
                regenerate(station)
                return redirect(url_for("health.schedule", service_id=service.id), code=303)
    title = _("Edit the service") if service else _("Add a service")
    return render_form(
        title,
        SERVICE_FIELDS,
        values,
        errors,
        request.path,
        url_for("health.manage_station", station_id=station.id),
        _("Save"),
    )


@bp.route("/manage/services/<int:service_id>/schedule", methods=["GET", "POST"])
@require_role(*MANAGE_ROLES)
def schedule(service_id):
    service = service_or_404(service_id)
    values = {key: request.form.get(key, "") for key in ("weekday", "start_time", "end_time")}
    errors = {}
    if request.method == "POST":
        weekday, start, end, codes = check_schedule(values["weekday"], values["start_time"], values["end_time"])
        errors = in_words(codes)
        if not errors:
            db.session.add(WeeklySchedule(service_id=service.id, weekday=weekday, start_time=start, end_time=end))
            db.session.commit()
            regenerate(service.station)
            return redirect(url_for("health.schedule", service_id=service.id, added=1), code=303)
    return render_page(
        "health/manage/schedule.html",
        service=service,
        station=service.station,
        values=values,
        form_errors=errors,
        weekdays=WEEKDAYS,
        added=request.args.get("added"),
    )


@bp.route("/manage/schedules/<int:row_id>/delete", methods=["POST"])
@require_role(*MANAGE_ROLES)
def delete_schedule(row_id):
    row = schedule_or_404(row_id)
    service = row.service
    db.session.delete(row)
    db.session.commit()
    regenerate(service.station)
    return redirect(url_for("health.schedule", service_id=service.id), code=303)


@bp.route("/manage/stations/<int:station_id>/closures/new", methods=["GET", "POST"])
@require_role(*MANAGE_ROLES)
def new_closure(station_id):
    station = station_or_404(station_id)
    values = {
        key: request.form.get(key, "").strip() for key in ("start_date", "end_date", "service", "reason", "reason_en")
    }
    values["service"] = values["service"] or "all"
    errors = {}
    if request.method == "POST":
        service_ids = {str(s.id): s.id for s in station.services}
        start, end, codes = check_closure(values, service_ids)
        errors = {
            **text_errors({"reason": values["reason"], "reason_en": values["reason_en"]}, Closure),
            **in_words(codes),
        }
        if not errors:
            closure = Closure(
                station_id=station.id,
                service_id=service_ids.get(values["service"]),
                start_date=start,
                end_date=end,
                reason=values["reason"],
                reason_en=values["reason_en"],
                created_by_id=g.account.id,
            )
            db.session.add(closure)
            db.session.flush()
            cancelled = apply_closure(db.session, closure, now=clock(), tz=zone(), actor=g.account)
            return redirect(url_for("health.manage_station", station_id=station.id, cancelled=len(cancelled)), code=303)
    return render_page("health/manage/closure.html", station=station, values=values, form_errors=errors)


@bp.route("/manage/closures/<int:closure_id>/delete", methods=["POST"])
@require_role(*MANAGE_ROLES)
def delete_closure(closure_id):
    closure = closure_or_404(closure_id)
    station = closure.station
    reopen_after_closure(db.session, closure)
    db.session.delete(closure)
    db.session.commit()
    return redirect(url_for("health.manage_station", station_id=station.id), code=303)
