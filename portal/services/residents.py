"""Resident numbers. Identifying a resident (phone, birth year, card) is services/identity.py."""

import secrets


def new_resident_number() -> str:
    """Eight random digits, grouped 4+4 when shown. Random, so it says nothing about the database."""
    return f"{secrets.randbelow(90_000_000) + 10_000_000}"


def format_resident_number(number: str) -> str:
    return f"{number[:4]} {number[4:]}" if len(number) == 8 else number
