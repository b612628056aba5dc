"""The date range of a statistics page: this month, last month, this year, or days the reader chooses.

A period is a run of whole local days; `start` and `end` are its UTC bounds (naive, like the database),
end exclusive. The public pages offer only the calendar periods, so two chosen ranges a day apart
cannot be set against each other to single out one day's small numbers.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from ..dates import local_day_bounds
from ..inputs import date_in_range

PERIODS = ("this_month", "last_month", "this_year", "custom")
PUBLIC_PERIODS = ("this_month", "last_month", "this_year")
PERIOD_LABELS = {
    "this_month": _l("This month"),
    "last_month": _l("Last month"),
    "this_year": _l("This year"),
    "custom": _l("Dates I choose"),
}
EARLIEST = date(2000, 1, 1)
LONGEST_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    kind: str
    first: date  # the first day, local
    last: date  # the last day, local, inclusive
    start: datetime
    end: datetime

    def months(self, tz) -> list[tuple[date, datetime, datetime]]:
        """(first day of the month, UTC start, UTC end) of each calendar month in the period, clipped to it."""
        found, day = [], self.first
        while day <= self.last:
            following = next_month(day.replace(day=1))
            last = min(self.last, following - timedelta(days=1))
            found.append((day.replace(day=1), local_day_bounds(day, tz)[0], local_day_bounds(last, tz)[1]))
            day = following
        return found


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def calendar_period(kind: str, today: date, tz) -> Period:
    if kind == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        first = last.replace(day=1)
    elif kind == "this_year":
        first, last = today.replace(month=1, day=1), today
    else:
        first, last = today.replace(day=1), today
    return make_period(kind, first, last, tz)


def month_period(first: date, today: date, tz) -> Period:
    """One calendar month (up to today, if it is this month): the monthly report's period."""
    last = min(next_month(first) - timedelta(days=1), today)
    return make_period("month", first, last, tz)


def make_period(kind: str, first: date, last: date, tz) -> Period:
    return Period(kind, first, last, local_day_bounds(first, tz)[0], local_day_bounds(last, tz)[1])


def parse_period(args, today: date, tz, kinds=PERIODS) -> tuple[dict, Period | None, dict]:
    """(what was asked, the period or None, errors). An unknown choice falls back to this month."""
    form = {
        "period": args.get("period", "this_month"),
        "date_from": (args.get("date_from") or "").strip()[:40],
        "date_to": (args.get("date_to") or "").strip()[:40],
    }
    if form["period"] not in kinds:
        form["period"] = "this_month"
    if form["period"] != "custom":
        return form, calendar_period(form["period"], today, tz), {}
    errors, days = {}, {}
    for field in ("date_from", "date_to"):
        if not form[field]:
            errors[field] = _l("Enter the date like 2025-03-31")
            continue
        days[field] = date_in_range(form[field], EARLIEST, today)
        if days[field] is None:
            if date_in_range(form[field]) is not None:
                errors[field] = _l("Enter a date from 2000-01-01 to today")
            else:
                errors[field] = _l("Enter the date like 2025-03-31")
    if not errors and days["date_to"] < days["date_from"]:
        errors["date_to"] = _l("The end date must be the same as or after the start date")
    if not errors and (days["date_to"] - days["date_from"]).days >= LONGEST_DAYS:
        errors["date_to"] = _l("Choose at most 3 years")
    if errors:
        return form, None, {k: str(v) for k, v in errors.items()}
    return form, make_period("custom", days["date_from"], days["date_to"], tz), {}
