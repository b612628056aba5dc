"""API keys for Open311 partners: made by an admin, shown once, stored only as a SHA-256 hash, revoked
(never deleted). No request, g or session here."""

import hashlib
import hmac
import secrets

from sqlalchemy import select

from ..models import PartnerKey

KEY_BYTES = 32  # secrets.token_urlsafe(32): 43 characters, 256 bits
PREFIX_LENGTH = 6
NAME_MAX = 80


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def create_key(session, *, name: str, community_id: int, actor, now) -> tuple[PartnerKey, str]:
    """A new key for a partner in one community. Returns the row and the key, which is never stored."""
    key = secrets.token_urlsafe(KEY_BYTES)
    row = PartnerKey(
        name=name,
        community_id=community_id,
        key_hash=key_hash(key),
        prefix=key[:PREFIX_LENGTH],
        created_at=now,
        created_by_id=actor.id if actor else None,
    )
    session.add(row)
    session.flush()
    return row, key


def revoke_key(session, row: PartnerKey, now) -> bool:
    """Stop a key from working. False when it was already revoked."""
    if row.revoked_at is not None:
        return False
    row.revoked_at = now
    session.flush()
    return True


def key_for(session, presented: str | None) -> PartnerKey | None:
    """The active key a partner presented, or None for a missing, unknown or revoked one."""
    if not presented or len(presented) > 200:
        return None
    digest = key_hash(presented)
    row = session.scalars(select(PartnerKey).where(PartnerKey.key_hash == digest)).first()
    if row is None or not hmac.compare_digest(row.key_hash, digest) or row.revoked_at is not None:
        return None
    return row


def limit_key(presented: str | None, fallback: str) -> str:
    """What the rate limit counts by: the key's hash (so every process and host counts the same key
    together, without the key itself in the counter table), or the client's address without a key."""
    if not presented:
        return f"open311-anonymous:{fallback}"
    return f"open311-key:{key_hash(presented[:200])[:32]}"
