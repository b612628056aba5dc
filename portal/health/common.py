"""What every health page shares: the clock and zone, words for statuses, channels and refusals,
template filters for dates in the reader's language, and the slip's QR code."""
from datetime import date, datetime
from functools import wraps

from flask import g, redirect, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from ..identify import require_resident
from ..services import appointment_text as words
from ..services.clock import now_utc, portal_zone, today_local
from ..services.permissions import HELPER_ROLES, has_role
from . import bp

DAYS_SHOWN = 14

STATUS_LABELS = {
    "booked": _l("Booked"),
    "checked_in": _l("Checked in"),
    "no_show": _l("Did not come"),
    "cancelled": _l("Cancelled"),
}
CHANNEL_LABELS = {
    "online": _l("Self, online"),
    "qr": _l("Self, online"),
    "kiosk": _l("Kiosk"),
    "volunteer": _l("Volunteer"),
    "gridworker": _l("Grid worker"),
    "phone": _l("By phone"),
    "staff": _l("Staff"),
    "seed": _l("Self, online"),
}
DAY_STATES = {
    "full": _l("Full"),
    "closed": _l("Station closed"),
    "late": _l("Booking closed"),
    "none": _l("No appointments"),
}


def zone():
    return portal_zone()


def clock() -> datetime:
    """Now, aware, in UTC (from services/clock.py, which tests move with time-machine)."""
    return now_utc()


def today() -> date:
    return today_local()


def locale() -> str:
    return str(get_locale() or "zh_Hans_CN")


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


@bp.app_template_filter("loctext")
def loctext(obj, field: str = "name") -> str:
    return words.localized(obj, field, locale())


@bp.app_template_filter("full_date")
def full_date(day: date) -> str:
    return words.full_date(day, locale())


@bp.app_template_filter("weekday")
def weekday(day: date) -> str:
    return words.weekday_name(day, locale())


@bp.app_template_filter("short_date")
def short_date(day: date) -> str:
    return words.short_date(day, locale())


@bp.app_template_filter("clock")
def clock_filter(utc_naive: datetime) -> str:
    return words.clock(utc_naive, zone())


@bp.app_template_filter("reference")
def reference_filter(reference: str) -> str:
    return words.format_reference(reference)


@bp.app_context_processor
def health_words():
    return {"status_label": lambda s: str(STATUS_LABELS.get(s, s)),
            "channel_label": lambda c: str(CHANNEL_LABELS.get(c, c)),
            "day_state_label": lambda s: str(DAY_STATES.get(s, s))}


def refusal(refused, service=None) -> tuple[str, str]:
    """(field, plain sentence) for a rule that said no, in the reader's language."""
    from flask_babel import gettext as _

    slot = refused.slot
    service = service or (slot.service if slot else None)
    values = {"time": clock_filter(slot.starts_at) if slot else "", "day": full_date(slot.day) if slot else "",
              "service": loctext(service) if service else "",
              "minutes": service.booking_cutoff_minutes if service else 0}
    reason = refused.reason
    if reason == "full":
        return "time", _("Sorry, %(time)s on %(day)s is now full. Please choose another time.", **values)
    if reason == "cutoff":
        return "time", _("Booking for %(time)s has closed: bookings close %(minutes)s minutes before the start. "
                         "Please choose a later time.", **values)
    if reason == "past":
        return "time", _("%(time)s on %(day)s has already passed. Please choose a later time.", **values)
    if reason == "closed":
        return "day", _("The health station is closed on %(day)s. Please choose another day.", **values)
    if reason == "duplicate":
        return "day", _("You already have a %(service)s appointment on %(day)s. You can book one a day. "
                        "To change its time, go to My appointments.", **values)
    if reason == "same_slot":
        return "time", _("That is the time you already have. Choose a different time, or keep it as it is.")
    if reason == "not_active":
        return "time", _("This appointment can no longer be changed: it was cancelled, or it has already taken place.")
    return "time", _("That time is no longer offered. Please choose another time.")
