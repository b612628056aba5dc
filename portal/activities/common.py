"""What the activity pages share: the words for a refusal and for a sign-up's state."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

STATE_WORDS = {
    "signed_up": _l("Signed up"),
    "waiting": _l("On the waiting list"),
    "attended": _l("Came"),
    "cancelled": _l("Cancelled"),
    "removed": _l("Removed by the staff"),
}
ACTIVITY_STATE_WORDS = {"open": _l("Open"), "cancelled": _l("Cancelled"), "closed": _l("Closed")}


def state_label(state: str) -> str:
    return str(STATE_WORDS.get(state, state))


def activity_state_label(state: str) -> str:
    return str(ACTIVITY_STATE_WORDS.get(state, state))


def refusal_words(reason: str) -> str:
    if reason == "full":
        return _("Sorry, this activity is full.")
    if reason == "closed":
        return _("Sign-up for this activity has closed.")
    if reason == "cancelled":
        return _("This activity has been cancelled.")
    if reason == "ended":
        return _("This activity has already started or ended.")
    if reason == "duplicate":
        return _("You are already signed up for this activity, or on its waiting list.")
    if reason == "not_open_to_you":
        return _("This activity is only for residents of other grids.")
    if reason == "no_helpers":
        return _("For this activity, residents sign up themselves or at the community desk.")
    if reason == "not_active":
        return _("This sign-up has already been cancelled or used.")
    if reason == "below_taken":
        return _("There cannot be fewer places than people already signed up.")
    if reason == "held_back":
        return _("The places held back for the desk cannot be more than all the places.")
    if reason == "not_started":
        return _("An activity can be closed once it has started.")
    if reason == "not_open":
        return _("This activity is no longer open.")
    return _("That activity is not available.")
