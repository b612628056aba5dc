"""Where a record came from: every record made for a resident stores its channel, the account that
entered it and, at a kiosk, the kiosk's id.

Channels: online (the resident, on their own device), qr (sign-up from a poster), kiosk, volunteer,
gridworker, phone (entered by staff from a phone call), staff, open311 (filed by a partner's system, such as
the city's 12345 hotline, with its API key: neither self-service nor entered by anyone at Linli, so the
channel mix shows it apart; the key is on the request, and the audit event names the partner).
paper (a paper ballot of a poll, entered by staff from a polling place's batch).
The kiosk blueprint sets g.kiosk for a registered kiosk; the assisted-session blueprint sets
g.assisted while a helper acts for a resident. Blueprints call record_origin() and never work this out
themselves.
"""

from flask import g

CHANNELS = ("online", "qr", "kiosk", "volunteer", "gridworker", "phone", "staff", "open311", "seed", "paper")


def account_channel(account) -> str:
    """The channel of a record an account enters: a volunteer's or grid worker's own, else staff."""
    return account.role if account.role in ("volunteer", "gridworker") else "staff"


def record_origin(default: str = "online") -> dict:
    """channel, entered_by_id and kiosk_id for a record made in this request."""
    kiosk = g.get("kiosk")
    account = g.get("account")
    if kiosk is not None:
        return {"channel": "kiosk", "entered_by_id": None, "kiosk_id": kiosk.id}
    if account is not None:
        return {"channel": account_channel(account), "entered_by_id": account.id, "kiosk_id": None}
    return {"channel": default, "entered_by_id": None, "kiosk_id": None}
