"""Words about appointments in a given language: dates with the weekday, times, and the outbox messages.

Messages are written in the language the resident booked in (Booking.locale), whatever language the
person pressing the button (a nurse, a volunteer) happens to use.
"""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton
from flask_babel import force_locale, gettext

from .slots import to_local

ENGLISH = "en"


def is_english(locale) -> bool:
    return str(locale).startswith("en")


def localized(obj, field: str, locale) -> str:
    """obj.<field>_en in English when it is filled in, else the Chinese obj.<field>."""
    if is_english(locale) and getattr(obj, f"{field}_en", ""):
        return getattr(obj, f"{field}_en")
    return getattr(obj, field) or ""


def babel_locale(locale) -> str:
    return ENGLISH if is_english(locale) else "zh_Hans_CN"


def full_date(day: date, locale) -> str:
    """2026年11月24日星期二 / Tuesday, November 24, 2026."""
    return format_date(day, "full", locale=babel_locale(locale))


def weekday_name(day: date, locale) -> str:
    return format_date(day, "EEEE", locale=babel_locale(locale))


def short_date(day: date, locale) -> str:
    """11月24日 / Nov 24."""
    return format_skeleton("MMMd", day, locale=babel_locale(locale))


def clock(utc_naive: datetime, tz: ZoneInfo) -> str:
    return to_local(utc_naive, tz).strftime("%H:%M")


def format_reference(reference: str) -> str:
    return f"{reference[:4]}-{reference[4:]}" if len(reference) == 8 else reference


def booking_message(kind: str, booking, tz: ZoneInfo, reason: str = "") -> str:
    """The outbox text for a booking event, in the booking's language. Needs an app context."""
    locale = booking.locale
    service = booking.slot.service
    values = {
        "station": localized(service.station, "name", locale),
        "service": localized(service, "name", locale),
        "date": full_date(booking.slot.day, locale),
        "time": clock(booking.slot.starts_at, tz),
        "number": booking.queue_number,
        "reference": format_reference(booking.reference),
        "bring": localized(service, "what_to_bring", locale),
        "reason": reason,
    }
    with force_locale(babel_locale(locale)):
        if kind == "booking.created":
            text = gettext("Linli: your %(service)s at %(station)s is booked for %(date)s at %(time)s. "
                           "Queue number %(number)s, reference %(reference)s.", **values)
        elif kind == "booking.changed":
            text = gettext("Linli: your %(service)s at %(station)s has moved to %(date)s at %(time)s. "
                           "New queue number %(number)s, reference %(reference)s.", **values)
        elif kind == "booking.cancelled":
            text = gettext("Linli: your %(service)s at %(station)s on %(date)s at %(time)s is cancelled.",
                           **values)
        elif kind == "booking.closure":
            text = gettext("Linli: sorry, %(station)s is closed on %(date)s (%(reason)s). Your %(service)s "
                           "at %(time)s is cancelled. Please book another day.", **values)
        else:
            raise ValueError(f"unknown booking message {kind}")
        if kind in ("booking.created", "booking.changed") and values["bring"]:
            text += " " + gettext("Please bring: %(bring)s", **values)
    return text
