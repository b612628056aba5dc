"""What the topic pages share: the words for a topic's state, for a refusal, and who proposed it."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..display import place_name
from ..services.masking import mask_name

STATE_WORDS = {
    "open": _l("Open for support"),
    "decided": _l("Decided"),
    "closed": _l("Closed"),
    "hidden": _l("Hidden by the staff"),
}


def state_label(state: str) -> str:
    return str(STATE_WORDS.get(state, state))


def refusal_words(reason: str) -> str:
    if reason == "duplicate":
        return _("You already support this topic.")
    if reason == "not_open":
        return _("This topic is no longer open for support.")
    if reason == "not_for_you":
        return _("This topic is for the residents of another grid.")
    if reason == "not_supported":
        return _("You do not support this topic, so there is nothing to take back.")
    return _("That topic is not available.")


def proposer(topic) -> str:
    """Who proposed it, as neighbours may see it: a masked name, the staff, or nobody named."""
    if topic.resident is not None:
        return mask_name(topic.resident.name)
    if topic.proposed_by_staff_id is not None:
        return _("Community staff")
    return _("A resident")


def where_for(topic) -> str:
    """The grid it is for, or the whole community."""
    if topic.grid is not None:
        return place_name(topic.grid)
    return _("Everyone in %(community)s", community=place_name(topic.community))
