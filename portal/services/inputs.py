"""What a form field may hold, checked before the database sees it.

One place for the character, length and number rules every form uses:
- `ascii_digits()` turns full-width digits into ASCII ones and accepts nothing else (str.isdigit() also
  accepts superscripts and other scripts' digits, which int() or the database then refuse);
- `text_problem()` refuses control characters (a NUL byte makes PostgreSQL fail) and text longer than
  its column, so staff get a message and keep what they typed instead of losing it to a server error;
- `column_length()` reads the limit from the model, so form and column cannot drift apart;
- `int_in_range()` / `date_in_range()` parse query strings and form numbers without overflowing.
"""

import re
from datetime import date

from flask_babel import lazy_gettext as _l

# PostgreSQL INTEGER, the type of every id and count column.
INT_MAX = 2**31 - 1
# Full-width digits and signs from Chinese input methods become ASCII. Deliberately not NFKC: that would
# also turn superscript or circled digits into digits, and "digits" means 0-9 here.
FULL_WIDTH = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    0xFF0B: "+",
    0xFF0D: "-",
    0xFF08: "(",
    0xFF09: ")",
    0x3000: " ",
    0xFF0E: ".",
}
ASCII_DIGITS = re.compile(r"[0-9]+")
# C0 and C1 control characters, DEL, and the Unicode line/paragraph separators and bidi overrides
# that make a name read backwards. Tab, newline and carriage return are allowed in multi-line text.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
LINE_BREAKS = re.compile("[\t\n\r]")
# Free text kept in an unbounded Text column still gets a limit a person could type.
TEXT_MAX = 2000
OLDEST_DAY, NEWEST_DAY = date(1900, 1, 1), date(2200, 12, 31)

MESSAGES = {
    "control": _l("Remove the special characters from this answer. Use letters, numbers and punctuation only."),
    "line_break": _l("Write this on one line."),
    "too_long": _l("This is too long. Use %(max)s characters or fewer."),
}


def ascii_digits(raw: str | None) -> str | None:
    """The digits typed, with full-width ones made ASCII, or None when anything else is in it.

    Spaces around the value are ignored; '１９５０' gives '1950', '¹⁹⁵⁰' and '1950a' give None.
    """
    value = (raw or "").strip().translate(FULL_WIDTH)
    return value if ASCII_DIGITS.fullmatch(value) else None


def int_in_range(raw, low: int = 0, high: int = INT_MAX) -> int | None:
    """A whole number from low to high written in (full-width or ASCII) digits, or None."""
    if isinstance(raw, int):
        return raw if low <= raw <= high else None
    negative = isinstance(raw, str) and raw.strip().startswith("-")
    digits = ascii_digits(raw.strip()[1:] if negative else raw)
    if digits is None or len(digits) > 12:
        return None
    value = -int(digits) if negative else int(digits)
    return value if low <= value <= high else None


def date_in_range(raw, oldest: date = OLDEST_DAY, newest: date = NEWEST_DAY) -> date | None:
    """An ISO date (YYYY-MM-DD) the portal can store and do arithmetic on, or None."""
    raw = (raw or "").strip()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    return day if oldest <= day <= newest else None


def column_length(model, name: str) -> int | None:
    """The length of a model's string column (TEXT_MAX for unbounded Text, None for no such column)."""
    column = model.__table__.c.get(name)
    if column is None or not hasattr(column.type, "length"):
        return None
    return column.type.length or TEXT_MAX


def text_problem(value: str, max_length: int | None = None, multiline: bool = False):
    """Why this text cannot be saved, as a message, or None when it can."""
    if CONTROL.search(value or ""):
        return MESSAGES["control"]
    if not multiline and LINE_BREAKS.search(value or ""):
        return MESSAGES["line_break"]
    if max_length is not None and len(value or "") > max_length:
        return _l("This is too long. Use %(max)s characters or fewer.", max=max_length)
    return None


def text_errors(values: dict, model=None, lengths: dict | None = None, multiline=()) -> dict:
    """Messages for the fields of `values` that break a rule; lengths come from `model`'s columns,
    or from `lengths` where a field has no column of its own."""
    errors = {}
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        limit = (lengths or {}).get(name) or (column_length(model, name) if model is not None else None)
        problem = text_problem(value, limit, multiline=name in multiline)
        if problem:
            errors[name] = str(problem)
    return errors


def has_control(value: str | None) -> bool:
    return bool(CONTROL.search(value or "")) or bool(LINE_BREAKS.search(value or ""))
