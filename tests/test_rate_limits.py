"""Rate limits are counted in shared storage (the database by default), so they hold across processes:
with `memory://` each worker counted on its own and two workers doubled every limit."""

import json
import os
import subprocess
import sys

from portal.config import ROOT

# One app process: wrong passwords on /login, then the status codes it got, as JSON.
TRY_LOGINS = """
import json, sys
from portal import create_app
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "test-secret-key",
                  "WTF_CSRF_ENABLED": False, "SESSION_CLEANUP_N_REQUESTS": None})
client = app.test_client()
codes = [client.post("/login", data={"username": "staff", "password": "wrong"}).status_code
         for _ in range(int(sys.argv[2]))]
print(json.dumps(codes))
"""


def tries_in_another_process(database_url: str, tries: int, storage: str) -> list[int]:
    env = {**os.environ, "RATELIMIT_STORAGE_URI": storage}
    done = subprocess.run(
        [sys.executable, "-c", TRY_LOGINS, database_url, str(tries)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_two_app_processes_share_the_sign_in_limit(app, database_url):
    # /login allows 10 tries a minute from one address. Six in one process and six in another make 12.
    first = tries_in_another_process(database_url, 6, "database://")
    second = tries_in_another_process(database_url, 6, "database://")
    assert 429 not in first
    assert second[:4] == [200] * 4 and second[4:] == [429, 429]


def test_with_memory_storage_each_process_counted_alone(app, database_url):
    # The way it was: the same twelve tries, and nobody is ever stopped.
    assert 429 not in tries_in_another_process(database_url, 6, "memory://")
    assert 429 not in tries_in_another_process(database_url, 6, "memory://")


def test_a_limit_window_ends_and_the_cleanup_command_forgets_it(app, client, runner, clock):
    from portal.extensions import db
    from portal.models import RateLimitCounter

    for _ in range(3):
        client.submit("/login", {"username": "staff", "password": "wrong"})
    with app.app_context():
        assert db.session.scalars(db.select(RateLimitCounter.count)).all() == [3]
    clock.shift(61)
    result = runner.invoke(args=["sessions-cleanup"])
    assert result.exit_code == 0 and "Deleted 1 ended rate-limit counters" in result.output
