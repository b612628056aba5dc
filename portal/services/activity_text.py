"""Outbox messages about activity sign-ups, in the language the resident signed up in (ActivitySignup.locale),
whatever language the person pressing the button uses."""

from flask_babel import force_locale, gettext

from .appointment_text import format_reference
from .clock import portal_zone
from .dates import babel_locale, full_date, time_of_day


def activity_message(kind: str, signup, reason: str = "") -> str:
    """The text for a sign-up event. Needs an app context."""
    tz = portal_zone()
    activity = signup.activity
    values = {
        "title": activity.title,
        "place": activity.place,
        "date": full_date(activity.starts_at, signup.locale, tz),
        "time": time_of_day(activity.starts_at, tz),
        "code": format_reference(signup.code),
        "reason": reason,
    }
    with force_locale(babel_locale(signup.locale)):
        if kind == "activity.signed_up":
            return gettext(
                "Linli: you have a place at %(title)s, %(date)s at %(time)s, %(place)s. Ticket %(code)s.", **values
            )
        if kind == "activity.waiting":
            return gettext(
                "Linli: %(title)s on %(date)s is full. You are on the waiting list; we will tell you if a place "
                "frees up. Ticket %(code)s.",
                **values,
            )
        if kind == "activity.promoted":
            return gettext(
                "Linli: good news, a place at %(title)s is now yours: %(date)s at %(time)s, %(place)s. "
                "Ticket %(code)s.",
                **values,
            )
        if kind == "activity.removed":
            return gettext("Linli: your place at %(title)s on %(date)s has been cancelled by the staff.", **values)
        if kind == "activity.cancelled":
            return gettext("Linli: sorry, %(title)s on %(date)s is cancelled (%(reason)s).", **values)
    raise ValueError(f"unknown activity message {kind}")
