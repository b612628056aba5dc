"""One hasher for every secret we keep only as a hash: account passwords, the stand-in hash that makes an
unknown username cost as much as a wrong password, and kiosk activation codes.

The work factor is the PASSWORD_HASH_METHOD setting, in werkzeug's spelling ("scrypt", the default, is
scrypt:32768:8:1). The test suite signs in thousands of times, so it sets a cheaper scrypt; the checks stay the
same, because a hash carries its own method and check_password_hash reads it from there."""

from functools import cache

from flask import current_app, has_app_context
from werkzeug.security import generate_password_hash

DEFAULT_METHOD = "scrypt"


def hash_method() -> str:
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD", DEFAULT_METHOD)
    return DEFAULT_METHOD


def hash_secret(secret: str) -> str:
    return generate_password_hash(secret, method=hash_method())


@cache
def stand_in_hash_for(method: str, secret: str) -> str:
    return generate_password_hash(secret, method=method)
