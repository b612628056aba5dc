"""The hub's sections, data-driven like the kiosk tiles: a section shows only when its endpoint exists in this
app and builds without arguments, so a part that is not installed leaves no dead link behind."""

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l  # noqa: F401  (the parts' lines below use it)
from werkzeug.routing import BuildError


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
]


def available_sections(sections=None) -> list[Section]:
    shown = []
    for section in SECTIONS if sections is None else sections:
        if section.endpoint not in current_app.view_functions:
            continue
        try:
            url_for(section.endpoint)
        except BuildError:
            continue
        shown.append(section)
    return shown
