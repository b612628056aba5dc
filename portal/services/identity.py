"""Identifying a resident the ways a senior can: the resident card, or mobile number plus birth year."""
from .cards import CardTokenError, resolve_card_token
from .inputs import ascii_digits
from .residents import find_by_phone_and_birth_year, is_valid_mobile, normalise_phone


class IdentifyError(ValueError):
    """`errors` maps form field -> message code (see identify/routes.py for the words)."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def parse_birth_year(raw: str, this_year: int) -> int | None:
    digits = ascii_digits(raw)
    if digits is None or len(digits) != 4:
        return None
    year = int(digits)
    return year if 1900 <= year <= this_year else None


def identify_resident(session, secret: str, *, token: str = "", phone: str = "", birth_year: str = "",
                      this_year: int, community_id: int | None = None):
    """Return the resident, or raise IdentifyError with one code per field.

    Codes: token_<reason> (malformed, tampered, unknown, revoked, foreign), phone_missing, phone_invalid,
    year_missing, year_invalid, no_match. A wrong pairing of phone and year says only "no_match", so
    the page never tells a stranger whether a phone number is registered.
    """
    if token.strip():
        try:
            return resolve_card_token(session, token, secret, community_id=community_id)
        except CardTokenError as error:
            raise IdentifyError({"token": f"token_{error.reason}"}) from error
    errors = {}
    number = normalise_phone(phone)
    if not number:
        errors["phone"] = "phone_missing"
    elif not is_valid_mobile(number):
        errors["phone"] = "phone_invalid"
    year = parse_birth_year(birth_year, this_year)
    if not (birth_year or "").strip():
        errors["birth_year"] = "year_missing"
    elif year is None:
        errors["birth_year"] = "year_invalid"
    if errors:
        raise IdentifyError(errors)
    resident = find_by_phone_and_birth_year(session, number, year, community_id)
    if resident is None:
        raise IdentifyError({"phone": "no_match"})
    return resident
