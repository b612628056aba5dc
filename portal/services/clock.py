"""The one place the app asks what time it is, and what day and year it is in the portal's time zone.

Every date rule (the demo's "today and tomorrow" bookings, booking windows and cut-offs, the nurse's
roster, the call list, request SLAs, upcoming appointments, a birth year "up to this year") takes now
from here. The functions read the system clock through `datetime.now`, so a test that travels with
time-machine moves all of them, in every thread, at once.

The portal's day is the day in PORTAL_TIMEZONE (Asia/Shanghai by default), never the server's local
date: `date.today()` on a server that runs in UTC is still yesterday until 08:00 in Shanghai.
"""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Shanghai"


def zone_named(name: str | None) -> ZoneInfo:
    return ZoneInfo(name or DEFAULT_ZONE)


def portal_zone() -> ZoneInfo:
    """PORTAL_TIMEZONE of the running app; the default zone outside an app context."""
    return zone_named(current_app.config.get("PORTAL_TIMEZONE") if has_app_context() else None)


def now_utc() -> datetime:
    """Now, aware, in UTC."""
    return datetime.now(timezone.utc)


def utcnow() -> datetime:
    """Now as naive UTC, the form timestamps are stored in."""
    return now_utc().replace(tzinfo=None)


def now_local(tz: ZoneInfo | None = None) -> datetime:
    return now_utc().astimezone(tz or portal_zone())


def today_local(tz: ZoneInfo | None = None) -> date:
    """Today in the portal's time zone."""
    return now_local(tz).date()


def this_year_local(tz: ZoneInfo | None = None) -> int:
    """This year in the portal's time zone: the latest birth year anyone can give."""
    return now_local(tz).year


def timestamp() -> float:
    """Now in seconds since the epoch, for short expiries kept in the session (identification, a visit)."""
    return now_utc().timestamp()
