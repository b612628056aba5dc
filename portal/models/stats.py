"""Public figures worked out once and kept (脱敏回流): one row per area, period and language.

Working out a community's de-identified figures at city size takes seconds (a GROUP BY per table, then
the small-count suppression), so the public page reads the kept copy, and `flask --app portal
stats-refresh` (from cron) or the first reader after PORTAL_PUBLIC_FIGURES_SECONDS works them out again.
"""

from datetime import datetime

from sqlalchemy import DateTime, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class StoredFigures(db.Model):
    __tablename__ = "stored_figures"
    __table_args__ = (UniqueConstraint("scope", "period", "locale", name="stored_figures_one_copy"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "community:1" or "grid:17"
    scope: Mapped[str] = mapped_column(String(40))
    # The period's kind, first and last day and time zone: "this_month:2026-12-01:2026-12-03:Asia/Shanghai"
    period: Mapped[str] = mapped_column(String(100))
    locale: Mapped[str] = mapped_column(String(10))
    # UTC, when these figures were worked out.
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    # The sections, already suppressed, as JSON (services/stats/stored.py).
    payload: Mapped[str] = mapped_column(Text)
