"""Sessions kept on the server (Flask-Session): the browser's `session` cookie holds only a random id.

The contents live in the database (table `sessions`, migration 0008) or, when SESSION_REDIS_URL is set,
in Redis. So the server can end a session everywhere: `end_session()` deletes the stored session and
starts an empty one under a new id, and the old cookie then opens nothing, in any browser.

Flask-Session's own SQLAlchemy backend would create its table at start-up (we migrate it instead),
define its model again for every app made in one process, and commit whatever the request left in
db.session. So the database backend here keeps Flask-Session's interface (ids, cookies, msgpack,
regenerate) and stores through our migrated StoredSession model.

The id is 32 random bytes (secrets.token_urlsafe), so it is not signed: guessing one is hopeless, and
Flask-Session 0.8 deprecates SESSION_USE_SIGNER.
"""

from datetime import timedelta

import click
from flask import Flask, current_app, g, request, session
from flask_session.base import ServerSideSessionInterface
from flask_session.redis import RedisSessionInterface
from flask_session.sqlalchemy import SqlAlchemySessionInterface
from sqlalchemy import bindparam, delete, select, update

from .extensions import db
from .models import StoredSession, utcnow

# An unchanged session's expiry is pushed on at most this often (so it may end up to this much earlier
# than PERMANENT_SESSION_LIFETIME after its last use).
REFRESH_STEP = timedelta(minutes=5)


class EndedStaysEnded:
    """A request that began before the session was ended (say a "still here" ping from the kiosk while
    Start again runs) must not write the old session back when it finishes: a session loaded from the
    store is only ever updated, never created again. A new id is always a new row or key."""

    def open_session(self, app: Flask, request):
        opened = super().open_session(app, request)
        opened.loaded_sid = opened.sid if request.cookies.get(self.get_cookie_name(app)) == opened.sid else None
        return opened

    def _was_loaded(self, stored) -> bool:
        return getattr(stored, "loaded_sid", None) == stored.sid

    def should_set_storage(self, app: Flask, stored) -> bool:
        if stored.modified:
            return True
        # A stylesheet or an image does not count as using the session: no write for each of them.
        if request.endpoint == "static":
            return False
        # An unchanged session is written again only to push its expiry on, and at most once a
        # REFRESH_STEP: reading pages costs no write (a commit, so a disk flush on SQLite) each time.
        expiry = g.get("stored_session_expiry")
        if expiry is not None and expiry - utcnow() > app.permanent_session_lifetime - REFRESH_STEP:
            return False
        return super().should_set_storage(app, stored)


# Built once: making the statement anew on every request (and its cache key) cost four times its run.
_stored = StoredSession.__table__
SESSION_ROW = select(_stored.c.data, _stored.c.expiry).where(_stored.c.session_id == bindparam("session_id"))


class DatabaseSessionInterface(EndedStaysEnded, SqlAlchemySessionInterface):
    def _retrieve_session_data(self, store_id: str) -> dict | None:
        # One SELECT of the two columns (not an ORM object); an expired row opens nothing and is left to
        # the sweep. The expiry is kept for should_set_storage.
        row = db.session.execute(SESSION_ROW, {"session_id": store_id}).first()
        if row is None or row.expiry <= utcnow():
            return None
        g.stored_session_expiry = row.expiry
        return self.serializer.decode(row.data)

    def __init__(self, app: Flask, *, cleanup_n_requests: int | None):
        # Not SqlAlchemySessionInterface.__init__: it would define a model and create a table.
        self.client = db
        self.sql_session_model = StoredSession
        ServerSideSessionInterface.__init__(
            self,
            app,
            key_prefix=app.config["SESSION_KEY_PREFIX"],
            use_signer=False,
            permanent=app.config["SESSION_PERMANENT"],
            sid_length=app.config["SESSION_ID_LENGTH"],
            serialization_format="msgpack",
            cleanup_n_requests=cleanup_n_requests,
        )

    def save_session(self, app: Flask, stored, response) -> None:
        # Whatever the view left uncommitted would be discarded at teardown; the session's own commit
        # must not save it instead.
        db.session.rollback()
        super().save_session(app, stored, response)

    def _upsert_session(self, session_lifetime: timedelta, stored, store_id: str) -> None:
        values = {"data": self.serializer.encode(stored), "expiry": utcnow() + session_lifetime}
        try:
            if self._was_loaded(stored):
                db.session.execute(
                    update(StoredSession)
                    .where(StoredSession.session_id == store_id)
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
            else:
                db.session.add(StoredSession(session_id=store_id, **values))
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise

    def delete_expired(self) -> int:
        """Delete every session that has expired; returns how many."""
        deleted = db.session.execute(
            delete(StoredSession).where(StoredSession.expiry <= utcnow()).execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        return deleted

    def _delete_expired_sessions(self) -> None:
        self.delete_expired()


class RedisInterface(EndedStaysEnded, RedisSessionInterface):
    def _retrieve_session_data(self, store_id: str) -> dict | None:
        # The value and its time to live in one round trip; the expiry is kept for should_set_storage.
        data, ttl = self.client.pipeline().get(store_id).pttl(store_id).execute()
        if not data:
            return None
        if ttl and ttl > 0:
            g.stored_session_expiry = utcnow() + timedelta(milliseconds=ttl)
        return self.serializer.decode(data)

    def _upsert_session(self, session_lifetime: timedelta, stored, store_id: str) -> None:
        # Redis forgets expired keys by itself (TTL); xx=True: only overwrite a key that still exists.
        self.client.set(
            store_id,
            self.serializer.encode(stored),
            ex=int(session_lifetime.total_seconds()),
            xx=self._was_loaded(stored),
        )

    def delete_expired(self) -> int:
        return 0


def make_interface(app: Flask) -> ServerSideSessionInterface:
    config = app.config
    for key, value in (("SESSION_KEY_PREFIX", "session:"), ("SESSION_PERMANENT", False), ("SESSION_ID_LENGTH", 32)):
        config.setdefault(key, value)
    if config.get("SESSION_TYPE", "sqlalchemy") == "redis":
        client = config.get("SESSION_REDIS")
        if client is None:
            from redis import Redis

            client = Redis.from_url(config["SESSION_REDIS_URL"])
        return RedisInterface(
            app,
            client=client,
            key_prefix=config["SESSION_KEY_PREFIX"],
            use_signer=False,
            permanent=config["SESSION_PERMANENT"],
            sid_length=config["SESSION_ID_LENGTH"],
        )
    return DatabaseSessionInterface(app, cleanup_n_requests=config.get("SESSION_CLEANUP_N_REQUESTS"))


def init_app(app: Flask) -> None:
    app.session_interface = make_interface(app)

    @app.cli.command("sessions-cleanup")
    def sessions_cleanup_command():
        """Delete expired sessions and ended rate-limit windows (run it from cron; Redis expires its own)."""
        from .services.rate_limits import delete_expired

        click.echo(f"Deleted {app.session_interface.delete_expired()} expired sessions.")
        click.echo(f"Deleted {delete_expired()} ended rate-limit counters.")


def _new_id() -> None:
    interface = current_app.session_interface
    if isinstance(interface, ServerSideSessionInterface):
        interface.regenerate(session)  # deletes the stored session, if there is one, and picks a new id
        session.modified = True


def renew_session_id() -> None:
    """Keep what the session holds, under a new id (signing in, identifying: no session fixation)."""
    _new_id()


def end_session(keep: tuple[str, ...] = ()) -> None:
    """End this session on the server: its stored copy is deleted and a new, empty one begins under a
    new id, so the old cookie opens nothing anywhere. `keep` names entries carried over (the helper's
    own sign-in when an assisted session ends)."""
    kept = {key: session[key] for key in keep if key in session}
    _new_id()
    session.clear()
    session.update(kept)
