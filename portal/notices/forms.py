"""The notice form: what was typed, kept as typed, and the plain-language message for each problem."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from ..models import Notice
from ..models.notices import BODY_LENGTH, TITLE_LENGTH
from ..services.inputs import date_in_range, text_errors
from ..services.notices import NoticeDraft

FIELDS = ("title", "body", "language", "title_other", "body_other", "starts_on", "ends_on", "audience")
# A notice runs at most this long, and starts at most this far ahead: a board is not an archive.
LONGEST = timedelta(days=366)
FURTHEST_START = timedelta(days=366)

MESSAGES = {
    "title": _l("Enter a title"),
    "body": _l("Enter the text of the notice"),
    "language": _l("Choose the language the notice is written in"),
    "title_other": _l("Enter the title in the other language too, or leave both translation boxes empty"),
    "body_other": _l("Enter the text in the other language too, or leave both translation boxes empty"),
    "starts_on": _l("Enter the first day the notice shows, like 2026-12-01"),
    "starts_on_far": _l("The first day must be within a year from today"),
    "ends_on": _l("Enter the last day the notice shows, like 2026-12-31"),
    "ends_before": _l("The last day cannot be before the first day"),
    "ends_past": _l("The last day cannot be in the past"),
    "ends_long": _l("A notice can show for one year at most"),
    "grids": _l("Choose at least one grid"),
    "audience": _l("Choose who the notice is for"),
}


def notice_values(notice: Notice | None, default_grid=None) -> dict:
    """The form's values for a new notice (today to a fortnight on) or for an existing one."""
    if notice is None:
        return {
            "title": "",
            "body": "",
            "language": "zh",
            "title_other": "",
            "body_other": "",
            "starts_on": "",
            "ends_on": "",
            "audience": "grids",
            "important": False,
            "grids": [str(default_grid.id)] if default_grid is not None else [],
        }
    return {
        "title": notice.title,
        "body": notice.body,
        "language": notice.language,
        "title_other": notice.title_other,
        "body_other": notice.body_other,
        "starts_on": notice.starts_on.isoformat(),
        "ends_on": notice.ends_on.isoformat(),
        "audience": "community" if notice.whole_community else "grids",
        "important": notice.important,
        "grids": [str(grid.id) for grid in notice.grids],
    }


def read_form(form) -> dict:
    values = {name: form.get(name, "") for name in FIELDS}
    for name in ("title", "title_other", "starts_on", "ends_on"):
        values[name] = values[name].strip()
    values["body"] = values["body"].strip("\n\r ")
    values["body_other"] = values["body_other"].strip("\n\r ")
    values["important"] = form.get("important") == "yes"
    values["grids"] = form.getlist("grids")
    return values


def check_notice(values: dict, *, today: date, choosable_grids, may_whole_community: bool, is_new: bool):
    """(draft, errors): a NoticeDraft when nothing is wrong, else None and the messages by field."""
    errors = text_errors(
        {key: values[key] for key in ("title", "body", "title_other", "body_other")},
        lengths={"title": TITLE_LENGTH, "title_other": TITLE_LENGTH, "body": BODY_LENGTH, "body_other": BODY_LENGTH},
        multiline=("body", "body_other"),
    )
    for name in ("title", "body"):
        if not values[name] and name not in errors:
            errors[name] = str(MESSAGES[name])
    if values["language"] not in ("zh", "en"):
        errors["language"] = str(MESSAGES["language"])
    if bool(values["title_other"]) != bool(values["body_other"]):
        missing = "title_other" if not values["title_other"] else "body_other"
        errors.setdefault(missing, str(MESSAGES[missing]))
    start = date_in_range(values["starts_on"])
    end = date_in_range(values["ends_on"])
    if start is None:
        errors["starts_on"] = str(MESSAGES["starts_on"])
    elif start > today + FURTHEST_START:
        errors["starts_on"] = str(MESSAGES["starts_on_far"])
    if end is None:
        errors["ends_on"] = str(MESSAGES["ends_on"])
    elif start is not None and end < start:
        errors["ends_on"] = str(MESSAGES["ends_before"])
    elif is_new and end < today:
        errors["ends_on"] = str(MESSAGES["ends_past"])
    elif start is not None and end - start > LONGEST:
        errors["ends_on"] = str(MESSAGES["ends_long"])
    whole = values["audience"] == "community"
    by_id = {str(grid.id): grid for grid in choosable_grids}
    chosen = [by_id[key] for key in dict.fromkeys(values["grids"]) if key in by_id]
    if values["audience"] not in ("community", "grids") or (whole and not may_whole_community):
        # Without the choice on the form (grid workers), the message goes with the grids.
        errors["audience" if may_whole_community else "grids"] = str(MESSAGES["audience"])
    elif not whole and not chosen:
        errors["grids"] = str(MESSAGES["grids"])
    if errors:
        return None, errors
    draft = NoticeDraft(
        title=values["title"],
        body=values["body"],
        starts_on=start,
        ends_on=end,
        language=values["language"],
        title_other=values["title_other"],
        body_other=values["body_other"],
        important=values["important"],
        whole_community=whole,
        grids=[] if whole else chosen,
    )
    return draft, {}
