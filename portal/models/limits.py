"""Rate-limit counters kept in the database, so every app process and host counts the same tries.

One row per limit and client (Flask-Limiter's key, such as "LIMITER/203.0.113.7/identify/5/1/minute"),
holding the count of the current window and when that window ends. services/rate_limits.py reads and
writes them; Redis takes their place when RATELIMIT_STORAGE_URI names it.
"""

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class RateLimitCounter(db.Model):
    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    # Seconds since the epoch (UTC) when this window ends; a later try starts a new window.
    expires_at: Mapped[float] = mapped_column(Float, index=True)
