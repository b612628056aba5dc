"""The audit log's words for the details of the neighbours' events (votes, the volunteer register, mutual
aid): "poll=3; place=2" -> "Poll: 社区义诊改在每月哪一天？; Batch of paper ballots number 2". Ids of grids and
polls become their names, looked up for the whole page in two statements (`names_in_details`)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from ..display import place_name
from ..models import Grid, Poll
from ..services.audit import detail_parts
from ..volunteers.words import SKILL_WORDS, slot_of_index

ANSWER_WORDS = {"yes": _l("Answer: coming"), "no": _l("Answer: cannot come")}
TOLD_WORDS = {"sms": _l("a text message"), "call": _l("a phone call from the grid worker"), "nobody": _l("not told")}
CALL_WORDS = {
    "matched": _l("Why: to tell them about the match"),
    "still_needed": _l("Why: to ask whether it is still needed"),
}
LOOKED_UP = ("grid", "poll")
# Details that name a record by its number.
NUMBERED = {
    "place": _l("Batch of paper ballots number %(number)s"),
    "volunteer": _l("Volunteer entry number %(number)s"),
    "callout": _l("Call-out number %(number)s"),
    "aid_post": _l("Need or offer number %(number)s"),
    "aid_match": _l("Match number %(number)s"),
    "topic": _l("Topic number %(number)s"),
    # A topic's meeting is an activity: the activities' own details, in words too.
    "activity": _l("Activity number %(number)s"),
    "attended": _l("%(number)s came"),
    "capacity": _l("Places: %(number)s"),
    "held_back": _l("Held back for the desk: %(number)s"),
    "promoted": _l("Moved up from the waiting list: %(number)s"),
}


def names_in_details(session, events) -> dict:
    """{"grid": {id: name}, "poll": {id: question}} for the ids the events' details name."""
    ids = {key: set() for key in LOOKED_UP}
    for event in events:
        for key, _has_value, value in detail_parts(event.detail):
            if key in ids and value.isdigit():
                ids[key].add(int(value))
    grids = session.scalars(select(Grid).where(Grid.id.in_(ids["grid"])))
    polls = session.execute(select(Poll.id, Poll.question).where(Poll.id.in_(ids["poll"])))
    return {"grid": {str(g.id): place_name(g) for g in grids}, "poll": {str(i): q for i, q in polls}}


def neighbour_phrase(key: str, value: str, names: dict) -> str | None:
    """The words for one detail of a neighbours' event; None for a key that is not one of theirs."""
    if key in NUMBERED:
        return str(NUMBERED[key]) % {"number": value}
    if key == "poll":
        question = names.get("poll", {}).get(value)
        return _("Poll: %(question)s", question=question) if question else _("Poll number %(number)s", number=value)
    if key == "grid":
        return names.get("grid", {}).get(value) or _("Grid number %(number)s", number=value)
    if key == "volunteers":
        number = int(value) if value.isdigit() else 0
        return ngettext("%(num)d volunteer asked", "%(num)d volunteers asked", number)
    if key == "skill":
        return _("Skill: %(skill)s", skill=SKILL_WORDS[value]) if value in SKILL_WORDS else _("Any skill")
    if key == "slot":
        return slot_of_index(int(value)) if value.isdigit() else slot_of_index(None)
    if key == "answer":
        return str(ANSWER_WORDS.get(value, value))
    if key == "told":
        ways = [str(TOLD_WORDS.get(way, way)) for way in value.split("+")]
        return _("How the two sides were told: %(ways)s", ways=_(", ").join(ways))
    if key == "call" and value in CALL_WORDS:  # a kiosk's call for staff is call=<number>, not ours
        return str(CALL_WORDS[value])
    if key == "code":
        return _("Ticket code %(code)s", code=value)
    return None
