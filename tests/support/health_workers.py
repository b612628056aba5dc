"""One booking attempt, run concurrently by the concurrency tests: in threads, or in separate processes
that each open their own connection to the same database URL.

Worker processes are forked from a forkserver that imported this module. When the test sets
LINLI_WORKER_DATABASE_URL before the forkserver starts, the app is built here once, before any
connection is opened, and every forked worker inherits it instead of building its own."""

import os

from portal import create_app
from portal.extensions import db
from portal.models import Account, Resident
from portal.services.booking import BookingRefused, book_slot, change_booking_time

from .health import NOW, TZ


def worker_config(database_url: str) -> dict:
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret-key"}


PRELOADED_URL = os.environ.get("LINLI_WORKER_DATABASE_URL")
PRELOADED_APP = create_app(worker_config(PRELOADED_URL)) if PRELOADED_URL else None


def attempt(kind: str, resident_id: int, slot_id: int, booking_id: int | None = None) -> str:
    """'ok', or the refusal reason. Any other exception is reported as 'error: ...' by the callers."""
    resident = db.session.get(Resident, resident_id)
    try:
        if kind == "book":
            book_slot(db.session, slot_id=slot_id, resident=resident, now=NOW, tz=TZ)
        elif kind == "walk_in":
            nurse = db.session.scalars(db.select(Account).filter_by(username="nurse")).one()
            book_slot(
                db.session,
                slot_id=slot_id,
                resident=resident,
                now=NOW,
                tz=TZ,
                actor=nurse,
                walk_in=True,
                origin={"channel": "staff", "entered_by_id": nurse.id, "kiosk_id": None},
            )
        elif kind == "change":
            change_booking_time(db.session, booking_id=booking_id, new_slot_id=slot_id, now=NOW, tz=TZ)
        else:
            raise ValueError(kind)
    except BookingRefused as refused:
        return refused.reason
    return "ok"


def attempt_in_process(database_url, kind, resident_id, slot_id, booking_id, start_gate, results):
    """Entry point of a worker process: its own app, engine and connection; waits at the gate, then books."""
    app = PRELOADED_APP if PRELOADED_URL == database_url else create_app(worker_config(database_url))
    with app.app_context():
        try:
            db.session.get(Resident, resident_id)  # connect before the gate, so the attempts really overlap
            start_gate.wait(timeout=60)
            outcome = attempt(kind, resident_id, slot_id, booking_id)
        except Exception as error:  # reported to the test, which fails on any
            db.session.rollback()
            outcome = f"error: {error!r}"
        finally:
            db.session.remove()
            db.engine.dispose()
    results.put((resident_id, outcome))
