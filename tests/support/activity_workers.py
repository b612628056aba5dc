"""One activity sign-up or cancellation, run concurrently by tests/test_activity_concurrency.py in threads
or in processes forked from the same forkserver as the booking races (tests/support/health_workers.py
builds the app there once)."""

import multiprocessing
import os

from portal import create_app
from portal.extensions import db
from portal.models import Resident
from portal.services.activities import SignupRefused, end_signup, sign_up

from .health import NOW
from .health_workers import PRELOADED_APP, PRELOADED_URL, worker_config

_context = None


def process_context(database_url):
    global _context
    if _context is None:
        os.environ["LINLI_WORKER_DATABASE_URL"] = database_url
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(["tests.support.health_workers", "tests.support.activity_workers"])
    return _context


def attempt(kind: str, resident_id: int, activity_id: int, signup_id: int | None = None) -> str:
    """'signed_up' or 'waiting' for a sign-up, 'ok' for a cancellation, else the refusal reason."""
    try:
        if kind == "sign_up":
            resident = db.session.get(Resident, resident_id)
            return sign_up(db.session, activity_id=activity_id, resident=resident, now=NOW, wait_if_full=True).state
        if kind == "cancel":
            end_signup(db.session, signup_id=signup_id, now=NOW)
            return "ok"
        raise ValueError(kind)
    except SignupRefused as refused:
        return refused.reason


def attempt_in_process(database_url, kind, resident_id, activity_id, signup_id, start_gate, results):
    app = PRELOADED_APP if PRELOADED_URL == database_url else create_app(worker_config(database_url))
    with app.app_context():
        try:
            db.session.get(Resident, resident_id)  # connect before the gate, so the attempts really overlap
            db.session.rollback()
            start_gate.wait(timeout=60)
            outcome = attempt(kind, resident_id, activity_id, signup_id)
        except Exception as error:
            db.session.rollback()
            outcome = f"error: {error!r}"
        finally:
            db.session.remove()
            db.engine.dispose()
    results.put((resident_id, outcome))
