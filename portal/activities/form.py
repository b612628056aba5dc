"""Reading the create / edit form of an activity: plain-language errors per field, nothing typed lost."""

from datetime import datetime, time, timedelta

from flask import request
from flask_babel import gettext as _

from ..models import Activity
from ..services.dates import as_utc_naive, to_local
from ..services.inputs import ascii_digits, date_in_range, int_in_range, text_errors

TEXTS = ("title", "description", "place")


def parse_time(raw: str) -> time | None:
    """HH:MM (full-width digits and a full-width colon too), or None."""
    value = (raw or "").strip().replace("：", ":")
    hours, _sep, minutes = value.partition(":")
    hours, minutes = ascii_digits(hours), ascii_digits(minutes)
    if hours is None or minutes is None or len(hours) > 2 or len(minutes) != 2:
        return None
    if int(hours) > 23 or int(minutes) > 59:
        return None
    return time(int(hours), int(minutes))


def values_of(activity: Activity | None, tz) -> dict:
    """What the form shows: the activity's values, in the portal's local time."""
    if activity is None:
        return {"title": "", "description": "", "place": "", "day": "", "start": "", "end": "", "closes_day": "",
                "closes": "", "capacity": "", "held_back": "0", "waiting_list": "1", "helpers": "1",
                "who": "community", "grids": []}  # fmt: skip
    starts, ends, closes = (to_local(v, tz) for v in (activity.starts_at, activity.ends_at, activity.signup_closes_at))
    return {
        "title": activity.title,
        "description": activity.description,
        "place": activity.place,
        "day": starts.date().isoformat(),
        "start": starts.strftime("%H:%M"),
        "end": ends.strftime("%H:%M"),
        "closes_day": closes.date().isoformat(),
        "closes": closes.strftime("%H:%M"),
        "capacity": str(activity.capacity),
        "held_back": str(activity.held_back),
        "waiting_list": "1" if activity.waiting_list else "",
        "helpers": "1" if activity.helpers_may_sign_up else "",
        "who": "community" if activity.whole_community else "grids",
        "grids": [str(g.id) for g in activity.grids],
    }


def read_form(grid_choices, tz, now: datetime) -> tuple[dict, dict, dict]:
    """(values as typed, fields for the service, errors by field)."""
    form = request.form
    values = {name: form.get(name, "").strip() for name in
              ("title", "description", "place", "day", "start", "end", "closes_day", "closes", "capacity",
               "held_back", "who")}  # fmt: skip
    values["waiting_list"] = "1" if form.get("waiting_list") == "1" else ""
    values["helpers"] = "1" if form.get("helpers") == "1" else ""
    values["grids"] = form.getlist("grids")
    errors = text_errors({k: values[k] for k in TEXTS}, Activity, multiline={"description"})
    for name, message in (("title", _("Enter the name of the activity")), ("place", _("Enter where it takes place"))):
        if not values[name] and name not in errors:
            errors[name] = message
    today = to_local(as_utc_naive(now), tz).date()
    day = date_in_range(values["day"], today, today + timedelta(days=366))
    if day is None:
        errors["day"] = _("Enter the day as year-month-day, for example %(example)s, within a year from today",
                          example=(today + timedelta(days=7)).isoformat())  # fmt: skip
    start, end = parse_time(values["start"]), parse_time(values["end"])
    if start is None:
        errors["start"] = _("Enter the start time as hours:minutes, for example 09:30")
    if end is None:
        errors["end"] = _("Enter the end time as hours:minutes, for example 11:00")
    elif start is not None and end <= start:
        errors["end"] = _("The end time must be after the start time")
    capacity = int_in_range(values["capacity"], 1, 10000)
    if capacity is None:
        errors["capacity"] = _("Enter how many people can come, as a number from 1 to 10000")
    held_back = int_in_range(values["held_back"] or "0", 0, 10000)
    if held_back is None or (capacity is not None and held_back > capacity):
        errors["held_back"] = _("Enter how many places to keep for the desk: 0 up to the number of places")
    chosen = [g for g in grid_choices if str(g.id) in values["grids"]]
    whole = values["who"] != "grids"
    if values["who"] not in ("community", "grids"):
        errors["who"] = _("Choose who may join")
    elif not whole and not chosen:
        errors["grids"] = _("Choose at least one grid")
    fields = {}
    if not errors:
        starts_at = as_utc_naive(datetime.combine(day, start, tzinfo=tz))
        closes_at = starts_at
        if values["closes_day"] or values["closes"]:
            closes_day = date_in_range(values["closes_day"], today, day)
            closes_time = parse_time(values["closes"] or "23:59")
            if closes_day is None or closes_time is None:
                errors["closes_day"] = _("Enter the last day to sign up as year-month-day, on or before the day")
            else:
                closes_at = min(as_utc_naive(datetime.combine(closes_day, closes_time, tzinfo=tz)), starts_at)
        fields = {
            "title": values["title"],
            "description": values["description"],
            "place": values["place"],
            "starts_at": starts_at,
            "ends_at": as_utc_naive(datetime.combine(day, end, tzinfo=tz)),
            "signup_closes_at": closes_at,
            "waiting_list": values["waiting_list"] == "1",
            "helpers_may_sign_up": values["helpers"] == "1",
            "whole_community": whole,
            "capacity": capacity,
            "held_back": held_back,
            "grids": chosen,
        }
    return values, fields, errors
