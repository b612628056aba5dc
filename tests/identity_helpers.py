"""Shared set-up for identification tests: read the code the SMS adapter would have sent."""
import re

from portal.extensions import db
from portal.models import OutboxMessage


def sent_codes(app, phone: str) -> list[str]:
    """Every code queued for this phone, oldest first, as the SMS adapter would deliver them."""
    with app.app_context():
        texts = db.session.scalars(db.select(OutboxMessage.text).where(
            OutboxMessage.recipient == phone, OutboxMessage.kind.like("code.%")).order_by(OutboxMessage.id)).all()
    return [re.search(r"\b(\d{6})\b", text).group(1) for text in texts]


def wrong_code(right: str | None) -> str:
    return "000000" if right != "000000" else "111111"
