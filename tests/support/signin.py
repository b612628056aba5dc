"""Signing in through the login form, as a person would."""

import pytest

from portal.seed import DEMO_PASSWORD


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, username, password=DEMO_PASSWORD):
        return self.client.submit("/login", {"username": username, "password": password})

    def logout(self):
        return self.client.submit("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


def sign_in(auth, username):
    """Sign in, then open a page: signing in starts a new session, so the form token changes."""
    auth.client.get("/login")
    assert auth.login(username).status_code == 303
    auth.client.get("/me")
