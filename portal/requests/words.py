"""The words for request states, channels and buttons, for staff and for residents."""

from flask_babel import lazy_gettext as _l

from ..i18n import word

STATE_LABELS = {
    "submitted": _l("Waiting to be accepted"),
    "accepted": _l("Accepted"),
    "in_progress": _l("In progress"),
    "resolved": _l("Resolved"),
    "closed": _l("Closed"),
    "referred": _l("Referred to another body"),
    "cancelled": _l("Cancelled by the resident"),
}
# What a resident reads on the status page and the receipt: plain words, no jargon.
RESIDENT_STATE_TEXT = {
    "submitted": _l("We have your request. Someone will take it on soon."),
    "accepted": _l("Your grid worker has taken it on."),
    "in_progress": _l("Someone is working on it now."),
    "resolved": _l("It has been dealt with. If it is not fixed, tell your grid worker."),
    "closed": _l("It is finished and closed."),
    "referred": _l("It has been passed to another organisation that can deal with it. See the note below."),
    "cancelled": _l("It was cancelled, as you asked."),
}
TRANSITION_BUTTONS = {
    ("submitted", "accepted"): _l("Accept"),
    ("accepted", "in_progress"): _l("Start work"),
    ("accepted", "resolved"): _l("Mark as resolved"),
    ("in_progress", "resolved"): _l("Mark as resolved"),
    ("resolved", "closed"): _l("Close"),
    ("referred", "closed"): _l("Close"),
    ("resolved", "in_progress"): _l("Reopen: not fixed yet"),
}
REFER_BUTTON = _l("Refer to another body")
CANCEL_BUTTON = _l("Cancel: the resident asked")
# Who sent it in: "Sent 25 Nov 15:00, by a volunteer" on the request page.
REQUEST_CHANNEL_LABELS = {
    "online": _l("online, by the resident"),
    "qr": _l("from a poster"),
    "kiosk": _l("at a kiosk"),
    "volunteer": _l("by a volunteer"),
    "gridworker": _l("by a grid worker"),
    "phone": _l("by phone"),
    "staff": _l("by community staff"),
    "open311": _l("by a partner system (Open311)"),
    "seed": _l("demo data"),
    # Votes (网络微投票)
    "paper": _l("on a paper ballot"),
}
STATE_FILTERS = [
    ("open", _l("Not finished")),
    ("submitted", STATE_LABELS["submitted"]),
    ("accepted", STATE_LABELS["accepted"]),
    ("in_progress", STATE_LABELS["in_progress"]),
    ("resolved", STATE_LABELS["resolved"]),
    ("closed", STATE_LABELS["closed"]),
    ("referred", STATE_LABELS["referred"]),
    ("cancelled", STATE_LABELS["cancelled"]),
    ("all", _l("All")),
]


def state_label(state: str) -> str:
    return word(STATE_LABELS.get(state, state))


def resident_state_text(state: str) -> str:
    return word(RESIDENT_STATE_TEXT.get(state, state))


def transition_button(from_state: str, to_state: str) -> str:
    if to_state == "referred":
        return word(REFER_BUTTON)
    if to_state == "cancelled":
        return word(CANCEL_BUTTON)
    return word(TRANSITION_BUTTONS.get((from_state, to_state), STATE_LABELS.get(to_state, to_state)))


def request_channel_label(channel: str) -> str:
    return word(REQUEST_CHANNEL_LABELS.get(channel, channel))
