"""Dates and times as people read them, in the portal's time zone: the one place that converts and formats.

The database keeps naive UTC; `Slot.day` and `Booking.day` are local dates. Every function here takes the
zone and the language from its caller, so pages (portal/display.py binds the reader's language), outbox
messages (the language the resident booked in) and the CSV export all format the same way. "Now" is not
read here: callers pass it in.
"""

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton, format_time

from .clock import zone_named as get_zone  # noqa: F401  (the zone by name; "now" is services/clock.py too)

ENGLISH = "en"
CHINESE = "zh_Hans_CN"


def as_utc_naive(moment: datetime) -> datetime:
    """Naive UTC, the form timestamps are stored in. A naive `moment` is taken to be UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def to_local(utc_naive: datetime, tz: ZoneInfo) -> datetime:
    return utc_naive.replace(tzinfo=timezone.utc).astimezone(tz)


def local_today(now: datetime, tz: ZoneInfo) -> date:
    return to_local(as_utc_naive(now), tz).date()


def local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    return as_utc_naive(datetime.combine(day, at, tzinfo=tz))


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC start and end (naive, like the database) of a calendar day in the portal's time zone."""
    return local_to_utc(day, time.min, tz), local_to_utc(day + timedelta(days=1), time.min, tz)


def is_english(locale) -> bool:
    return str(locale).startswith(ENGLISH)


def babel_locale(locale) -> str:
    return ENGLISH if is_english(locale) else CHINESE


def local_date(value: date | datetime, tz: ZoneInfo) -> date:
    """A stored timestamp (naive UTC) as the local calendar day; a date is already one."""
    return to_local(value, tz).date() if isinstance(value, datetime) else value


@lru_cache(maxsize=4096)
def day_words(day: date, form: str, locale: str, skeleton: bool = False) -> str:
    """A day in words in a Babel `form` ("full", "long", a pattern such as "EEEE"; with `skeleton`, a
    skeleton such as "MMMd"), in a Babel locale. They depend on nothing else, and pages name the same few
    days again and again (a fortnight to choose from, a list's dates), so each is worked out once per
    process."""
    if skeleton:
        return format_skeleton(form, day, locale=locale)
    return format_date(day, form, locale=locale)


def full_date(value: date | datetime, locale, tz: ZoneInfo) -> str:
    """2026年11月24日星期二 / Tuesday, November 24, 2026."""
    return day_words(local_date(value, tz), "full", babel_locale(locale))


def long_date(value: date | datetime, locale, tz: ZoneInfo) -> str:
    """2026年11月24日 / November 24, 2026."""
    return day_words(local_date(value, tz), "long", babel_locale(locale))


def iso_date(value: date | datetime, tz: ZoneInfo) -> str:
    """2026-11-24: the date printed small on a poster."""
    return local_date(value, tz).isoformat()


def weekday_name(value: date | datetime, locale, tz: ZoneInfo) -> str:
    return day_words(local_date(value, tz), "EEEE", babel_locale(locale))


def short_date(value: date | datetime, locale, tz: ZoneInfo) -> str:
    """11月24日 / Nov 24."""
    return day_words(local_date(value, tz), "MMMd", babel_locale(locale), skeleton=True)


def time_of_day(value: datetime | time, tz: ZoneInfo) -> str:
    """15:00 in both languages (the way station times are printed on slips and posters). A stored
    timestamp is naive UTC; a `time` (a schedule's opening hours) is already local."""
    return (value if isinstance(value, time) else to_local(value, tz)).strftime("%H:%M")


def date_and_time(utc_naive: datetime, locale, tz: ZoneInfo) -> str:
    """2025年11月25日 15:00 / Nov 25, 2025 3:00 PM."""
    local = to_local(utc_naive, tz).replace(tzinfo=None)
    lang = babel_locale(locale)
    return f"{day_words(local.date(), 'medium', lang)} {format_time(local, 'short', locale=lang)}"


def csv_stamp(utc_naive: datetime, tz: ZoneInfo) -> str:
    """2025-11-25 15:00:00: sortable, for spreadsheets."""
    return to_local(utc_naive, tz).strftime("%Y-%m-%d %H:%M:%S")
