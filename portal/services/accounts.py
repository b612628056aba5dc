"""Signing in. An unknown username costs the same as a wrong password: the password is checked against a
stand-in hash made by the same hasher with the same parameters, so the time an answer takes does not
tell anyone which usernames exist. A switched-off account is checked the same way too."""

import secrets

from sqlalchemy import select
from werkzeug.security import check_password_hash

from ..models import Account
from .hashing import hash_method, stand_in_hash_for

STAND_IN_SECRET = secrets.token_urlsafe(32)


def stand_in_hash() -> str:
    """Made once per process and method (on first use: a hash takes a noticeable time), by the hasher that
    makes the real ones (Account.set_password)."""
    return stand_in_hash_for(hash_method(), STAND_IN_SECRET)


def authenticate(session, username: str, password: str) -> Account | None:
    """The active account with this username and password, or None. One password check either way."""
    account = session.scalar(select(Account).filter_by(username=username))
    matches = check_password_hash(account.password_hash if account is not None else stand_in_hash(), password)
    if account is None or not matches or not account.active:
        return None
    return account
