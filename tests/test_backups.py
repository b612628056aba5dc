"""Backups that are known to restore (PostgreSQL run only): scripts/backup.sh dumps the database and
rotates old dumps; scripts/restore.sh restores a dump into a new database on the same server and upgrades
its schema; the app, started with gunicorn against the restored database, shows a request filed before
the dump and not one filed after it. A restore never overwrites a database that has tables."""

import os
import re
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from portal.config import ROOT
from portal.extensions import db
from portal.services.tickets import format_ticket

from tests.support.app import DB_KIND
from tests.support.factories import new_request
from tests.support.gunicorn_app import GunicornApp, stop_all, wait_until_ready
from tests.support.pg import free_port

pytestmark = pytest.mark.skipif(DB_KIND != "postgresql", reason="pg_dump and pg_restore are PostgreSQL's")

RESTORED = "linli_restored"
LONG_AGO = 946684800  # 2000-01-01: older than any rotation


def run(script: str, *args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key", "BACKUP_KEEP_DAYS": "14"}
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def file_a_request(app) -> str:
    with app.app_context():
        ticket = new_request().ticket
        db.session.commit()
        return ticket


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def restored_url(database_url):
    url = re.sub(r"/linli_test\?", f"/{RESTORED}?", database_url)
    yield url
    server = create_engine(re.sub(r"/linli_test\?", "/postgres?", database_url), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {RESTORED} WITH (FORCE)"))
    server.dispose()


@pytest.fixture
def served(tmp_path):
    """Start the app with gunicorn against a database URL; stopped at the end."""
    started = []

    def serve(database_url: str) -> str:
        server = GunicornApp("restored", "127.0.0.1", free_port(), str(tmp_path / "gunicorn.log"))
        started.append(server)
        server.start({**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key"})
        wait_until_ready([server])
        return server.url

    yield serve
    stop_all(started)


def test_a_dump_restores_into_a_new_database_and_the_app_serves_from_it(
    app, database_url, restored_url, served, tmp_path
):
    backups = tmp_path / "backups"
    backups.mkdir()
    old, recent = backups / "linli-20000101T000000Z.dump", backups / "linli-20261130T023000Z.dump"
    old.write_bytes(b"an old dump")
    recent.write_bytes(b"yesterday's dump")
    os.utime(old, (LONG_AGO, LONG_AGO))
    kept = file_a_request(app)

    done = run("backup.sh", str(backups), database_url=database_url)
    assert done.returncode == 0, done.stderr
    dump = Path(done.stdout.strip().splitlines()[-1])
    assert re.fullmatch(r"linli-\d{8}T\d{6}Z\.dump", dump.name) and dump.stat().st_size > 10_000
    assert not old.exists() and recent.exists(), "dumps older than 14 days go, newer ones stay"
    assert not list(backups.glob("*.partial"))

    after_the_dump = file_a_request(app)
    done = run("restore.sh", str(dump), restored_url, database_url=database_url)
    assert done.returncode == 0, done.stderr
    again = run("restore.sh", str(dump), restored_url, database_url=database_url)
    assert again.returncode != 0 and "refusing to restore" in again.stderr

    base = served(restored_url)
    status, body = fetch(f"{base}/healthz")
    assert status == 200 and '"database":"ok"' in body.replace(" ", "")
    status, page = fetch(f"{base}/requests/status/{kept}?lang=en")
    assert status == 200 and f"Request {format_ticket(kept)}" in page and "Request received" in page
    assert fetch(f"{base}/requests/status/{after_the_dump}?lang=en")[0] == 404


def test_the_scripts_refuse_what_they_cannot_do(database_url, tmp_path):
    not_a_dump = tmp_path / "linli-x.dump"
    not_a_dump.write_text("hello")
    refused = run("restore.sh", str(not_a_dump), "postgresql://nobody@/linli_x", database_url=database_url)
    assert refused.returncode == 2 and "not a pg_dump custom-format file" in refused.stderr
    refused = run("backup.sh", str(tmp_path), database_url="sqlite:////tmp/linli.sqlite3")
    assert refused.returncode == 2 and "not PostgreSQL" in refused.stderr
    assert list(tmp_path.iterdir()) == [not_a_dump]
