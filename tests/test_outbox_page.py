"""/admin/outbox: a mail catcher for text messages in development; absent in production."""

import pytest

from portal import create_app
from portal.seed import DEMO_PASSWORD

from tests.support.identity import sent_codes


def sign_in(client, username):
    client.get("/login")
    client.submit("/login", {"username": username, "password": DEMO_PASSWORD})


def test_staff_read_the_code_the_sms_adapter_would_have_sent(app, client):
    resident_client = app.test_client()
    resident_client.get("/identify")
    resident_client.submit("/identify", {"phone": "13900000000", "birth_year": "1938"})
    [code] = sent_codes(app, "13900000000")
    sign_in(client, "staff")
    html = client.get("/admin/outbox").get_data(as_text=True)
    assert "短信（仅开发环境）" in html and code in html
    assert "139****0000" in html and "13900000000" not in html
    # Newest first.
    resident_client.submit("/identify/code", {"again": "1"})
    newest = sent_codes(app, "13900000000")[-1]
    html = client.get("/admin/outbox?lang=en").get_data(as_text=True)
    assert "Text messages (development only)" in html and html.index(newest) < html.index(code)


@pytest.mark.parametrize("username, status", [("volunteer", 403), ("nurse", 403), ("gridworker", 403)])
def test_only_staff_and_admins_read_the_outbox(client, username, status):
    sign_in(client, username)
    assert client.get("/admin/outbox").status_code == status


def test_signed_out_is_sent_to_sign_in(client):
    assert client.get("/admin/outbox").status_code in (302, 303)


def test_the_outbox_page_does_not_exist_in_production(app, monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    production = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "a-long-random-production-key-for-this-test",
        }
    )
    assert production.config["PORTAL_PRODUCTION"]
    client = production.test_client()
    assert client.get("/admin/outbox").status_code == 404  # not even a sign-in page
    # Signed in as admin (production cookies are https only), still no such page, and no tile for it.
    https = {"base_url": "https://localhost"}
    html = client.get("/login", **https).get_data(as_text=True)
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={"username": "admin", "password": DEMO_PASSWORD, "csrf_token": token},
        headers={"Referer": "https://localhost/login"},
        **https,
    )
    me = client.get("/me", **https)
    assert me.status_code == 200 and "/admin/kiosks" in me.get_data(as_text=True)
    assert "/admin/outbox" not in me.get_data(as_text=True)
    assert client.get("/admin/outbox", **https).status_code == 404
    with production.app_context():
        from portal.extensions import db

        db.session.remove()
        db.engine.dispose()


def test_staff_find_the_outbox_from_their_home_in_development(client):
    sign_in(client, "staff")
    assert 'href="/admin/outbox"' in client.get("/me").get_data(as_text=True)
