"""What the mutual-aid pages share: the words for a kind, a category, a state and a refusal, who posted it as
a neighbour may see it (a masked name and the building, never the room or a phone number), and its age."""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..display import place_name
from ..services.dates import as_utc_naive
from ..services.masking import mask_name

KIND_WORDS = {"need": _l("Needs help"), "offer": _l("Offers")}
CATEGORY_WORDS = {
    "errand": _l("An errand"),
    "item": _l("Lend or give an item"),
    "company": _l("Company or a visit"),
    "repair": _l("A small repair"),
    "other": _l("Something else"),
}
CATEGORY_HINTS = {
    "errand": _l("For example: pick up medicine, buy vegetables"),
    "item": _l("For example: a wheelchair, a walking frame, books"),
    "company": _l("For example: a chat, a walk together, a phone call"),
    "repair": _l("For example: change a light bulb, fix a tap"),
    "other": _l("Anything else between neighbours"),
}
STATE_WORDS = {
    "open": _l("Open"),
    "matched": _l("Matched by the grid worker"),
    "done": _l("Done"),
    "closed": _l("Closed"),
    "hidden": _l("Hidden by the grid worker"),
    "expired": _l("Closed after 14 days"),
}


def kind_label(kind: str) -> str:
    return str(KIND_WORDS.get(kind, kind))


def category_label(category: str) -> str:
    return str(CATEGORY_WORDS.get(category, category))


def state_label(state: str) -> str:
    return str(STATE_WORDS.get(state, state))


def respond_label(kind: str) -> str:
    return _("I can help") if kind == "need" else _("I would like this")


def poster_words(post) -> str:
    """Who posted it, as a neighbour sees it: 王** · 3号楼."""
    name = mask_name(post.resident.name) if post.resident is not None else _("A resident")
    return f"{name} · {place_name(post.building)}" if post.building is not None else name


def where_for(post) -> str:
    if post.whole_community:
        return _("Everyone in %(community)s", community=place_name(post.community))
    return place_name(post.grid)


def age_words(created_at: datetime, now: datetime) -> str:
    days = (as_utc_naive(now) - created_at).days
    if days < 1:
        return _("Posted today")
    return ngettext("Posted %(num)d day ago", "Posted %(num)d days ago", days)


def refusal_words(reason: str) -> str:
    if reason == "duplicate":
        return _("You have already answered this post. The grid worker will be in touch.")
    if reason == "own_post":
        return _("This is your own post.")
    if reason == "not_for_you":
        return _("This post is for the residents of another grid.")
    if reason == "not_open":
        return _("This post is no longer open.")
    if reason == "not_matched":
        return _("This post has not been matched yet, so it cannot be marked done.")
    if reason == "not_yours":
        return _("Only the resident who posted it can do this.")
    if reason == "reported":
        return _("You have already reported this post. The grid worker will look at it.")
    if reason == "not_proposed":
        return _("Someone has already dealt with this match.")
    return _("That post is not available.")


def card_words(post, now: datetime) -> dict:
    """A post's words on a card (the list, the grid page), as a neighbour may see them."""
    return {
        "kind": kind_label(post.kind),
        "category": category_label(post.category),
        "poster": poster_words(post),
        "age": age_words(post.created_at, now),
        "where": where_for(post),
        "state": state_label(post.state),
    }


# Ready-made words for the "in a few words" step, one tap each: a kiosk has no keyboard for free text.
QUICK_WORDS = {
    ("need", "errand"): (_l("Please pick up my medicine"), _l("Please buy some vegetables for me")),
    ("need", "item"): (_l("I would like to borrow a wheelchair"),),
    ("need", "company"): (_l("I would like someone to chat with"),),
    ("need", "repair"): (_l("Please help me change a light bulb"),),
    ("offer", "errand"): (_l("I can pick up medicine or buy vegetables"),),
    ("offer", "item"): (_l("I have a wheelchair to lend"),),
    ("offer", "company"): (_l("I can chat or go for a walk with an older neighbour"),),
    ("offer", "repair"): (_l("I can fix a tap or change a light bulb"),),
}


def quick_words(kind: str, category: str) -> list[str]:
    return [str(words) for words in QUICK_WORDS.get((kind, category), ())]
