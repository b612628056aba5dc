"""Shared set-up for identification tests: read the code the SMS adapter would have sent."""

import re

from portal.extensions import db
from portal.models import OutboxMessage


def sent_codes(app, phone: str) -> list[str]:
    """Every code queued for this phone, oldest first, as the SMS adapter would deliver them."""
    with app.app_context():
        texts = db.session.scalars(
            db.select(OutboxMessage.text)
            .where(OutboxMessage.recipient == phone, OutboxMessage.kind.like("code.%"))
            .order_by(OutboxMessage.id)
        ).all()
    return [re.search(r"\b(\d{6})\b", text).group(1) for text in texts]


def wrong_code(right: str | None) -> str:
    return "000000" if right != "000000" else "111111"


def prove_phone(client, base="/signup", expected_next=None):
    """Type the newest code sent to the phone just answered, the way the resident reads it off their phone."""
    with client.session_transaction() as sess:
        phone = sess["flow:signup"]["answers"]["phone"]
    code = sent_codes(client.application, phone)[-1]
    response = client.submit(f"{base}/phone-code", {"code": code})
    assert response.status_code == 303
    if expected_next:
        assert response.headers["Location"] == expected_next
    return response


def identify_on_web(client, phone: str, year, next_url: str = "", headers=None):
    """/identify on the open web: phone and birth year, then the code the SMS adapter would have sent.
    Returns the response to the code, which redirects to `next_url` once identified."""
    headers = headers or {}
    data = {"phone": phone, "birth_year": str(year), **({"next": next_url} if next_url else {})}
    response = client.submit("/identify", data, headers=headers)
    if response.headers.get("Location") != "/identify/code":
        return response
    codes = sent_codes(client.application, phone)
    return client.submit("/identify/code", {"code": codes[-1] if codes else "000000"}, headers=headers)
