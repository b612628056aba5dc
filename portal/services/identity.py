"""The one front door for residents: every path that identifies a resident calls this module.

Web, kiosk card, kiosk keypad, a helper's card scan, the nurse's scan and walk-in: one phone
normalisation, one birth-year rule, one message catalogue, always scoped to a community (None only on
the open web, where more than one match means "ask which community", never a guess).

Failed tries are counted in the database per phone number, per card and per client address
(models/identity.py), so a pause holds whatever address the tries come from and in every app process.
No request, g or session here.
"""

import hashlib
import hmac
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from ..models import IdentifyFailure, Resident, utcnow
from .audit import record_event
from .cards import TOKEN_RE, CardTokenError, normalise_token, resolve_card_token
from .inputs import FULL_WIDTH, ascii_digits
from .masking import mask_phone

PHONE_RE = re.compile(r"^1[3-9][0-9]{9}$")
OLDEST_YEAR = 1900
FAILURE_LIMIT = 5  # failed tries for one phone or one card ...
FAILURE_WINDOW = timedelta(minutes=15)  # ... within this window ...
PAUSE = timedelta(minutes=15)  # ... pause that phone or card for this long.
ADDRESS_FAILURE_LIMIT = 20  # one client address trying many phones or cards
# Refusals that are a guess at someone's identity. Typing mistakes (a short number, no card code)
# and a real card shown in the wrong community are not.
COUNTED = {"no_match", "token_tampered", "token_unknown", "token_revoked", "code_wrong"}

MESSAGES = {
    "token_missing": _l("Scan the resident card, or type the code printed under its QR code"),
    "token_malformed": _l(
        "That is not a resident card code. Scan the card again, or type the code printed under its QR code."
    ),
    "token_tampered": _l("That card code is not right. Scan the card again."),
    "token_unknown": _l("That card code is not right. Scan the card again."),
    "token_revoked": _l("This card has been replaced by a newer one. Use the newest card."),
    "token_foreign": _l("This card belongs to another community. Please ask a member of staff for help."),
    "token_out_of_scope": _l(
        "This resident lives outside your grids. Ask their own grid worker or the community office."
    ),
    "phone_missing": _l("Enter your mobile phone number"),
    "phone_invalid": _l("Enter an 11-digit mobile number starting with 1, like 139 1234 5678"),
    "year_missing": _l("Enter the year you were born"),
    "year_format": _l("Enter the year you were born as 4 digits, like 1950"),
    "year_range": _l("Check the year you were born: it must be between 1900 and this year"),
    "no_match": _l(
        "We could not find you with that phone number and birth year. Check both, or ask a volunteer for help."
    ),
    "phone_paused": _l(
        "There were too many tries with this phone number, so it is paused for 15 minutes. "
        "Please ask a staff member at the desk, or use your resident card."
    ),
    "card_paused": _l(
        "There were too many tries with this card, so it is paused for 15 minutes. "
        "Please ask a staff member at the desk, or use your phone number."
    ),
    "address_paused": _l(
        "There were too many tries from this device, so it is paused for 15 minutes. "
        "Please ask a staff member at the desk for help."
    ),
    "community_missing": _l("Choose the community you live in"),
    "code_missing": _l("Enter the 6-digit code from the text message"),
    "code_format": _l("Enter the code as 6 digits, like 123456"),
    "code_wrong": _l("That code is not right. Check the text message and type the 6 digits again."),
    "code_expired": _l("This code has run out. Ask for a new code."),
    "code_used_up": _l("That code was typed wrongly too many times. Ask for a new code."),
    "code_too_many": _l(
        "Several codes were sent to this phone in the last 15 minutes. Please wait, or ask a staff member at the desk."
    ),
}


def message(code: str) -> str:
    return str(MESSAGES[code])


def messages(errors: dict) -> dict:
    """{field: code} -> {field: the words, in the language of the request}."""
    return {field: message(code) for field, code in errors.items()}


class IdentifyError(ValueError):
    """`errors` maps form field -> message code (MESSAGES above)."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


class ChooseCommunity(Exception):
    """The phone and birth year match residents of more than one community: ask which one."""

    def __init__(self, residents: list):
        super().__init__(len(residents))
        self.residents = residents


# -- one normalisation, one birth-year rule ----------------------------------------------------
def ascii_text(raw) -> str:
    return str(raw or "").translate(FULL_WIDTH)


def normalise_phone(raw) -> str:
    """Strip spaces, dashes, dots, brackets and a +86 / 0086 / 86 prefix; full-width digits become
    ASCII. Does not validate: is_valid_mobile() does."""
    digits = re.sub(r"[\s\-.()]", "", ascii_text(raw))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def is_valid_mobile(phone: str) -> bool:
    return bool(PHONE_RE.match(phone or ""))


def check_phone(raw) -> tuple[str, str | None]:
    """(normalised phone, None) or (what was typed, the message code)."""
    phone = normalise_phone(raw)
    if not phone:
        return phone, "phone_missing"
    if not is_valid_mobile(phone):
        return phone, "phone_invalid"
    return phone, None


def this_year(tz_name: str, now: datetime | None = None) -> int:
    """The year in the portal's time zone: the only place the birth-year rule reads the clock.
    `now` is naive UTC, as everywhere in the models."""
    moment = (now or utcnow()).replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(tz_name)).year


def check_birth_year(raw, year_now: int) -> tuple[int | None, str | None]:
    """4 ASCII digits (full-width ones accepted), from 1900 to this year. (year, None) or (None, code)."""
    if not str(raw or "").strip():
        return None, "year_missing"
    digits = ascii_digits(raw)
    if digits is None or len(digits) != 4:
        return None, "year_format"
    year = int(digits)
    if not OLDEST_YEAR <= year <= year_now:
        return None, "year_range"
    return year, None


# -- failures, counted in the database -----------------------------------------------------------
def failure_key(secret: str, kind: str, value: str) -> str:
    """A keyed hash, so the failure table never holds a phone number in clear."""
    return hmac.new(secret.encode(), f"{kind}|{value}".encode(), hashlib.sha256).hexdigest()


def paused_until(session, secret: str, kind: str, value: str, now: datetime | None = None) -> datetime | None:
    """When FAILURE_LIMIT failures for this phone / card (ADDRESS_FAILURE_LIMIT for an address) fall
    within FAILURE_WINDOW, it is paused until PAUSE after the latest of them."""
    if not value:
        return None
    now = now or utcnow()
    limit = ADDRESS_FAILURE_LIMIT if kind == "address" else FAILURE_LIMIT
    count, latest = session.execute(
        select(func.count(), func.max(IdentifyFailure.at)).where(
            IdentifyFailure.kind == kind,
            IdentifyFailure.key == failure_key(secret, kind, value),
            IdentifyFailure.at > now - FAILURE_WINDOW,
        )
    ).one()
    if count < limit or latest is None:
        return None
    until = latest + PAUSE
    return until if until > now else None


def refuse_if_paused(
    session, secret: str, *, field: str, phone: str = "", card: str = "", address: str = "", now: datetime | None = None
) -> None:
    for kind, value in (("phone", phone), ("card", card), ("address", address)):
        if paused_until(session, secret, kind, value, now):
            raise IdentifyError({field: f"{kind}_paused"})


def record_failure(
    session,
    secret: str,
    *,
    code: str,
    phone: str = "",
    card: str = "",
    address: str = "",
    origin: dict | None = None,
    actor=None,
    now: datetime | None = None,
) -> bool:
    """Count one failed try against the phone or card and the client address, and audit it.
    Returns True when this failure paused the phone or card. The caller commits."""
    now = now or utcnow()
    for kind, value in (("phone", phone), ("card", card), ("address", address)):
        if not value:
            continue
        key = failure_key(secret, kind, value)
        # Keep the table small: what has left the window no longer counts.
        session.execute(
            delete(IdentifyFailure).where(
                IdentifyFailure.kind == kind,
                IdentifyFailure.key == key,
                IdentifyFailure.at < now - FAILURE_WINDOW - PAUSE,
            )
        )
        session.add(IdentifyFailure(kind=kind, key=key, at=now))
    session.flush()
    origin = origin or {}
    what = f"phone={mask_phone(phone)}" if phone else f"card={card}" if card else "how=unknown"
    record_event(
        session,
        "resident.identify_failed",
        actor=actor,
        detail=f"{what}; reason={code}",
        channel=origin.get("channel", ""),
        kiosk_id=origin.get("kiosk_id"),
    )
    paused = any(paused_until(session, secret, kind, value, now) for kind, value in (("phone", phone), ("card", card)))
    if paused:
        record_event(
            session,
            "resident.identify_paused",
            actor=actor,
            detail=f"{what}; minutes=15",
            channel=origin.get("channel", ""),
            kiosk_id=origin.get("kiosk_id"),
        )
    return paused


# -- identifying ------------------------------------------------------------------------------
def card_number(token: str) -> str:
    """The resident number a card code names, or "" when it is not a card code at all."""
    match = TOKEN_RE.match(normalise_token(token))
    return match.group(1) if match else ""


def residents_by_phone_and_year(session, phone: str, birth_year: int, community_id: int | None) -> list:
    query = select(Resident).where(Resident.phone == phone, Resident.birth_year == birth_year)
    if community_id is not None:
        query = query.where(Resident.community_id == community_id)
    return list(session.scalars(query.order_by(Resident.community_id, Resident.id)))


def resident_by_phone(session, phone: str, community_id: int):
    """The resident registered with this (normalised, valid) phone in one community, or None. For a
    partner's system that vouches for the caller itself (Open311 with its key): its caller gave their
    number on the city's hotline, so no birth year is asked."""
    return session.scalars(
        select(Resident).where(Resident.community_id == community_id, Resident.phone == phone)
    ).first()


def identify_by_card(
    session,
    secret: str,
    token: str,
    *,
    community_id: int | None,
    address: str = "",
    origin: dict | None = None,
    actor=None,
    now: datetime | None = None,
) -> Resident:
    if not (token or "").strip():
        raise IdentifyError({"token": "token_missing"})
    number = card_number(token)
    refuse_if_paused(session, secret, field="token", card=number, address=address, now=now)
    try:
        return resolve_card_token(session, token, secret, community_id=community_id)
    except CardTokenError as error:
        code = f"token_{error.reason}"
        if code in COUNTED and record_failure(
            session, secret, code=code, card=number, address=address, origin=origin, actor=actor, now=now
        ):
            code = "card_paused"
        raise IdentifyError({"token": code}) from error


def check_phone_and_year(phone: str, birth_year: str, year_now: int) -> tuple[str, int | None]:
    """The normalised phone and year, or IdentifyError with one code per field."""
    number, phone_code = check_phone(phone)
    year, year_code = check_birth_year(birth_year, year_now)
    errors = {field: code for field, code in (("phone", phone_code), ("birth_year", year_code)) if code}
    if errors:
        raise IdentifyError(errors)
    return number, year


def identify_by_phone(
    session,
    secret: str,
    phone: str,
    birth_year: str,
    *,
    year_now: int,
    community_id: int | None,
    address: str = "",
    origin: dict | None = None,
    actor=None,
    now: datetime | None = None,
) -> Resident:
    """Phone plus birth year: only at a registered kiosk and for staff or a helper who checked the
    person in person (the open web adds a code sent by SMS, services/phone_codes.py)."""
    number, year = check_phone_and_year(phone, birth_year, year_now)
    refuse_if_paused(session, secret, field="phone", phone=number, address=address, now=now)
    found = residents_by_phone_and_year(session, number, year, community_id)
    if not found:
        code = "no_match"
        if record_failure(
            session, secret, code=code, phone=number, address=address, origin=origin, actor=actor, now=now
        ):
            code = "phone_paused"
        raise IdentifyError({"phone": code})
    if len(found) > 1:
        raise ChooseCommunity(found)
    return found[0]


def identify_resident(
    session,
    secret: str,
    *,
    token: str = "",
    phone: str = "",
    birth_year: str = "",
    year_now: int,
    community_id: int | None,
    address: str = "",
    origin: dict | None = None,
    actor=None,
    now: datetime | None = None,
) -> Resident:
    """The resident, or IdentifyError (one code per field), or ChooseCommunity.

    A card code, when given, wins; otherwise phone plus birth year. A wrong pairing of phone and year
    says only "no_match", so the page never tells a stranger whether a phone number is registered.
    """
    common = {"community_id": community_id, "address": address, "origin": origin, "actor": actor, "now": now}
    if (token or "").strip():
        return identify_by_card(session, secret, token, **common)
    return identify_by_phone(session, secret, phone, birth_year, year_now=year_now, **common)
