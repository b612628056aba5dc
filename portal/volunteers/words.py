"""The words of the volunteer pages: skills, days and parts of the day, answers, and refusals."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..services.masking import mask_name
from ..services.volunteers import DAYS, PARTS, SKILLS, skills_of, slots_of, volunteer_name

SKILL_WORDS = {
    "first_aid": _l("First aid"),
    "driving": _l("Driving people"),
    "language": _l("Languages or dialects"),
    "repairs": _l("Small repairs"),
    "companionship": _l("Company and a chat"),
    "errands": _l("Shopping and errands"),
    "phones": _l("Help with phones and computers"),
}
PART_WORDS = {"morning": _l("morning"), "afternoon": _l("afternoon"), "evening": _l("evening")}
DAY_WORDS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday"))
ANSWER_WORDS = {"yes": _l("Coming"), "no": _l("Cannot come"), None: _l("No answer yet")}


def skill_options() -> list[tuple[str, str]]:
    return [(code, str(SKILL_WORDS[code])) for code in SKILLS]


def part_options() -> list[tuple[str, str]]:
    return [(part, str(PART_WORDS[part])) for part in PARTS]


def day_options() -> list[tuple[str, str]]:
    return [(str(day), str(DAY_WORDS[day])) for day in DAYS]


def slot_words(day: int, part: str) -> str:
    return _("%(day)s %(part)s", day=DAY_WORDS[day], part=PART_WORDS[part])


def skills_text(volunteer) -> str:
    words = [str(SKILL_WORDS[code]) for code in skills_of(volunteer.skills)]
    if volunteer.other_skill:
        words.append(volunteer.other_skill)
    return _(", ").join(words) if words else _("None given")


def times_text(bits: int) -> str:
    slots = slots_of(bits)
    return _(", ").join(slot_words(day, part) for day, part in slots) if slots else _("None given")


def slot_of_index(slot: int | None) -> str:
    if slot is None:
        return _("Any time")
    return slot_words(slot // len(PARTS), PARTS[slot % len(PARTS)])


def masked_name(volunteer) -> str:
    """An account's display name may carry an English part ("张志愿者 Zhang (volunteer)"): its first word."""
    name = volunteer_name(volunteer)
    return mask_name(name.split()[0] if name.split() else name)


def refusal_words(reason: str) -> str:
    if reason == "duplicate":
        return _("You are already on the volunteer register. Your entry is shown below.")
    if reason == "gone":
        return _("This entry is no longer on the register.")
    if reason == "nobody":
        return _("No volunteer of this grid matches. Choose another skill or time, or any.")
    if reason == "answered":
        return _("The answer was changed a moment ago. Look at it again below.")
    return _("That is not possible.")
