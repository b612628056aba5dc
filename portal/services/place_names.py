"""Place names in the reader's language: communities, grids, buildings, stations, services, categories (and the
other texts kept in two languages the same way, such as a closure's reason).

Every named thing keeps its Chinese name in `name` (and other text fields in `<field>`) and may have an English
one in `<field>_en`. English readers get the English text where there is one, everyone else the Chinese.
"""

from .dates import is_english


def place_name(obj, locale, field: str = "name") -> str:
    """obj.<field>_en in English when it is filled in, else the Chinese obj.<field>."""
    if obj is None:
        return ""
    if is_english(locale) and getattr(obj, f"{field}_en", ""):
        return getattr(obj, f"{field}_en")
    return getattr(obj, field, "") or ""


def name_columns(model, prefix: str) -> tuple:
    """A named model's two name columns for a SELECT of plain rows, as `<prefix>_name` and
    `<prefix>_name_en` (read back with joined_name)."""
    return model.name.label(f"{prefix}_name"), model.name_en.label(f"{prefix}_name_en")


def joined_name(row, prefix: str, english: bool) -> str:
    """A place's name from a plain row that selected it as `<prefix>_name` and `<prefix>_name_en` (a list
    read as columns rather than as ORM objects): the English name in English when there is one."""
    return (english and getattr(row, f"{prefix}_name_en")) or getattr(row, f"{prefix}_name") or ""
