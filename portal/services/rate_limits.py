"""Flask-Limiter's counters in the app's own database: RATELIMIT_STORAGE_URI = "database://" (the default).

The `limits` library stores counters in memory, Redis, Memcached, MongoDB or etcd, but not in SQL. With
`memory://` every worker counted on its own, so two workers doubled every limit. This storage keeps the
fixed-window counters in one table (models/limits.py) and changes them with one atomic statement
(INSERT ... ON CONFLICT DO UPDATE ... RETURNING, on SQLite and PostgreSQL alike), on a connection of its
own so a limit is counted even when the request's own work is rolled back.
"""

from limits.storage import Storage
from sqlalchemy import case, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models.limits import RateLimitCounter
from .clock import timestamp

TABLE = RateLimitCounter.__table__


def _upsert(dialect: str):
    return (postgresql if dialect == "postgresql" else sqlite).insert(TABLE)


class DatabaseStorage(Storage):
    """A `limits` storage on the Flask-SQLAlchemy engine of the app handling the request."""

    STORAGE_SCHEME = ["database"]

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = timestamp()
        with db.engine.begin() as conn:
            started = TABLE.c.expires_at <= now  # the old window is over: this try starts a new one
            statement = (
                _upsert(conn.dialect.name)
                .values(key=key, count=amount, expires_at=now + expiry)
                .on_conflict_do_update(
                    index_elements=[TABLE.c.key],
                    set_={
                        "count": case((started, amount), else_=TABLE.c.count + amount),
                        "expires_at": case((started, now + expiry), else_=TABLE.c.expires_at),
                    },
                )
                .returning(TABLE.c.count)
            )
            return conn.execute(statement).scalar_one()

    def get(self, key: str) -> int:
        with db.engine.connect() as conn:
            count = conn.execute(
                select(TABLE.c.count).where(TABLE.c.key == key, TABLE.c.expires_at > timestamp())
            ).scalar()
        return count or 0

    def get_expiry(self, key: str) -> float:
        with db.engine.connect() as conn:
            ends = conn.execute(select(TABLE.c.expires_at).where(TABLE.c.key == key)).scalar()
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
