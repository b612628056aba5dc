"""Rules for staff managing stations: what a station, a service, a weekly opening time and a closure
need before they are saved. Each check returns the typed values and errors as codes (field -> code);
health/manage.py says them in words and shows the form again with what was typed."""

from datetime import date, time

from .inputs import date_in_range, int_in_range

# The numbers a service needs, each with its lowest and highest value.
NUMBERS = {"slot_minutes": (5, 480), "places_per_slot": (1, 500), "booking_cutoff_minutes": (0, 10080)}
WEEKDAY_NUMBERS = range(7)


def check_fields(values: dict, required=("name", "address")) -> dict:
    """Errors for a station's or a service's text and numbers: "missing" for an empty required field,
    "number" for a number that is not a whole number within NUMBERS."""
    errors = {}
    for name in required:
        if name in values and not values[name]:
            errors[name] = "missing"
    for name, (low, high) in NUMBERS.items():
        if name in values:
            raw = values[name]
            if int_in_range(raw, low, high) is None:
                errors[name] = "number"
            else:  # full-width digits become ASCII ones
                values[name] = str(int_in_range(raw, low, high))
    return errors


def parse_clock(raw: str) -> time | None:
    try:
        return time.fromisoformat(raw.strip()) if raw and len(raw.strip()) in (4, 5) else None
    except ValueError:
        return None


def parse_day(raw: str) -> date | None:
    return date_in_range(raw)


def check_schedule(weekday: str, start_time: str, end_time: str) -> tuple[int | None, time | None, time | None, dict]:
    """(weekday, start, end, errors) for a weekly opening time: a day of the week, two clock times,
    the end after the start."""
    start, end = parse_clock(start_time), parse_clock(end_time)
    errors = {}
    day = int(weekday) if weekday in [str(n) for n in WEEKDAY_NUMBERS] else None
    if day is None:
        errors["weekday"] = "missing"
    if start is None:
        errors["start_time"] = "invalid"
    if end is None:
        errors["end_time"] = "invalid"
    elif start is not None and end <= start:
        errors["end_time"] = "before_start"
    return day, start, end, errors


def check_closure(values: dict, service_ids: dict) -> tuple[date | None, date | None, dict]:
    """(first day, last day, errors) for a closure. `values` as typed (start_date, end_date, service,
    reason); an empty end date means one day; `service` is "all" or a key of `service_ids`."""
    start, end = parse_day(values["start_date"]), parse_day(values["end_date"] or values["start_date"])
    errors = {}
    if start is None:
        errors["start_date"] = "invalid"
    if values["end_date"] and end is None:
        errors["end_date"] = "invalid"
    elif start and end and end < start:
        errors["end_date"] = "before_start"
    if values["service"] != "all" and values["service"] not in service_ids:
        errors["service"] = "missing"
    if not values["reason"]:
        errors["reason"] = "missing"
    return start, end, errors
