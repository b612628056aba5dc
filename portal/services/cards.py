"""Resident cards: a signed, versioned token in the card's QR code.

The token names the resident by their resident number (never the phone or the database id) and the
card version. It is signed with HMAC-SHA256 over the number, version and community, so a changed
character, another deployment's card, or another community's card is refused. Reissuing a card
bumps the version, which revokes every older card at once.

Token form: LC1-<resident number>-<version>-<16 characters of signature>, upper-case letters,
digits and dashes only, so a barcode scanner in "keyboard" mode types it the same on any layout.
"""

import base64
import hashlib
import hmac
import re

from sqlalchemy import select, update

from ..models import Resident

PREFIX = "LC1"
TOKEN_RE = re.compile(r"^LC1-(\d{8})-(\d{1,6})-([A-Z2-7]{16})$")


class CardTokenError(ValueError):
    """Why a scanned token was refused: malformed, tampered, unknown, revoked or foreign."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _signature(secret: str, number: str, version: int, community_id: int) -> str:
    message = f"card|{number}|{version}|{community_id}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:16]


def card_token(resident: Resident, secret: str) -> str:
    return f"{PREFIX}-{resident.number}-{resident.card_version}-" + _signature(
        secret, resident.number, resident.card_version, resident.community_id
    )


def normalise_token(raw: str) -> str:
    """Scanners and people add spaces, lower-case letters or a trailing newline; take those off."""
    return re.sub(r"\s+", "", raw or "").upper()


def resolve_card_token(session, raw: str, secret: str, community_id: int | None = None) -> Resident:
    """The resident a scanned card belongs to, or CardTokenError saying why not.

    With `community_id`, a card from any other community is refused as foreign.
    """
    match = TOKEN_RE.match(normalise_token(raw))
    if not match:
        raise CardTokenError("malformed")
    number, version, signature = match.group(1), int(match.group(2)), match.group(3)
    resident = session.scalars(select(Resident).where(Resident.number == number)).first()
    if resident is None:
        raise CardTokenError("unknown")
    expected = _signature(secret, number, version, resident.community_id)
    if not hmac.compare_digest(expected, signature):
        raise CardTokenError("tampered")
    if version != resident.card_version:
        raise CardTokenError("revoked")
    if community_id is not None and resident.community_id != community_id:
        raise CardTokenError("foreign")
    return resident


def reissue_card(session, resident: Resident) -> int:
    """Bump the card version in one UPDATE, so every earlier card stops working. Returns the new version."""
    session.execute(update(Resident).where(Resident.id == resident.id).values(card_version=Resident.card_version + 1))
    session.flush()
    session.refresh(resident)
    return resident.card_version
