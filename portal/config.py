"""Settings from the environment, with safe defaults for development. The secret key has no default:
it comes from SECRET_KEY or from instance/secret_key (see secret_key.py)."""

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(SystemExit):
    """The settings are unsafe or incomplete. A SystemExit, so `flask`, gunicorn or python stop with
    this one line (and exit status 1) instead of a traceback."""


def is_production(environ=os.environ) -> bool:
    return "production" in {environ.get("FLASK_ENV", ""), environ.get("PORTAL_ENV", "")}


def key_file(environ=os.environ) -> Path:
    """Where the install's own key is kept: instance/secret_key, or PORTAL_SECRET_KEY_FILE."""
    return Path(environ.get("PORTAL_SECRET_KEY_FILE") or ROOT / "instance" / "secret_key")


def read_key(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def load_config(environ=os.environ) -> dict:
    instance = ROOT / "instance"
    default_db = f"sqlite:///{instance / 'linli.sqlite3'}"
    database_url = environ.get("DATABASE_URL", default_db)
    # Heroku-style URLs name the driver "postgres"; SQLAlchemy 2 wants psycopg 3 spelled out.
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    return {
        "SECRET_KEY": environ.get("SECRET_KEY") or read_key(key_file(environ)),
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
        # Read-aloud audio of pages without personal data; empty means instance/speech-cache.
        "PORTAL_SPEECH_CACHE": environ.get("PORTAL_SPEECH_CACHE", ""),
        # Audit events and closed records older than this lose what identifies a person
        # (`flask --app portal retention-sweep`, services/retention.py).
        "PORTAL_RETENTION_DAYS": int(environ.get("PORTAL_RETENTION_DAYS", str(3 * 365))),
        "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
        "BABEL_DEFAULT_TIMEZONE": environ.get("PORTAL_TIMEZONE", "Asia/Shanghai"),
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        # Answers posted in the QR sign-up flow, per client address (about 9 posts per sign-up).
        "PORTAL_SIGNUP_RATE_LIMIT": environ.get("PORTAL_SIGNUP_RATE_LIMIT", "60 per minute"),
        # Looking a request up by its ticket, per client address (guessing tickets stays slow).
        "PORTAL_LOOKUP_RATE_LIMIT": environ.get("PORTAL_LOOKUP_RATE_LIMIT", "20 per minute"),
        # Open311: reading the open data, per client address; filing, per partner's API key.
        "PORTAL_OPEN311_READ_RATE_LIMIT": environ.get("PORTAL_OPEN311_READ_RATE_LIMIT", "120 per minute"),
        "PORTAL_OPEN311_KEY_RATE_LIMIT": environ.get("PORTAL_OPEN311_KEY_RATE_LIMIT", "30 per minute"),
        # Counted in the app's database (services/rate_limits.py), so the limits hold across processes and
        # hosts; redis://host:6379 counts in Redis instead.
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI", "database://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,
        # Sessions live on the server (portal/sessions.py): the database by default, Redis when
        # SESSION_REDIS_URL is set. The cookie holds only the session's random id and ends with the
        # browser; the server forgets a session unused for PORTAL_SESSION_HOURS.
        "SESSION_TYPE": environ.get("SESSION_TYPE") or ("redis" if environ.get("SESSION_REDIS_URL") else "sqlalchemy"),
        "SESSION_REDIS_URL": environ.get("SESSION_REDIS_URL", ""),
        "SESSION_PERMANENT": False,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=int(environ.get("PORTAL_SESSION_HOURS", "12"))),
        # On average once in this many requests, expired sessions are deleted from the database (0: only
        # by `flask --app portal sessions-cleanup`, say from cron).
        "SESSION_CLEANUP_N_REQUESTS": int(environ.get("SESSION_CLEANUP_N_REQUESTS", "500")) or None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": is_production(environ),
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        # Public pages rendered once every this many seconds for readers without a session (page_cache.py).
        "PORTAL_PAGE_CACHE_SECONDS": int(environ.get("PORTAL_PAGE_CACHE_SECONDS", "10")),
        # The public figures are worked out again when older than this (services/stats/stored.py); 0: on
        # every view, never kept.
        "PORTAL_PUBLIC_FIGURES_SECONDS": int(environ.get("PORTAL_PUBLIC_FIGURES_SECONDS", "600")),
        # Each app process keeps the staff statistics it counted this long (stats/common.py); 0: counted on
        # every view.
        "PORTAL_STAFF_FIGURES_SECONDS": int(environ.get("PORTAL_STAFF_FIGURES_SECONDS", "60")),
    }


def engine_options(database_url: str) -> dict:
    if database_url.startswith("sqlite"):
        # Wait for a busy database rather than failing at once when several requests write together. A file
        # cannot drop a connection, so no ping before each request's first query (it cost one more statement).
        return {"connect_args": {"timeout": 30}}
    # A server can: a connection it closed (a restart, an idle timeout) is found and replaced before use.
    return {"pool_pre_ping": True}


def sqlite_write_ahead_log(dbapi_connection, _connection_record) -> None:
    """SQLite keeps a write-ahead log (journal_mode=WAL) rather than a rollback journal: a commit is one
    append and one fsync of the log (synchronous stays FULL, so a confirmed booking survives a power
    cut) instead of creating, syncing and deleting a journal file, and readers no longer wait for a
    writer. The mode is stored in the database file; an in-memory database answers "memory"."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def check_config(config) -> None:
    if config.get("SESSION_TYPE") not in ("sqlalchemy", "redis"):
        raise ConfigError("SESSION_TYPE must be sqlalchemy (the database) or redis.")
    if config.get("SESSION_TYPE") == "redis" and not (config.get("SESSION_REDIS_URL") or config.get("SESSION_REDIS")):
        raise ConfigError("SESSION_TYPE is redis but SESSION_REDIS_URL is not set, like redis://localhost:6379/0.")
    if not config.get("SECRET_KEY"):
        raise ConfigError(
            f"Linli will not start without a secret key: run `make setup` (it writes {key_file()}) "
            "or set SECRET_KEY to a long random value."
        )
