"""The words for appointment statuses, booking channels and day states on the health pages."""

from flask_babel import lazy_gettext as _l

from ..i18n import word

STATUS_LABELS = {
    "booked": _l("Booked"),
    "checked_in": _l("Checked in"),
    "no_show": _l("Did not come"),
    "cancelled": _l("Cancelled"),
}
# Who booked: the nurse's roster column "Booked by" (and who acted, on the audit page).
BOOKING_CHANNEL_LABELS = {
    "online": _l("Self, online"),
    "qr": _l("Self, online"),
    "kiosk": _l("Kiosk"),
    "volunteer": _l("Volunteer"),
    "gridworker": _l("Grid worker"),
    "phone": _l("By phone"),
    "staff": _l("Staff"),
    "open311": _l("A partner system (Open311)"),
    "seed": _l("Self, online"),
    # Votes (网络微投票)
    "paper": _l("Paper ballot"),
}
DAY_STATES = {
    "full": _l("Full"),
    "closed": _l("Station closed"),
    "late": _l("Booking closed"),
    "none": _l("No appointments"),
}


def status_label(status: str) -> str:
    return word(STATUS_LABELS.get(status, status))


def booking_channel_label(channel: str) -> str:
    return word(BOOKING_CHANNEL_LABELS.get(channel, channel))


def day_state_label(state: str) -> str:
    return word(DAY_STATES.get(state, state))
