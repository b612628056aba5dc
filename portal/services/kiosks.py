"""Kiosks as devices: registration, one-time activation codes, revocation, the identification pause.

No request, g or session here: the kiosk blueprint turns these results into cookies and pages.
"""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash

from ..models import Kiosk, KioskIdentifyFailure, utcnow
from .hashing import hash_secret
from .inputs import int_in_range

# No 0/O, 1/I/L: the code is read off a screen and typed by hand on the kiosk.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_VALID_FOR = timedelta(hours=48)
FAILURE_LIMIT = 5
FAILURE_WINDOW = timedelta(minutes=10)
PAUSE = timedelta(minutes=1)
# The paper a kiosk's printer takes (Kiosk.paper); static/css/slips.css lays slips out for each.
PAPERS = ("a4", "a5", "roll80", "roll58")


def new_activation_code(kiosk_id: int) -> str:
    """K<kiosk id>-XXXX-XXXX-XXXX: the id lets activation check one hash instead of every kiosk's."""
    groups = ["".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3)]
    return f"K{kiosk_id}-" + "-".join(groups)


def normalise_code(raw: str) -> str:
    return "".join((raw or "").split()).upper().replace("—", "-").replace("–", "-")


def register_kiosk(session, *, name: str, location: str, community_id: int, name_en: str = "") -> tuple[Kiosk, str]:
    """A new kiosk and its first activation code (the code itself is never stored)."""
    kiosk = Kiosk(name=name, name_en=name_en, location=location, community_id=community_id, active=True)
    session.add(kiosk)
    session.flush()
    return kiosk, issue_activation_code(session, kiosk)


def issue_activation_code(session, kiosk: Kiosk, now: datetime | None = None) -> str:
    """A fresh one-time code; any earlier unused code stops working."""
    code = new_activation_code(kiosk.id)
    kiosk.activation_code_hash = hash_secret(code)
    kiosk.activation_expires_at = (now or utcnow()) + CODE_VALID_FOR
    session.flush()
    return code


def activate_kiosk(session, raw_code: str, now: datetime | None = None) -> Kiosk | None:
    """The kiosk this code activates, or None. Works once: the code's hash is cleared in a conditional
    UPDATE, so two browsers typing the same code at once cannot both win. Activation bumps the cookie
    version, so the cookie of any device that held this kiosk before stops working."""
    now = now or utcnow()
    code = normalise_code(raw_code)
    prefix = code.split("-", 1)[0]
    kiosk_id = int_in_range(prefix[1:], 1) if prefix.startswith("K") else None
    if kiosk_id is None:
        return None
    kiosk = session.get(Kiosk, kiosk_id)
    if (
        kiosk is None
        or not kiosk.active
        or not kiosk.activation_code_hash
        or kiosk.activation_expires_at is None
        or kiosk.activation_expires_at < now
        or not check_password_hash(kiosk.activation_code_hash, code)
    ):
        return None
    won = session.execute(
        update(Kiosk)
        .where(Kiosk.id == kiosk.id, Kiosk.activation_code_hash == kiosk.activation_code_hash)
        .values(
            activation_code_hash=None,
            activation_expires_at=None,
            activated_at=now,
            cookie_version=Kiosk.cookie_version + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        return None
    session.refresh(kiosk)
    return kiosk


def switch_off(session, kiosk: Kiosk) -> None:
    """Deactivate and revoke the device's cookie at once (a lost or stolen screen)."""
    session.execute(
        update(Kiosk)
        .where(Kiosk.id == kiosk.id)
        .values(
            active=False, cookie_version=Kiosk.cookie_version + 1, activation_code_hash=None, activation_expires_at=None
        )
        .execution_options(synchronize_session=False)
    )
    session.refresh(kiosk)


def switch_on(session, kiosk: Kiosk) -> None:
    """Allowed again; the device still needs a fresh activation code, since its old cookie was revoked."""
    kiosk.active = True
    session.flush()


def kiosk_for_cookie(session, kiosk_id, cookie_version) -> Kiosk | None:
    kiosk = session.get(Kiosk, kiosk_id) if isinstance(kiosk_id, int) else None
    if kiosk is None or not kiosk.active or kiosk.activated_at is None or kiosk.cookie_version != cookie_version:
        return None
    return kiosk


def start_new_visit(session, kiosk: Kiosk) -> int:
    """Called by "Start again": every session cookie of the previous visit stops being accepted."""
    session.execute(
        update(Kiosk)
        .where(Kiosk.id == kiosk.id)
        .values(visit=Kiosk.visit + 1)
        .execution_options(synchronize_session=False)
    )
    session.refresh(kiosk)
    return kiosk.visit


def record_identify_failure(session, kiosk_id: int, now: datetime | None = None) -> None:
    now = now or utcnow()
    session.execute(
        delete(KioskIdentifyFailure).where(
            KioskIdentifyFailure.kiosk_id == kiosk_id, KioskIdentifyFailure.at < now - FAILURE_WINDOW
        )
    )
    session.add(KioskIdentifyFailure(kiosk_id=kiosk_id, at=now))
    session.flush()


def identification_paused_until(session, kiosk_id: int, now: datetime | None = None) -> datetime | None:
    """When FAILURE_LIMIT failures fall within FAILURE_WINDOW, identification at this kiosk pauses
    until PAUSE after the latest of them. Each further failure inside the window pauses it again."""
    now = now or utcnow()
    recent = session.execute(
        select(func.count(), func.max(KioskIdentifyFailure.at)).where(
            KioskIdentifyFailure.kiosk_id == kiosk_id, KioskIdentifyFailure.at > now - FAILURE_WINDOW
        )
    ).one()
    count, latest = recent
    if count < FAILURE_LIMIT or latest is None:
        return None
    until = latest + PAUSE
    return until if until > now else None


def set_paper(session, kiosk: Kiosk, paper: str) -> bool:
    """Slips printed at this kiosk go on `paper` from now on. False for a paper we do not know."""
    if paper not in PAPERS:
        return False
    kiosk.paper = paper
    session.flush()
    return True
