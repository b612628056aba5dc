"""Reading pages does not write the session back each time: an unchanged session's expiry is pushed
on at most every portal.sessions.REFRESH_STEP (each write is a commit, so a disk flush on SQLite, or
a Redis round trip), while a change is written at once. Both stores."""

import time

import pytest

from portal import create_app
from portal.extensions import db
from portal.models import StoredSession
from portal.sessions import REFRESH_STEP

from tests.support.app import CheckingClient
from tests.support.app import test_config as config_for
from tests.support.redis import RedisServer
from tests.support.signin import Auth, sign_in

STORE_PREFIX = "session:"


def stored_expiry(app, client):
    with app.app_context():
        sid = STORE_PREFIX + client.get_cookie("session").value
        return db.session.scalar(db.select(StoredSession.expiry).filter_by(session_id=sid))


def test_reading_pages_pushes_the_expiry_on_only_after_the_refresh_step(app, client, auth, clock):
    sign_in(auth, "staff")
    first = stored_expiry(app, client)
    clock.shift(60)
    assert client.get("/me").status_code == 200 and client.get("/audit").status_code == 200
    assert stored_expiry(app, client) == first
    clock.shift(REFRESH_STEP.total_seconds())
    assert client.get("/me").status_code == 200
    assert stored_expiry(app, client) > first


def test_a_change_to_the_session_is_written_at_once(app, client, clock):
    client.get("/health/")
    client.get("/login")
    before = stored_expiry(app, client)
    clock.shift(60)
    client.get("/health/stations/1")  # starts the booking flow: the session changes
    after = stored_expiry(app, client)
    assert before is not None and after > before


@pytest.fixture
def redis_app(app, database_url):
    server = RedisServer().start()
    made = create_app({**config_for(database_url), "SESSION_TYPE": "redis", "SESSION_REDIS_URL": server.url()})
    made.test_client_class = CheckingClient
    try:
        yield made, server.client()
    finally:
        with made.app_context():
            db.session.remove()
            db.engine.dispose()
        server.stop()


def test_redis_sessions_are_not_rewritten_by_reading_either(redis_app):
    app, redis = redis_app
    client = app.test_client()
    sign_in(Auth(client), "staff")
    key = STORE_PREFIX + client.get_cookie("session").value
    written = redis.pttl(key)
    time.sleep(1.2)  # Redis counts its own time to live: real seconds
    assert client.get("/me").status_code == 200
    left = redis.pttl(key)
    assert 0 < left <= written - 1000, (written, left)
