"""Shared set-up for the kiosk tests: an activated kiosk browser, residents to identify, keypad taps."""

import pytest

from portal.extensions import db
from portal.models import Kiosk, Resident
from portal.services.cards import card_token
from portal.services.kiosks import issue_activation_code

DEMO_KIOSK = "南湖社区服务中心"


def demo_kiosk_id(app) -> int:
    with app.app_context():
        return db.session.scalars(db.select(Kiosk.id).filter_by(name=DEMO_KIOSK)).one()


def new_code(app, kiosk_id=None) -> str:
    with app.app_context():
        kiosk = db.session.get(Kiosk, kiosk_id or demo_kiosk_id(app))
        code = issue_activation_code(db.session, kiosk)
        db.session.commit()
        return code


def activate(client, code):
    client.get("/kiosk/activate")
    return client.submit("/kiosk/activate", {"code": code})


@pytest.fixture
def kiosk(app, client):
    """The test client, activated as the demo kiosk, on a fresh visit with a CSRF token."""
    assert activate(client, new_code(app)).status_code == 303
    client.get("/kiosk")
    return client


@pytest.fixture
def senior(app):
    """A resident of the demo kiosk's community who has a phone: (name, phone, birth year, card token)."""
    with app.app_context():
        resident = db.session.scalars(
            db.select(Resident).where(Resident.community_id == 1, Resident.phone.is_not(None)).order_by(Resident.id)
        ).first()
        return {
            "id": resident.id,
            "name": resident.name,
            "phone": resident.phone,
            "birth_year": str(resident.birth_year),
            "token": card_token(resident, app.config["SECRET_KEY"]),
        }


def tap(client, url, field, digits, start=""):
    """Tap keypad keys the way a browser without JavaScript does: each key posts the form."""
    value = start
    for digit in digits:
        response = client.submit(url, {field: value, "key": digit})
        assert response.status_code == 303
        value = value[:-1] if digit == "delete" else value + digit
    return value
