"""What pages show, in the reader's language and the portal's time zone: dates and times (formatted by
services/dates.py), place names (services/place_names.py), masked names and phones, tickets and booking
references. portal/template_helpers.py registers these as the template filters; views call them directly
when they put such words in a sentence."""

import re
from datetime import date, datetime, time

from flask import current_app
from flask_babel import get_locale

from .services import dates
from .services.masking import mask_phone
from .services.place_names import place_name as place_name_in


def locale() -> str:
    """The reader's language, as a Babel locale name."""
    return str(get_locale() or dates.CHINESE)


def zone():
    return dates.get_zone(current_app.config.get("PORTAL_TIMEZONE"))


def to_local(value: datetime) -> datetime:
    return dates.to_local(value, zone())


def when(value: datetime | None) -> str:
    """ "2025年11月25日 15:00" / "Nov 25, 2025 3:00 PM"."""
    return dates.date_and_time(value, locale(), zone()) if value is not None else ""


def full_date(value: date | datetime | None) -> str:
    """The day with its weekday: "2025年11月25日星期二" / "Tuesday, November 25, 2025"."""
    return dates.full_date(value, locale(), zone()) if value is not None else ""


def long_date(value: date | datetime) -> str:
    return dates.long_date(value, locale(), zone())


def iso_date(value: date | datetime) -> str:
    return dates.iso_date(value, zone())


def weekday(value: date | datetime) -> str:
    return dates.weekday_name(value, locale(), zone())


def short_date(value: date | datetime) -> str:
    return dates.short_date(value, locale(), zone())


def clock(value: datetime | time | None) -> str:
    """The local time of day, "15:00"."""
    return dates.time_of_day(value, zone()) if value is not None else ""


def place_name(obj, field: str = "name") -> str:
    """A place's name (or another text field) in the reader's language: `{{ grid | loc }}`,
    `{{ station | loc('address') }}`."""
    return place_name_in(obj, locale(), field)


def place_names(objs) -> str:
    """Several names as one list: "1幢、2幢" / "Building 1, Building 2"."""
    separator = ", " if dates.is_english(locale()) else "、"
    return separator.join(place_name(obj) for obj in objs)


def mask_digits(text: str) -> str:
    """Mask every phone-like run of digits in free text, such as a family contact "女儿 13712345678"."""
    return re.sub(r"\d{7,}", lambda m: mask_phone(m.group(0)), text or "")


def notice_words(notice) -> dict:
    """A notice in the reader's language (its translation when it has one, else as written): title,
    body as paragraphs with links (escaped), and the html lang of what is shown."""
    from .i18n import current_lang_code
    from .services.notice_text import paragraphs_html
    from .services.notices import notice_text

    title, body, lang = notice_text(notice, current_lang_code())
    return {"title": title, "body": paragraphs_html(body), "lang": "zh-CN" if lang == "zh" else "en"}
