"""One-time codes by SMS: on the open web a phone number proves itself before it identifies anyone
or signs anyone up. 6 digits, valid 10 minutes, 5 tries, stored only as a keyed hash, sent through the
outbox and the SMS adapter. Every wrong code counts as a failed try for the phone (services/identity.py),
so 5 wrong codes pause that phone whatever address they come from. No request, g or session here."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask_babel import force_locale, gettext
from sqlalchemy import func, select, update

from ..models import OneTimeCode, utcnow
from .identity import (
    IdentifyError,
    ascii_text,
    check_phone,
    record_failure,
    refuse_if_paused,
    residents_by_phone_and_year,
)
from .outbox import queue_message

CODE_DIGITS = 6
CODE_VALID_FOR = timedelta(minutes=10)
CODE_TRIES = 5
CODES_PER_WINDOW = 3  # codes sent to one phone within the failure window (no SMS flooding)
SEND_WINDOW = timedelta(minutes=15)


class CodeRefused(IdentifyError):
    """errors = {"code": code_missing | code_format | code_wrong | code_expired | code_used_up | phone_paused}"""


def code_hash(secret: str, code_id: int, code: str) -> str:
    return hmac.new(secret.encode(), f"otp|{code_id}|{code}".encode(), hashlib.sha256).hexdigest()


def code_text(code: str, purpose: str, locale: str) -> str:
    with force_locale(locale):
        if purpose == "signup":
            return gettext(
                "Linli: your code to join is %(code)s. It works for 10 minutes. Do not tell it to anyone.", code=code
            )
        return gettext(
            "Linli: your code is %(code)s. It works for 10 minutes. Do not tell it to anyone, "
            "not even a volunteer or staff.",
            code=code,
        )


def send_code(
    session,
    secret: str,
    *,
    purpose: str,
    phone: str,
    birth_year: int | None = None,
    send: bool = True,
    locale: str = "zh_Hans_CN",
    address: str = "",
    now: datetime | None = None,
) -> OneTimeCode:
    """A new code for this phone, queued as an SMS when `send`. With send=False (identify: nobody has
    this phone and birth year) the row is made all the same, so the page looks exactly alike and every
    code typed fails. The caller commits."""
    now = now or utcnow()
    refuse_if_paused(session, secret, field="phone", phone=phone, address=address, now=now)
    recent = session.scalar(
        select(func.count())
        .select_from(OneTimeCode)
        .where(OneTimeCode.phone == phone, OneTimeCode.created_at > now - SEND_WINDOW)
    )
    if recent >= CODES_PER_WINDOW:
        raise IdentifyError({"phone": "code_too_many"})
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    row = OneTimeCode(
        purpose=purpose,
        phone=phone,
        birth_year=birth_year,
        code_hash="",
        attempts=0,
        created_at=now,
        expires_at=now + CODE_VALID_FOR,
    )
    session.add(row)
    session.flush()
    row.code_hash = code_hash(secret, row.id, code)
    if send:
        queue_message(
            session, kind=f"code.{purpose}", text=code_text(code, purpose, locale), recipient=phone, locale=locale
        )
    session.flush()
    return row


def send_identify_code(
    session, secret: str, *, phone: str, birth_year: int, locale: str, address: str = "", now: datetime | None = None
) -> OneTimeCode:
    """The SMS goes only to a phone that some resident has with this birth year; the page says the same."""
    known = bool(residents_by_phone_and_year(session, phone, birth_year, None))
    return send_code(
        session,
        secret,
        purpose="identify",
        phone=phone,
        birth_year=birth_year,
        send=known,
        locale=locale,
        address=address,
        now=now,
    )


def check_code(
    session,
    secret: str,
    code_id: int | None,
    typed: str,
    *,
    purpose: str,
    address: str = "",
    origin: dict | None = None,
    now: datetime | None = None,
) -> OneTimeCode:
    """The code row once the right code is typed (it is then used up), or CodeRefused."""
    now = now or utcnow()
    row = session.get(OneTimeCode, code_id) if isinstance(code_id, int) else None
    if row is None or row.purpose != purpose or row.used_at is not None:
        raise CodeRefused({"code": "code_expired"})
    try:
        refuse_if_paused(session, secret, field="code", phone=row.phone, address=address, now=now)
    except IdentifyError as paused:
        raise CodeRefused(paused.errors) from None
    text = "".join(ascii_text(typed).split())
    if not text:
        raise CodeRefused({"code": "code_missing"})
    if not (len(text) == CODE_DIGITS and text.isascii() and text.isdigit()):
        raise CodeRefused({"code": "code_format"})
    if row.expires_at <= now:
        raise CodeRefused({"code": "code_expired"})
    if row.attempts >= CODE_TRIES:
        raise CodeRefused({"code": "code_used_up"})
    if hmac.compare_digest(row.code_hash, code_hash(secret, row.id, text)):
        # Used once: a conditional UPDATE, so two tabs typing the same code cannot both win.
        won = session.execute(
            update(OneTimeCode)
            .where(OneTimeCode.id == row.id, OneTimeCode.used_at.is_(None), OneTimeCode.attempts < CODE_TRIES)
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        session.refresh(row)
        if won == 1:
            return row
        raise CodeRefused({"code": "code_expired"})
    session.execute(
        update(OneTimeCode)
        .where(OneTimeCode.id == row.id)
        .values(attempts=OneTimeCode.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    session.refresh(row)
    paused = record_failure(
        session, secret, code="code_wrong", phone=row.phone, address=address, origin=origin, now=now
    )
    if paused:
        raise CodeRefused({"code": "phone_paused"})
    raise CodeRefused({"code": "code_used_up" if row.attempts >= CODE_TRIES else "code_wrong"})


def verified_phone(session, code_id, *, purpose: str, now: datetime | None = None) -> str | None:
    """The phone a code proved, while it is fresh (the code's 10 minutes), else None."""
    now = now or utcnow()
    row = session.get(OneTimeCode, code_id) if isinstance(code_id, int) else None
    if row is None or row.purpose != purpose or row.used_at is None or row.expires_at <= now:
        return None
    return row.phone


def valid_phone_or_error(raw) -> str:
    phone, code = check_phone(raw)
    if code:
        raise IdentifyError({"phone": code})
    return phone
