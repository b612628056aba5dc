"""Reading the staff forms of a poll: the new-poll form (a question, 2-8 answers, single or multiple choice,
opening and closing times, who may vote, results before the close) and a batch of paper ballots. Plain
errors per field; nothing typed is lost."""

import re
from datetime import datetime, timedelta

from flask import request
from flask_babel import gettext as _

from ..activities.form import parse_time
from ..models.polls import MAX_OPTIONS, MIN_OPTIONS, OPTION_LENGTH, PLACE_LENGTH, QUESTION_LENGTH
from ..services.dates import as_utc_naive, to_local
from ..services.inputs import FULL_WIDTH, date_in_range, int_in_range, text_errors
from ..services.polls import PaperLine

MAX_PAPER_LINES = 500


def blank_values() -> dict:
    return {"question": "", "options": [""] * MAX_OPTIONS, "kind": "single", "opens_day": "", "opens": "08:00",
            "closes_day": "", "closes": "20:00", "who": "community", "grids": [], "early": ""}  # fmt: skip


def read_poll_form(grid_choices, tz, now: datetime) -> tuple[dict, dict, dict]:
    """(values as typed, fields for services.polls.create_poll, errors by field)."""
    form = request.form
    values = {name: form.get(name, "").strip() for name in
              ("question", "kind", "opens_day", "opens", "closes_day", "closes", "who")}  # fmt: skip
    values["options"] = [form.get(f"option{n}", "").strip() for n in range(1, MAX_OPTIONS + 1)]
    values["grids"] = form.getlist("grids")
    values["early"] = "1" if form.get("early") == "1" else ""
    errors = text_errors({"question": values["question"]}, lengths={"question": QUESTION_LENGTH})
    if not values["question"] and "question" not in errors:
        errors["question"] = _("Enter the question residents are asked")
    for number, option in enumerate(values["options"], start=1):
        problem = text_errors({f"option{number}": option}, lengths={f"option{number}": OPTION_LENGTH})
        errors |= problem
    answers = [option for option in values["options"] if option]
    if len(answers) < MIN_OPTIONS and "option1" not in errors:
        errors["option1"] = _("Enter at least two answers")
    elif len(set(answers)) != len(answers) and "option1" not in errors:
        errors["option1"] = _("Each answer must be different")
    if values["kind"] not in ("single", "multiple"):
        errors["kind"] = _("Choose whether residents pick one answer or several")
    today = to_local(as_utc_naive(now), tz).date()
    opens_day = date_in_range(values["opens_day"], today, today + timedelta(days=366))
    opens = parse_time(values["opens"])
    if opens_day is None or opens is None:
        errors["opens_day"] = _("Enter the opening day as year-month-day, for example %(example)s, and a time",
                                example=today.isoformat())  # fmt: skip
    closes_day = date_in_range(values["closes_day"], today, today + timedelta(days=400))
    closes = parse_time(values["closes"])
    if closes_day is None or closes is None:
        errors["closes_day"] = _("Enter the closing day as year-month-day, for example %(example)s, and a time",
                                 example=(today + timedelta(days=7)).isoformat())  # fmt: skip
    chosen = [grid for grid in grid_choices if str(grid.id) in values["grids"]]
    if values["who"] not in ("community", "grids"):
        errors["who"] = _("Choose who may vote")
    elif values["who"] == "grids" and not chosen:
        errors["grids"] = _("Choose at least one grid")
    fields = {}
    if not errors:
        opens_at = as_utc_naive(datetime.combine(opens_day, opens, tzinfo=tz))
        closes_at = as_utc_naive(datetime.combine(closes_day, closes, tzinfo=tz))
        if closes_at <= opens_at:
            errors["closes_day"] = _("The poll must close after it opens")
        else:
            fields = {
                "question": values["question"],
                "options": answers,
                "multiple": values["kind"] == "multiple",
                "opens_at": opens_at,
                "closes_at": closes_at,
                "whole_community": values["who"] == "community",
                "grids": chosen,
                "results_before_close": values["early"] == "1",
            }
    return values, fields, errors


LINE = re.compile(r"([0-9]{4}) ?([0-9]{4})\s*[:,;=\s]\s*(.*)")


def read_paper_form(option_count: int) -> tuple[dict, dict, dict]:
    """(values as typed, {place, declared, lines}, errors). One ballot per line: the resident number, then
    the number of each answer chosen, for example "1234 5678: 2" or "12345678 1 3"."""
    form = request.form
    values = {name: form.get(name, "").strip() for name in ("place", "declared", "ballots")}
    errors = text_errors({"place": values["place"]}, lengths={"place": PLACE_LENGTH})
    if not values["place"] and "place" not in errors:
        errors["place"] = _("Enter the polling place, for example: Community centre, ground floor")
    declared = int_in_range(values["declared"], 1, MAX_PAPER_LINES)
    if declared is None:
        errors["declared"] = _("Enter how many ballots you counted in this batch, as a number from 1 to %(max)d",
                               max=MAX_PAPER_LINES)  # fmt: skip
    text = values["ballots"].translate(FULL_WIDTH).replace("：", ":").replace("，", ",")
    lines, wrong = [], []
    for number, raw in enumerate((line.strip() for line in text.splitlines()), start=1):
        if not raw:
            continue
        match = LINE.fullmatch(raw)
        answers = [int(n) for n in re.findall(r"[0-9]+", match.group(3))] if match else []
        if (
            match is None
            or not answers
            or any(not 1 <= a <= option_count for a in answers)
            or len(lines) >= MAX_PAPER_LINES
        ):
            wrong.append(str(number))
            continue
        lines.append(PaperLine(match.group(1) + match.group(2), answers))
    if wrong:
        errors["ballots"] = _("Lines %(lines)s are not a resident number followed by answer numbers from 1 to "
                              "%(max)d. For example: 1234 5678: 2", lines=", ".join(wrong[:10]), max=option_count)  # fmt: skip
    elif not lines:
        errors["ballots"] = _("Enter one ballot per line: the resident number, then the answer number")
    elif declared is not None and declared != len(lines):
        errors["declared"] = _("You counted %(declared)d ballots but entered %(entered)d. Check the batch and "
                               "correct one of them.", declared=declared, entered=len(lines))  # fmt: skip
    fields = {} if errors else {"place": values["place"], "declared": declared, "lines": lines}
    return values, fields, errors
