"""Settings from the environment, with safe defaults for development."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "linli-development-only-secret"


class ConfigError(RuntimeError):
    """Raised when the settings are unsafe for the environment they run in."""


def is_production(environ=os.environ) -> bool:
    return "production" in {environ.get("FLASK_ENV", ""), environ.get("PORTAL_ENV", "")}


def load_config(environ=os.environ) -> dict:
    instance = ROOT / "instance"
    default_db = f"sqlite:///{instance / 'linli.sqlite3'}"
    database_url = environ.get("DATABASE_URL", default_db)
    # Heroku-style URLs name the driver "postgres"; SQLAlchemy 2 wants psycopg 3 spelled out.
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://"):]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]
    return {
        "SECRET_KEY": environ.get("SECRET_KEY", DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PORTAL_KIOSK_IDLE_SECONDS": int(environ.get("PORTAL_KIOSK_IDLE_SECONDS", "90")),
        "PORTAL_TIMEZONE": environ.get("PORTAL_TIMEZONE", "Asia/Shanghai"),
        "PORTAL_PRODUCTION": is_production(environ),
        "PORTAL_SMS_SENDER": environ.get("PORTAL_SMS_SENDER", ""),
        # Behind a reverse proxy: trust this many proxies' X-Forwarded-For/-Proto/-Host, so poster QR codes
        # carry the public https address and rate limits count real client addresses.
        "PORTAL_PROXIES": int(environ.get("PORTAL_PROXIES", "0")),
        # Request photos; empty means instance/uploads.
        "PORTAL_UPLOAD_FOLDER": environ.get("PORTAL_UPLOAD_FOLDER", ""),
        "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
        "BABEL_DEFAULT_TIMEZONE": environ.get("PORTAL_TIMEZONE", "Asia/Shanghai"),
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        # Answers posted in the QR sign-up flow, per client address (about 9 posts per sign-up).
        "PORTAL_SIGNUP_RATE_LIMIT": environ.get("PORTAL_SIGNUP_RATE_LIMIT", "60 per minute"),
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": is_production(environ),
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    }


def engine_options(database_url: str) -> dict:
    options = {"pool_pre_ping": True}
    if database_url.startswith("sqlite"):
        # Wait for a busy database rather than failing at once when several requests write together.
        options["connect_args"] = {"timeout": 30}
    return options


def check_config(config) -> None:
    if config.get("PORTAL_PRODUCTION") and config.get("SECRET_KEY") in (None, "", DEV_SECRET_KEY):
        raise ConfigError(
            "SECRET_KEY is not set. Linli refuses to run in production with the development key: "
            "set SECRET_KEY to a long random value."
        )
