"""Sessions the server can end: after Start again, the idle wipe, logout or the end of an assisted session,
the previous person's session cookie, copied into another browser, shows nothing and cancels nothing.
Sign-in and identification change the session id; two app processes share sessions; expired ones go."""

from datetime import time, timedelta

import pytest
import time_machine

from portal import create_app
from portal.extensions import db
from portal.kiosk import device
from portal.models import Booking, Resident, StoredSession
from portal.services.booking import book_slot

from tests.support.app import test_config as config_for
from tests.support.flows import start_assisting
from tests.support.health import NOW, TOMORROW, TZ, make_slot, make_station
from tests.support.kiosk import activate, new_code
from tests.support.signin import sign_in

STORE_PREFIX = "session:"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def booked(app, clock, senior):
    """The kiosk senior has a blood pressure check tomorrow; returns its reference."""
    with app.app_context():
        station = make_station()
        slot = make_slot(station.services[0], TOMORROW, time(10))
        resident = db.session.get(Resident, senior["id"])
        return book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ).reference


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def stored(app, sid: str) -> bool:
    with app.app_context():
        return db.session.scalar(db.select(StoredSession.id).filter_by(session_id=STORE_PREFIX + sid)) is not None


def booking_status(app, reference: str) -> str:
    with app.app_context():
        return db.session.scalars(db.select(Booking.status).filter_by(reference=reference)).one()


def try_elsewhere(app, cookie: str, reference: str) -> dict:
    """Another browser (no kiosk cookie) with a copy of the session cookie: does it see the appointment,
    and can it cancel it?"""
    other = app.test_client()
    other.set_cookie("session", cookie)
    shown = reference in other.get("/health/my?lang=en").get_data(as_text=True)
    form = other.get(f"/health/my/{reference}/cancel")
    if form.status_code == 200:
        other.submit(f"/health/my/{reference}/cancel")
    return {"shown": shown, "cancel_form": form.status_code == 200, "status": booking_status(app, reference)}


NOTHING = {"shown": False, "cancel_form": False, "status": "booked"}


def identify_at_kiosk(app, client, senior, reference):
    assert activate(client, new_code(app)).status_code == 303
    client.get("/kiosk")
    assert client.submit("/kiosk/identify", {"token": senior["token"], "next": ""}).status_code == 303
    assert reference in client.get("/health/my").get_data(as_text=True)


def test_after_start_again_the_old_cookie_shows_and_cancels_nothing_anywhere(app, client, senior, booked):
    identify_at_kiosk(app, client, senior, booked)
    old = session_cookie(client)
    assert client.post("/kiosk/reset").headers["Location"] == "/kiosk"
    assert not stored(app, old)
    assert session_cookie(client) != old
    assert try_elsewhere(app, old, booked) == NOTHING
    client.set_cookie("session", old)  # replayed at the kiosk itself
    assert client.get("/health/my").status_code == 303


def test_after_the_idle_wipe_the_old_cookie_shows_and_cancels_nothing_anywhere(app, client, senior, booked, clock):
    identify_at_kiosk(app, client, senior, booked)
    old = session_cookie(client)
    with app.app_context():
        limit = device.server_idle_limit()
    clock.shift(limit + 1)
    assert client.get("/kiosk/me").headers["Location"].startswith("/kiosk/identify")  # the wipe, no JavaScript
    assert not stored(app, old)
    assert try_elsewhere(app, old, booked) == NOTHING


def test_a_kiosk_visit_cookie_opens_nothing_in_a_browser_without_the_kiosk_cookie(app, client, senior, booked):
    identify_at_kiosk(app, client, senior, booked)
    assert try_elsewhere(app, session_cookie(client), booked) == NOTHING


def test_after_logout_the_old_cookie_is_signed_out_everywhere(app, client, auth, senior, booked):
    sign_in(auth, "volunteer")
    start_assisting(client, db_number(app, senior))
    old = session_cookie(client)
    assert booked in client.get("/health/my").get_data(as_text=True)
    auth.logout()
    assert not stored(app, old)
    assert try_elsewhere(app, old, booked) == NOTHING
    other = app.test_client()
    other.set_cookie("session", old)
    assert other.get("/assist").headers["Location"].startswith("/login")


def test_after_an_assisted_session_ends_its_cookie_opens_nothing_and_the_helper_stays_signed_in(
    app, client, auth, senior, booked
):
    sign_in(auth, "volunteer")
    start_assisting(client, db_number(app, senior))
    old = session_cookie(client)
    assert booked in client.get("/health/my").get_data(as_text=True)
    client.submit("/assist/end")
    assert not stored(app, old)
    assert try_elsewhere(app, old, booked) == NOTHING
    other = app.test_client()
    other.set_cookie("session", old)
    assert other.get("/assist").headers["Location"].startswith("/login")  # not even the helper's sign-in
    assert client.get("/assist").status_code == 200  # the helper's own browser: still signed in


def db_number(app, senior) -> str:
    with app.app_context():
        return db.session.get(Resident, senior["id"]).number


def test_signing_in_and_identifying_change_the_session_id(app, client, auth, senior):
    client.get("/login")
    before = session_cookie(client)
    assert stored(app, before)  # the sign-in form's token lives in the session
    auth.login("staff")
    signed_in = session_cookie(client)
    assert signed_in != before and not stored(app, before) and stored(app, signed_in)
    web = app.test_client()
    web.get("/identify")
    before = session_cookie(web)
    web.submit("/identify", {"token": senior["token"]})
    assert session_cookie(web) != before and not stored(app, before)


def test_two_app_processes_share_sessions_and_logout_on_one_ends_it_on_the_other(app, client, auth, database_url):
    other_app = create_app(config_for(database_url))
    try:
        sign_in(auth, "staff")
        other = other_app.test_client()
        other.set_cookie("session", session_cookie(client))
        assert other.get("/me").status_code == 200
        auth.logout()
        assert other.get("/me").headers["Location"].startswith("/login")
    finally:
        with other_app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_expired_sessions_open_nothing_and_the_cleanup_command_deletes_them(app, client, auth, runner, clock):
    sign_in(auth, "staff")
    old = session_cookie(client)
    clock.shift(app.permanent_session_lifetime + timedelta(minutes=1))
    fresh = app.test_client()
    fresh.get("/login")
    result = runner.invoke(args=["sessions-cleanup"])
    assert result.exit_code == 0 and "Deleted 1 expired sessions" in result.output
    assert not stored(app, old) and stored(app, session_cookie(fresh))
    assert client.get("/me").headers["Location"].startswith("/login")


def test_the_session_cookie_is_http_only_same_site_and_ends_with_the_browser(client):
    header = next(h for h in client.get("/login").headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Expires" not in header


def landing(client, url: str) -> str:
    """The address the browser ends on after following the redirects from `url`."""
    for _ in range(5):
        response = client.get(url)
        if response.status_code not in (302, 303):
            return url
        url = response.headers["Location"]
    raise AssertionError("too many redirects")


def test_back_after_start_again_lands_on_a_clean_address(app, client, senior, booked):
    identify_at_kiosk(app, client, senior, booked)
    assert client.get(f"/health/bookings/{booked}").status_code == 200  # their slip
    client.post("/kiosk/reset")
    # Back: the slip, then the identification page that once carried it.
    assert landing(client, f"/health/bookings/{booked}") == "/kiosk/identify"
    assert landing(client, f"/kiosk/identify?next=/health/bookings/{booked}") == "/kiosk/identify"
    assert booked not in client.get("/kiosk/identify").get_data(as_text=True)
    # An address that names no one's record is kept for after identification.
    assert landing(client, "/health/my") == "/kiosk/identify?next=/health/my"


def test_sessions_go_to_redis_when_a_redis_url_is_set(database_url):
    from portal.config import ConfigError, load_config
    from portal.sessions import RedisInterface

    settings = load_config({"SESSION_REDIS_URL": "redis://cache.example:6379/3", "SECRET_KEY": "test-secret-key"})
    assert settings["SESSION_TYPE"] == "redis"
    redis_app = create_app({**config_for(database_url), **settings, "SQLALCHEMY_DATABASE_URI": database_url})
    interface = redis_app.session_interface
    assert isinstance(interface, RedisInterface)
    assert interface.client.connection_pool.connection_kwargs["host"] == "cache.example"
    with pytest.raises(ConfigError, match="SESSION_REDIS_URL"):
        create_app({**config_for(database_url), "SESSION_TYPE": "redis", "SESSION_REDIS_URL": ""})


def test_the_sessions_table_comes_from_the_migration_only(app, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    with app.app_context(), db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert [d for d in differences if "sessions" in repr(d)] == []
    # Making an app (and using a session) creates no table: a fresh database stays empty until migrated.
    empty = create_app({**config_for(f"sqlite:///{tmp_path / 'empty.sqlite3'}")})
    with empty.app_context():
        assert inspect(db.engine).get_table_names() == []
        db.engine.dispose()
