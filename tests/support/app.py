"""Fixtures: the database (SQLite or a throwaway PostgreSQL), the app, a page-checking client.

LINLI_TEST_DATABASE=sqlite|postgresql picks the database; `make test` runs the suite once with each.
The schema is built once per run with the real migrations (`flask db upgrade`), the demo data is
loaded and snapshotted, and every test starts from that snapshot.

The whole run happens under one travelled clock (time-machine, ticking): SESSION_NOW, a Wednesday
morning in the portal's time zone, or LINLI_TEST_NOW (an ISO date and time with its offset) to run the
suite on another day. The demo data is seeded at that clock, so "today and tomorrow" in the demo are
the same days the tests see, whatever the real date. time-machine patches the clock process-wide, so
the browser tests' live server thread sees it too. A test that needs to move on in time takes the
`clock` fixture and calls `clock.shift(seconds)`; one that needs a given day passes it to
`clock.move_to(...)` (see tests/test_any_day.py).
"""

import os
import re
from datetime import datetime, timedelta, timezone

import flask_migrate
import pytest
import time_machine
from flask.testing import FlaskClient
from jinja2 import BytecodeCache

from portal import create_app
from portal.cli import compile_catalogs
from portal.config import ROOT
from portal.extensions import db, limiter
from portal.seed import seed_demo
from portal.stats.common import STAFF_FIGURES

from .pagecheck import check_html
from .pg import PostgresServer
from .snapshot import restore_snapshot, take_snapshot

DB_KIND = os.environ.get("LINLI_TEST_DATABASE", "sqlite")
# Wednesday 25 November 2026, 10:00 in Shanghai: a weekday, after the demo's first blood-pressure checks.
SESSION_NOW = os.environ.get("LINLI_TEST_NOW", "2026-11-25T10:00:00+08:00")
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class RunTemplateCache(BytecodeCache):
    """Compiled templates kept for the whole run, in memory: every test makes its own app, and each app's
    Jinja environment would otherwise parse and compile again every template it renders (about a sixth of
    the suite's time). Jinja checks each entry against the template's source, so an edited template is
    compiled again."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = RunTemplateCache()


def test_config(database_url: str) -> dict:
    # Expired sessions are swept by the sessions-cleanup command only, not at random requests.
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "SESSION_CLEANUP_N_REQUESTS": None,
        # Tests travel days ahead on one client (to a slot's start, say); a session unused for 12 hours would
        # be gone by then. tests/test_sessions.py checks expiry against whatever this lifetime is.
        "PERMANENT_SESSION_LIFETIME": timedelta(days=30),
        # Tests change data and look again at once; tests/test_page_cache.py switches it on.
        "PORTAL_PAGE_CACHE_SECONDS": 0,
        # Public figures worked out on every view, so a test sees the records it has just made
        # (tests/test_stats_stored.py switches keeping on).
        "PORTAL_PUBLIC_FIGURES_SECONDS": 0,
        # Staff figures counted on every view too (tests/test_stats_staff_kept.py switches keeping on).
        "PORTAL_STAFF_FIGURES_SECONDS": 0,
        "JINJA_BYTECODE_CACHE": TEMPLATE_CACHE,
        # The suite signs in thousands of times: a cheap scrypt (about 1/32 of the work of the default),
        # checked by the same code. tests/test_factory.py checks the real default.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }


def catalogs_are_fresh() -> bool:
    catalogs = list((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))
    return all(
        po.with_suffix(".mo").exists() and po.with_suffix(".mo").stat().st_mtime >= po.stat().st_mtime
        for po in catalogs
    )


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL run leaves out every test that never reaches the test database (neither
    `database_url` nor `postgres_server` among its fixtures, directly or through `app`, `live`, ...): the
    catalogues, the configuration, pure rules. It would run exactly as it does in the SQLite run."""
    if DB_KIND != "postgresql":
        return
    reach = {"database_url", "postgres_server"}
    touches = [bool(reach & set(getattr(item, "fixturenames", ()))) for item in items]
    if not all(touches):
        config.hook.pytest_deselected(items=[item for item, t in zip(items, touches, strict=True) if not t])
        items[:] = [item for item, t in zip(items, touches, strict=True) if t]


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    # `make test` compiles them before starting the SQLite and PostgreSQL runs side by side; compiling
    # again from both at once could let one run read a half-written file.
    if not catalogs_are_fresh():
        compile_catalogs()


@pytest.fixture(scope="session", autouse=True)
def session_clock():
    """Every test runs at SESSION_NOW (plus the seconds the run has taken), never at the real date."""
    moment = datetime.fromisoformat(SESSION_NOW)
    if moment.tzinfo is None:
        pytest.fail(f"LINLI_TEST_NOW needs a UTC offset, like 2026-11-28T07:00:00+08:00: {SESSION_NOW}", pytrace=False)
    with time_machine.travel(moment.astimezone(timezone.utc), tick=True):
        yield moment


@pytest.fixture
def clock(time_machine):
    """time-machine for one test, started where the session's clock is: `clock.shift(31 * 60)` moves on."""
    time_machine.move_to(datetime.now(timezone.utc), tick=True)
    return time_machine


@pytest.fixture(scope="session")
def postgres_server():
    """The run's throwaway PostgreSQL server, on the PostgreSQL run; None on the SQLite run."""
    if DB_KIND != "postgresql":
        yield None
        return
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def database_url(postgres_server, tmp_path_factory):
    if postgres_server is not None:
        return postgres_server.create_database("linli_test")
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'linli-test.sqlite3'}"


@pytest.fixture(scope="session")
def snapshot(database_url, session_clock):
    app = create_app(test_config(database_url))
    with app.app_context():
        flask_migrate.upgrade()
        seed_demo()
        saved = take_snapshot()
        db.session.remove()
        db.engine.dispose()
    return saved


class CheckingClient(FlaskClient):
    """A test client that checks every HTML page it receives, and can submit forms with CSRF."""

    csrf_token = None

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and not (300 <= response.status_code < 400):
            body = response.get_data(as_text=True)
            match = CSRF_RE.search(body)
            if match:
                self.csrf_token = match.group(1)
            if not kwargs.get("headers", {}).get("HX-Request") or "<html" in body:
                check_html(body, str(args[0]) if args else "")
        return response

    def submit(self, url, data=None, **kwargs):
        """POST a form the way a browser would, including the CSRF token from an earlier page."""
        if self.csrf_token is None:
            self.get("/login")
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token)
        return self.post(url, data=data, **kwargs)


def make_test_app(database_url):
    app = create_app(test_config(database_url))
    app.test_client_class = CheckingClient
    return app


@pytest.fixture(scope="session")
def shared_app(database_url, snapshot):
    """One app for the whole run: building one (blueprints, URL rules, extensions) costs about 0.3 s, and the
    suite has well over a thousand tests. Each test gets it back with the snapshot's data, fresh rate-limit
    counters and the configuration it started with (tests/test_shared_app.py checks that nothing leaks)."""
    app = make_test_app(database_url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def start_fresh(app, snapshot):
    with app.app_context():
        restore_snapshot(snapshot)
        limiter.reset()  # the counters live in the database (or Redis, if a run names it)
    app.extensions.pop(STAFF_FIGURES, None)  # staff figures an earlier test kept


@pytest.fixture
def app(shared_app, snapshot):
    config = dict(shared_app.config)
    start_fresh(shared_app, snapshot)
    yield shared_app
    with shared_app.app_context():
        db.session.remove()
    shared_app.config.clear()
    shared_app.config.update(config)


@pytest.fixture
def fresh_app(database_url, snapshot):
    """An app of the test's own, for a test that adds routes or blueprints (Flask allows that only before an
    app's first request)."""
    app = make_test_app(database_url)
    start_fresh(app, snapshot)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
