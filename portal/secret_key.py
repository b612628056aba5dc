"""The key that signs sessions, CSRF tokens and resident cards. No key is written in the source: it comes
from the environment (SECRET_KEY) or from a file made once per install, instance/secret_key (or the
file PORTAL_SECRET_KEY_FILE names). `make setup` writes that file with `python -m portal.secret_key`;
without either, the app refuses to start.
"""

import os
import secrets
import sys
from pathlib import Path

from .config import key_file, read_key


def ensure_key_file(path: Path) -> bool:
    """Write a new random key to `path` unless it holds one already. True when a key was written."""
    if read_key(path):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created readable by its owner only; O_EXCL so two setups at once cannot both write.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # an empty file left behind: replace it
        path.unlink()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(48) + "\n")
    return True


def main() -> int:
    path = key_file()
    if ensure_key_file(path):
        print(f"Wrote a new random secret key to {path} (keep it out of git; it signs sessions and cards).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
