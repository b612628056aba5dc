"""Every template filter, global and context processor the app has, registered here and only here.

create_app() calls register_template_helpers(app). A blueprint registers none of its own: two capabilities
that each gave a helper the same name silently overwrote each other (health's `channel_label` replaced the
requests one, so a request entered by a volunteer read "booked on behalf"). TemplateHelpers refuses a name
that is already taken, by us or by Jinja, so that cannot happen again.
"""

from flask import g

from . import display
from .aid.common import card_words as aid_card_words  # mutual aid (邻里互助)
from .health.words import booking_channel_label, day_state_label, status_label
from .i18n import current_url, i18n_context, role_label, translation_context
from .kiosk.device import kiosk_context, print_links
from .requests.words import (
    request_channel_label,
    resident_state_text,
    state_label,
    transition_button,
)
from .services.appointment_text import format_reference
from .services.masking import mask_name, mask_phone
from .services.tickets import format_ticket
from .static_files import static_url


class DuplicateTemplateHelper(ValueError):
    """A template name given twice: the second would silently replace the first on every page."""


class TemplateHelpers:
    """Adds filters, globals and context processors to an app, refusing any name already in use."""

    def __init__(self, app):
        self.app = app
        self.names: dict[str, str] = {}

    def _claim(self, name: str, kind: str, shadows_global: bool = False) -> None:
        env = self.app.jinja_env
        if name in self.names or name in env.filters or (name in env.globals) != shadows_global:
            raise DuplicateTemplateHelper(
                f"template {kind} {name!r} " + ("is not a global" if shadows_global else "is already registered")
            )
        self.names[name] = kind

    def filter(self, name: str, function) -> None:
        self._claim(name, "filter")
        self.app.add_template_filter(function, name)

    def global_(self, name: str, value) -> None:
        self._claim(name, "global")
        self.app.add_template_global(value, name)

    def context(self, processor, *names: str, shadows_globals: bool = False) -> None:
        """A context processor that gives exactly `names` (checked on each call, so a new key is declared).
        `shadows_globals`: the names are globals already, which these per-request values stand in for."""
        for name in names:
            self._claim(name, "context value", shadows_globals)
        expected = set(names)

        def checked():
            values = processor()
            if set(values) != expected:
                raise DuplicateTemplateHelper(
                    f"{processor.__name__} gives {sorted(values)}, declared {sorted(expected)}"
                )
            return values

        self.app.context_processor(checked)


def assisted_context() -> dict:
    return {"assisted": g.get("assisted"), "assisted_ended": g.get("assisted_ended")}


def register_template_helpers(app) -> TemplateHelpers:
    helpers = TemplateHelpers(app)
    # Dates and times in the reader's language and the portal's time zone; place names likewise.
    helpers.filter("when", display.when)
    helpers.filter("full_date", display.full_date)
    helpers.filter("weekday", display.weekday)
    helpers.filter("short_date", display.short_date)
    helpers.filter("long_date", display.long_date)
    helpers.filter("iso_date", display.iso_date)
    helpers.filter("clock", display.clock)
    helpers.filter("loc", display.place_name)
    helpers.filter("loc_list", display.place_names)
    # A notice in the reader's language, its body as escaped paragraphs with links.
    helpers.global_("notice_words", display.notice_words)
    # Personal data shown only in part, and numbers people read out.
    helpers.filter("mask_name", mask_name)
    helpers.filter("mask_phone", mask_phone)
    helpers.filter("mask_digits", display.mask_digits)
    helpers.filter("ticket", format_ticket)
    helpers.filter("reference", format_reference)
    # Words for codes.
    helpers.global_("role_label", role_label)
    helpers.global_("state_label", state_label)
    helpers.global_("resident_state_text", resident_state_text)
    helpers.global_("transition_button", transition_button)
    helpers.global_("request_channel_label", request_channel_label)
    helpers.global_("status_label", status_label)
    helpers.global_("booking_channel_label", booking_channel_label)
    helpers.global_("day_state_label", day_state_label)
    # Mutual aid (邻里互助): a post's words as a neighbour sees them (a masked name, the building, its age).
    helpers.global_("aid_card_words", aid_card_words)
    # A global, so the print macro sees it even when imported without context.
    helpers.global_("print_links", print_links)
    helpers.global_("static_url", static_url)
    helpers.global_("current_url", current_url)
    # Per request: language and display preferences, the kiosk, the assisted session.
    helpers.context(
        i18n_context, "html_lang", "speech_lang", "lang_code", "other_lang", "other_lang_url", "prefs", "account"
    )
    helpers.context(
        kiosk_context, "kiosk_mode", "kiosk_idle_seconds", "kiosk_warning_seconds", "kiosk_ping_seconds", "print_paper"
    )
    helpers.context(assisted_context, "assisted", "assisted_ended")
    # flask-babel's `_`, gettext and ngettext, bound to this request's catalogue once (see i18n.py).
    helpers.context(translation_context, "_", "gettext", "ngettext", shadows_globals=True)
    return helpers
