"""The words for what a resident asks about their data, and its outcome."""

from flask_babel import lazy_gettext as _l

FIELD_LABELS = {
    "name": _l("My name"),
    "phone": _l("My mobile number"),
    "birth_year": _l("My birth year"),
    "room": _l("My room number"),
    "family_contact": _l("My family contact"),
    "other": _l("Something else"),
}
STATE_LABELS = {
    "pending": _l("Waiting for the community staff"),
    "applied": _l("Done: your record was changed"),
    "declined": _l("Not changed"),
}
REMOVAL_STATE_LABELS = {
    "pending": _l("Waiting for the community staff to confirm"),
    "applied": _l("Done: you were removed"),
    "declined": _l("Not removed"),
}


def field_label(ask) -> str:
    return str(FIELD_LABELS.get(ask.field, ask.field))


def ask_state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


def field_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in FIELD_LABELS.items()]
