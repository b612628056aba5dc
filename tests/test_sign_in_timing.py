"""Signing in takes the same work for an unknown username as for a wrong password (issue 9, section 4):
one password-hash check with the same hasher and parameters, so the answer's timing does not tell which
usernames exist."""

import pytest

from portal.extensions import db
from portal.models import Account
from portal.seed import DEMO_PASSWORD
from portal.services import accounts

REFUSED = "The username or password is not right."


@pytest.fixture
def hash_checks(monkeypatch):
    """The method and parameters of every hash the sign-in checks a password against (checked for real)."""
    seen = []
    real = accounts.check_password_hash

    def counted(pwhash, password):
        seen.append(pwhash.split("$")[0])
        return real(pwhash, password)

    monkeypatch.setattr(accounts, "check_password_hash", counted)
    return seen


def staff_hash_method(app) -> str:
    with app.app_context():
        return db.session.scalars(db.select(Account.password_hash).filter_by(username="staff")).one().split("$")[0]


def switch_off(app, username):
    with app.app_context():
        db.session.scalars(db.select(Account).filter_by(username=username)).one().active = False
        db.session.commit()


@pytest.mark.parametrize(
    "username, password",
    [
        ("nobody-here", "whatever-they-type"),  # no such account
        ("staff", "not-the-password"),  # a wrong password
        ("nurse", DEMO_PASSWORD),  # the right password for a switched-off account
    ],
)
def test_every_refused_sign_in_checks_one_hash_of_the_same_kind(app, client, auth, hash_checks, username, password):
    switch_off(app, "nurse")
    client.get("/login?lang=en")
    response = client.submit("/login?lang=en", {"username": username, "password": password})
    assert response.status_code == 200 and REFUSED in response.get_data(as_text=True)
    assert hash_checks == [staff_hash_method(app)]  # e.g. scrypt:32768:8:1, as for a real account


def test_a_right_password_checks_one_hash_and_signs_in(app, client, auth, hash_checks):
    assert auth.login("staff").status_code == 303
    assert hash_checks == [staff_hash_method(app)]
