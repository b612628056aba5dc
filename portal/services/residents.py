"""Resident numbers and identification by phone plus birth year."""
import re
import secrets

from sqlalchemy import select

from ..models import Resident

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def new_resident_number() -> str:
    """Eight random digits, grouped 4+4 when shown. Random, so it says nothing about the database."""
    return f"{secrets.randbelow(90_000_000) + 10_000_000}"


def format_resident_number(number: str) -> str:
    return f"{number[:4]} {number[4:]}" if len(number) == 8 else number


def normalise_phone(raw: str) -> str:
    """Strip spaces, dashes, dots and a +86 / 86 prefix. Does not validate."""
    digits = re.sub(r"[\s\-.()\u3000]", "", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def is_valid_mobile(phone: str) -> bool:
    return bool(PHONE_RE.match(phone))


def find_by_phone_and_birth_year(session, phone: str, birth_year: int, community_id: int | None = None):
    """Identify a resident the way a senior can: their mobile number and the year they were born."""
    query = select(Resident).where(Resident.phone == phone, Resident.birth_year == birth_year)
    if community_id is not None:
        query = query.where(Resident.community_id == community_id)
    return session.scalars(query).first()
