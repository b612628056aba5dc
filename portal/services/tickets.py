"""Ticket numbers for requests: short enough to read over the phone, random enough not to guess.

Eight characters from an alphabet with no look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G, U/V),
shown as two groups of four: "K7MX-3PQA". 21^8 is about 3.8 * 10^10 numbers, so a stranger who
tries numbers at the rate-limited status page finds nothing. The database's unique constraint is
the real guarantee; `new_ticket` only picks a candidate.
"""

import re
import secrets

ALPHABET = "ACDEFHJKMNPQRTWXY3479"
LENGTH = 8
TICKET_RE = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def new_ticket(choice=secrets.choice) -> str:
    return "".join(choice(ALPHABET) for _ in range(LENGTH))


def normalise_ticket(raw: str) -> str:
    """What people type: lower case, spaces, the dash, a full-width dash. Returns "" when it cannot be one."""
    cleaned = re.sub(r"[\s\-‐‑–—－_·.]", "", (raw or "")).upper()
    return cleaned if TICKET_RE.match(cleaned) else ""


def format_ticket(ticket: str) -> str:
    return f"{ticket[:4]}-{ticket[4:]}" if len(ticket) == LENGTH else ticket
