"""The hub's sections, data-driven like the kiosk tiles: a section shows only when its endpoint exists in this
app and builds without arguments, so a part that is not installed leaves no dead link behind."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..pages import linkable


@dataclass(frozen=True)
class Section:
    endpoint: str
    label: object  # a lazy string
    summary: object  # one plain sentence under the label, a lazy string
    icon: str  # a name in templates/kiosk/icons.html


# In the order the hub shows them. Each part of the neighbours issue adds its own line here.
SECTIONS: list[Section] = [
    # Topics and meetings (议事会)
    Section(
        "topics.index",
        _l("Topics and meetings"),
        _l("Suggest what the neighbours should talk about, support a topic and read what was decided."),
        "speech",
    ),
    # Votes (网络微投票)
    Section(
        "polls.index",
        _l("Votes"),
        _l("Vote on a question the community asks: online, at a kiosk, with a helper or on paper."),
        "board",
    ),
    # Volunteer register (活地图)
    Section(
        "volunteers.me",
        _l("Volunteering"),
        _l("Offer what you can do for your neighbours and when you are free; leave the register at any time."),
        "people",
    ),
    # Mutual aid (邻里互助)
    Section(
        "aid.index",
        _l("Mutual aid"),
        _l("Ask neighbours for a hand or offer one: errands, things to lend, a visit, small repairs."),
        "people",
    ),
]


def available_sections(sections=None) -> list[Section]:
    return [section for section in (SECTIONS if sections is None else sections) if linkable(section.endpoint)]
