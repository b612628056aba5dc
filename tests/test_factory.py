import pytest

from portal import create_app
from portal.config import DEV_SECRET_KEY, ConfigError, load_config


def test_settings_come_from_the_environment():
    config = load_config({"SECRET_KEY": "s3cret", "DATABASE_URL": "postgresql://u@h/db",
                          "PORTAL_KIOSK_IDLE_SECONDS": "45"})
    assert config["SECRET_KEY"] == "s3cret"
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert config["PORTAL_KIOSK_IDLE_SECONDS"] == 45


def test_defaults_are_a_sqlite_file_in_instance_and_90_second_kiosk_timeout():
    config = load_config({})
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert config["SQLALCHEMY_DATABASE_URI"].endswith("instance/linli.sqlite3")
    assert config["PORTAL_KIOSK_IDLE_SECONDS"] == 90
    assert config["BABEL_DEFAULT_LOCALE"] == "zh_Hans_CN"


@pytest.mark.parametrize("variable", ["FLASK_ENV", "PORTAL_ENV"])
def test_production_refuses_the_development_secret_key(monkeypatch, variable):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv(variable, "production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_runs_with_a_real_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-key")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.config["SECRET_KEY"] != DEV_SECRET_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_testing_config_is_applied(app):
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret-key"


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_down(tmp_path):
    missing_dir = tmp_path / "no-such-folder" / "db.sqlite3"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing_dir}"})
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
            "admin", "staff", "gridworker", "volunteer", "nurse"}


def test_passwords_are_hashed(app):
    from portal.extensions import db
    from portal.models import Account

    with app.app_context():
        account = db.session.scalars(db.select(Account).filter_by(username="staff")).one()
        assert "linli-demo" not in account.password_hash
        assert account.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_behind_a_proxy_urls_and_client_addresses_come_from_forwarded_headers(tmp_path):
    from flask import request, url_for

    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "linli.example"}
    for proxies, expected in [(0, ("http://localhost/j/ABC", "127.0.0.1")),
                              (1, ("https://linli.example/j/ABC", "203.0.113.9"))]:
        app = create_app({"TESTING": True, "PORTAL_PROXIES": proxies,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"})

        @app.route("/where")
        def where():
            return f"{url_for('posters.scan', code='ABC', _external=True)} {request.remote_addr}"

        body = app.test_client().get("/where", headers=headers).get_data(as_text=True)
        assert body == " ".join(expected)
