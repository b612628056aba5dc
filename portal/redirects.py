"""The one check for every `next` the app follows (sign-in, identification, the kiosk, preferences, "keep
helping"): only a path on this site, so a crafted link cannot send a resident to another one.

Browsers are generous with what they take for "another site": they drop tabs and newlines anywhere in a
URL, read a backslash as a slash, and follow `//host` and `/\\host` to that host. So a target is
refused when, as given or after percent-decoding, it has a control character or a backslash, does not
start with exactly one slash, or has a scheme or a host. A newline is refused before it can reach a
Location header (where it would be a server error).
"""

import unicodedata
from urllib.parse import unquote, urlsplit

MAX_LENGTH = 2000
DECODE_ROUNDS = 3  # /%252F... is decoded twice by some proxies; three rounds covers what is plausible


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp") for ch in text)


def _is_local_path(text: str) -> bool:
    if not text.startswith("/") or text.startswith("//") or "\\" in text or _has_control(text):
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc


def is_safe_next(target: str | None) -> bool:
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return False
    seen = target
    for _ in range(DECODE_ROUNDS + 1):
        if not _is_local_path(seen):
            return False
        decoded = unquote(seen)
        if decoded == seen:
            return True
        seen = decoded
    return False  # still changing after every round: not a path anyone typed


def safe_next(target: str | None, fallback: str) -> str:
    """`target` when it is a path on this site, else `fallback` (which the caller knows to be safe)."""
    return target if is_safe_next(target) else fallback
