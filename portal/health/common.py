"""What every health page shares: the clock and zone, the resident guard and the words for refusals.
Dates and place names come from portal/display.py; status and channel words from health/words.py."""

from datetime import date, datetime
from functools import wraps

from flask import g, redirect, url_for

from ..display import clock as clock_filter
from ..display import full_date, locale, zone  # noqa: F401  (health views import them from here)
from ..display import place_name as loctext
from ..identify import require_resident
from ..services.clock import now_utc, today_local
from ..services.permissions import HELPER_ROLES, has_role

DAYS_SHOWN = 14


def clock() -> datetime:
    """Now, aware, in UTC (from services/clock.py, which tests move with time-machine)."""
    return now_utc()


def today() -> date:
    return today_local()


def for_resident(view):
    """The resident's own pages (confirm a booking, My appointments, change, cancel).

    Like require_resident, but a volunteer or grid worker acts for a resident only inside an
    assisted session, where consent and a reason are recorded: without one they go to "Help a
    resident" first, never to the identification page."""
    guarded = require_resident(view)

    @wraps(view)
    def wrapped(*args, **kwargs):
        account = g.get("account")
        if g.get("assisted") is None and has_role(account, *HELPER_ROLES):
            return redirect(url_for("assist.start"), code=303)
        return guarded(*args, **kwargs)

    return wrapped


def assisted_reason() -> str:
    """In an assisted session, its reason: the audit event of each booking, change or cancellation
    made in it says why the helper acted (empty otherwise)."""
    assisted = g.get("assisted")
    return assisted.reason if assisted is not None else ""


def refusal(refused, service=None) -> tuple[str, str]:
    """(field, plain sentence) for a rule that said no, in the reader's language."""
    from flask_babel import gettext as _

    slot = refused.slot
    service = service or (slot.service if slot else None)
    values = {
        "time": clock_filter(slot.starts_at) if slot else "",
        "day": full_date(slot.day) if slot else "",
        "service": loctext(service) if service else "",
        "minutes": service.booking_cutoff_minutes if service else 0,
    }
    reason = refused.reason
    if reason == "full":
        return "time", _("Sorry, %(time)s on %(day)s is now full. Please choose another time.", **values)
    if reason == "cutoff":
        return "time", _(
            "Booking for %(time)s has closed: bookings close %(minutes)s minutes before the start. "
            "Please choose a later time.",
            **values,
        )
    if reason == "past":
        return "time", _("%(time)s on %(day)s has already passed. Please choose a later time.", **values)
    if reason == "closed":
        return "day", _("The health station is closed on %(day)s. Please choose another day.", **values)
    if reason == "duplicate":
        return "day", _(
            "You already have a %(service)s appointment on %(day)s. You can book one a day. "
            "To change its time, go to My appointments.",
            **values,
        )
    if reason == "same_slot":
        return "time", _("That is the time you already have. Choose a different time, or keep it as it is.")
    if reason == "not_active":
        return "time", _("This appointment can no longer be changed: it was cancelled, or it has already taken place.")
    return "time", _("That time is no longer offered. Please choose another time.")
