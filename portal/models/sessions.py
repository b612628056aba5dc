"""Sessions kept on the server: the browser's cookie holds only the random id of one of these rows.

The columns are the ones Flask-Session's SQLAlchemy backend uses (so its tools read the table too), but
the table is made by migration 0008 like every other table, never by the extension at start-up.
"""

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class StoredSession(db.Model):
    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "session:" + the id in the cookie (Flask-Session's key prefix).
    session_id: Mapped[str] = mapped_column(String(255), unique=True)
    # The session's contents, in msgpack (never sent to the browser).
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # UTC; a session not used until then is gone (and swept by `flask --app portal sessions-cleanup`).
    expiry: Mapped[datetime] = mapped_column(DateTime, index=True)
