"""Flask-Limiter's counters in the app's own database: RATELIMIT_STORAGE_URI = "database://" (the default).

The `limits` library stores counters in memory, Redis, Memcached, MongoDB or etcd, but not in SQL. With
`memory://` every worker counted on its own, so two workers doubled every limit. This storage keeps the
fixed-window counters in one table (models/limits.py) and changes them with one atomic statement
(INSERT ... ON CONFLICT DO UPDATE ... RETURNING, on SQLite and PostgreSQL alike), on a connection of its
own so a limit is counted even when the request's own work is rolled back.
"""

from limits.storage import Storage
from sqlalchemy import bindparam, case, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models.limits import RateLimitCounter
from .clock import timestamp

TABLE = RateLimitCounter.__table__


# The statements are built once (the upsert once per kind of database), with bound parameters: a
# limited page (a status lookup) runs one of them on every request.
COUNT_NOW = select(TABLE.c.count).where(TABLE.c.key == bindparam("limit_key"), TABLE.c.expires_at > bindparam("now"))
WINDOW_END = select(TABLE.c.expires_at).where(TABLE.c.key == bindparam("limit_key"))
_UPSERTS: dict = {}


def _upsert(dialect: str):
    """Count one more try in the key's window, or start a new window when the old one is over."""
    statement = _UPSERTS.get(dialect)
    if statement is None:
        amount, window_end = bindparam("amount"), bindparam("window_end")
        started = TABLE.c.expires_at <= bindparam("now")  # the old window is over: this try starts a new one
        statement = _UPSERTS[dialect] = (
            (postgresql if dialect == "postgresql" else sqlite)
            .insert(TABLE)
            .values(key=bindparam("limit_key"), count=amount, expires_at=window_end)
            .on_conflict_do_update(
                index_elements=[TABLE.c.key],
                set_={
                    "count": case((started, amount), else_=TABLE.c.count + amount),
                    "expires_at": case((started, window_end), else_=TABLE.c.expires_at),
                },
            )
            .returning(TABLE.c.count)
        )
    return statement


class DatabaseStorage(Storage):
    """A `limits` storage on the Flask-SQLAlchemy engine of the app handling the request."""

    STORAGE_SCHEME = ["database"]

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = timestamp()
        with db.engine.begin() as conn:
            values = {"limit_key": key, "amount": amount, "now": now, "window_end": now + expiry}
            return conn.execute(_upsert(conn.dialect.name), values).scalar_one()

    def get(self, key: str) -> int:
        with db.engine.connect() as conn:
            count = conn.execute(COUNT_NOW, {"limit_key": key, "now": timestamp()}).scalar()
        return count or 0

    def get_expiry(self, key: str) -> float:
        with db.engine.connect() as conn:
            ends = conn.execute(WINDOW_END, {"limit_key": key}).scalar()
        return ends if ends is not None else timestamp()

    def check(self) -> bool:
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with db.engine.begin() as conn:
            return conn.execute(delete(TABLE)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(delete(TABLE).where(TABLE.c.key == key))


def delete_expired() -> int:
    """Forget windows that have ended (the sessions-cleanup command calls this)."""
    with db.engine.begin() as conn:
        return conn.execute(delete(TABLE).where(TABLE.c.expires_at <= timestamp())).rowcount
