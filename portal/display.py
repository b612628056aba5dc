"""Template helpers shared by the assist and requests pages: dates and times as people read them, in
the portal's time zone (the database keeps naive UTC), masked names and phones, and ticket numbers."""
import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_date, format_time

from .services.masking import mask_name, mask_phone
from .services.tickets import format_ticket


def when(value: datetime | None) -> str:
    """"2025年11月25日 15:00" / "Nov 25, 2025, 3:00 PM"."""
    if value is None:
        return ""
    return f"{format_date(value, 'medium')} {format_time(value, 'short')}"


def day(value: datetime | None) -> str:
    """The date with its weekday: "2025年11月25日星期二" / "Tuesday, November 25, 2025"."""
    return format_date(value, "full") if value is not None else ""


def mask_digits(text: str) -> str:
    """Mask every phone-like run of digits in free text, such as a family contact "女儿 13712345678"."""
    return re.sub(r"\d{7,}", lambda m: mask_phone(m.group(0)), text or "")


def clock(value: datetime | None) -> str:
    return format_time(value, "short") if value is not None else ""


def to_local(value: datetime) -> datetime:
    zone = ZoneInfo(current_app.config["PORTAL_TIMEZONE"])
    return value.replace(tzinfo=timezone.utc).astimezone(zone)


def register(app) -> None:
    app.add_template_filter(when, "when")
    app.add_template_filter(day, "day")
    app.add_template_filter(clock, "clock")
    app.add_template_filter(mask_name, "mask_name")
    app.add_template_filter(mask_phone, "mask_phone")
    app.add_template_filter(mask_digits, "mask_digits")
    app.add_template_filter(format_ticket, "ticket")
