"""Words about appointments in a given language: booking references and the outbox messages (dates, times
and place names come from services/dates.py and services/place_names.py).

Messages are written in the language the resident booked in (Booking.locale), whatever language the
person pressing the button (a nurse, a volunteer) happens to use.
"""

from zoneinfo import ZoneInfo

from flask_babel import force_locale, gettext

from .dates import babel_locale, full_date, time_of_day
from .place_names import place_name


def format_reference(reference: str) -> str:
    return f"{reference[:4]}-{reference[4:]}" if len(reference) == 8 else reference


def booking_message(kind: str, booking, tz: ZoneInfo, reason: str = "") -> str:
    """The outbox text for a booking event, in the booking's language. Needs an app context."""
    locale = booking.locale
    service = booking.slot.service
    values = {
        "station": place_name(service.station, locale),
        "service": place_name(service, locale),
        "date": full_date(booking.slot.day, locale, tz),
        "time": time_of_day(booking.slot.starts_at, tz),
        "number": booking.queue_number,
        "reference": format_reference(booking.reference),
        "bring": place_name(service, locale, "what_to_bring"),
        "reason": reason,
    }
    with force_locale(babel_locale(locale)):
        if kind == "booking.created":
            text = gettext(
                "Linli: your %(service)s at %(station)s is booked for %(date)s at %(time)s. "
                "Queue number %(number)s, reference %(reference)s.",
                **values,
            )
        elif kind == "booking.changed":
            text = gettext(
                "Linli: your %(service)s at %(station)s has moved to %(date)s at %(time)s. "
                "New queue number %(number)s, reference %(reference)s.",
                **values,
            )
        elif kind == "booking.cancelled":
            text = gettext("Linli: your %(service)s at %(station)s on %(date)s at %(time)s is cancelled.", **values)
        elif kind == "booking.closure":
            text = gettext(
                "Linli: sorry, %(station)s is closed on %(date)s (%(reason)s). Your %(service)s "
                "at %(time)s is cancelled. Please book another day.",
                **values,
            )
        else:
            raise ValueError(f"unknown booking message {kind}")
        if kind in ("booking.created", "booking.changed") and values["bring"]:
            text += " " + gettext("Please bring: %(bring)s", **values)
    return text
