import os
import stat
import subprocess
import sys

import pytest

from portal import create_app
from portal.config import ROOT, ConfigError, load_config
from portal.secret_key import ensure_key_file

from tests.support.app import restore_snapshot

KEY = "test-secret-key"


def test_settings_come_from_the_environment():
    config = load_config(
        {"SECRET_KEY": "s3cret", "DATABASE_URL": "postgresql://u@h/db", "PORTAL_KIOSK_IDLE_SECONDS": "45"}
    )
    assert config["SECRET_KEY"] == "s3cret"
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert config["PORTAL_KIOSK_IDLE_SECONDS"] == 45


def test_defaults_are_a_sqlite_file_in_instance_and_90_second_kiosk_timeout():
    config = load_config({})
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert config["SQLALCHEMY_DATABASE_URI"].endswith("instance/linli.sqlite3")
    assert config["PORTAL_KIOSK_IDLE_SECONDS"] == 90
    assert config["BABEL_DEFAULT_LOCALE"] == "zh_Hans_CN"


@pytest.fixture
def no_key(monkeypatch, tmp_path):
    """No SECRET_KEY in the environment, and the install's key file (in tmp_path) not written yet."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("PORTAL_SECRET_KEY_FILE", str(tmp_path / "instance" / "secret_key"))
    return tmp_path / "instance" / "secret_key"


def test_no_key_is_written_in_the_source(no_key):
    assert load_config()["SECRET_KEY"] is None


@pytest.mark.parametrize(
    "variable, value", [("FLASK_ENV", "development"), ("FLASK_ENV", "production"), ("PORTAL_ENV", "production")]
)
def test_without_a_key_the_app_refuses_to_start(monkeypatch, no_key, tmp_path, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match="secret key") as refused:
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert refused.value.code.count("\n") == 0 and str(no_key) in refused.value.code


def test_the_flask_command_without_a_key_says_so_in_one_line(no_key):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["PORTAL_SECRET_KEY_FILE"] = str(no_key)
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "portal", "routes"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Linli will not start without a secret key: run `make setup` (it writes {no_key}) "
        "or set SECRET_KEY to a long random value."
    ]


def test_setup_writes_a_random_key_once_and_the_app_reads_it(no_key, tmp_path):
    env = {**os.environ, "PORTAL_SECRET_KEY_FILE": str(no_key)}
    first = subprocess.run(
        [sys.executable, "-m", "portal.secret_key"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert first.returncode == 0 and "Wrote a new random secret key" in first.stdout
    key = no_key.read_text().strip()
    assert len(key) >= 60 and stat.S_IMODE(no_key.stat().st_mode) == 0o600
    assert ensure_key_file(no_key) is False and no_key.read_text().strip() == key  # kept: sessions survive
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.config["SECRET_KEY"] == key
    other = tmp_path / "other" / "secret_key"
    ensure_key_file(other)
    assert other.read_text().strip() != key  # each install its own


def test_the_environment_key_wins_over_the_file(monkeypatch, no_key, tmp_path):
    ensure_key_file(no_key)
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert load_config()["SECRET_KEY"] == "from-the-environment"


def test_the_key_file_is_kept_out_of_git():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (an unpacked archive): nothing to keep the key out of")
    done = subprocess.run(["git", "check-ignore", "-q", "instance/secret_key"], cwd=ROOT, timeout=60)
    assert done.returncode == 0


def test_production_runs_with_a_real_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-key")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.config["SECRET_KEY"] == "a-long-random-production-key"
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("variable", ["FLASK_ENV", "PORTAL_ENV"])
def test_seed_demo_refuses_to_run_in_production(app, monkeypatch, variable):
    from portal.extensions import db
    from portal.models import Account

    monkeypatch.setenv(variable, "production")
    monkeypatch.setenv("SECRET_KEY", KEY)
    production = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    with production.app_context():
        restore_snapshot({})
    result = production.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: seed-demo does not run in production: it would add demo accounts with a published password."
    ]
    with production.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Account)) == 0
        db.session.remove()
        db.engine.dispose()


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_down(tmp_path):
    missing_dir = tmp_path / "no-such-folder" / "db.sqlite3"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": KEY,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing_dir}",
            "SESSION_CLEANUP_N_REQUESTS": None,
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] != "ok"


def test_seed_demo_is_idempotent(runner, app):
    from portal.extensions import db
    from portal.models import Account, Community, Grid, Resident

    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert first.output == second.output
    with app.app_context():
        count = lambda m: db.session.scalar(db.select(db.func.count()).select_from(m))  # noqa: E731
        assert count(Community) == 2
        assert count(Grid) >= 6
        assert count(Resident) >= 40
        assert {a.username for a in db.session.scalars(db.select(Account))} >= {
            "admin",
            "staff",
            "gridworker",
            "volunteer",
            "nurse",
        }


def test_passwords_are_hashed(app):
    from portal.extensions import db
    from portal.models import Account

    with app.app_context():
        account = db.session.scalars(db.select(Account).filter_by(username="staff")).one()
        assert "linli-demo" not in account.password_hash
        assert account.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_outside_the_suite_passwords_get_the_full_scrypt_work_factor(tmp_path):
    """The suite's cheap hashing is its own setting: an app made with the real configuration hashes with
    werkzeug's default scrypt (2**15 rounds), and a password made that way still checks."""
    from portal import create_app
    from portal.models import Account

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "k"})
    with app.app_context():
        account = Account(username="u", display_name="u", role="admin")
        account.set_password("a long enough password")
        assert account.password_hash.startswith("scrypt:32768:8:1$")
        assert account.check_password("a long enough password") and not account.check_password("wrong")


def test_behind_a_proxy_urls_and_client_addresses_come_from_forwarded_headers(tmp_path):
    from flask import request, url_for

    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "linli.example"}
    for proxies, expected in [
        (0, ("http://localhost/j/ABC", "127.0.0.1")),
        (1, ("https://linli.example/j/ABC", "203.0.113.9")),
    ]:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": KEY,
                "PORTAL_PROXIES": proxies,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
                # An empty database: no random sweep of expired sessions (there is no table to sweep).
                "SESSION_CLEANUP_N_REQUESTS": None,
            }
        )

        @app.route("/where")
        def where():
            return f"{url_for('posters.scan', code='ABC', _external=True)} {request.remote_addr}"

        body = app.test_client().get("/where", headers=headers).get_data(as_text=True)
        assert body == " ".join(expected)
