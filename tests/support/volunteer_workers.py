"""One volunteer registration or call-out answer, run concurrently by tests/test_volunteer_concurrency.py in
threads or in processes forked from the same forkserver as the other races (tests/support/activity_workers.py
makes it; this module is imported by each worker when it unpickles its target)."""

from portal import create_app
from portal.extensions import db
from portal.models import Account, Building, Resident
from portal.services.volunteers import VolunteerRefused, answer_callout, availability_bits, register_volunteer

from .health import NOW
from .health_workers import PRELOADED_APP, PRELOADED_URL, worker_config
from .topic_workers import origin_for


def attempt(kind: str, subject_id: int, channel: str = "online", helper_id=None, kiosk_id=None, extra=None) -> str:
    """'ok', or the refusal reason. kind: register (a resident), register_account, answer (a reply: `extra`
    is the answer)."""
    try:
        if kind == "answer":
            answer_callout(db.session, subject_id, extra, now=NOW)
            return "ok"
        resident = db.session.get(Resident, subject_id) if kind == "register" else None
        account = db.session.get(Account, subject_id) if kind == "register_account" else None
        building = resident.building if resident is not None else db.session.get(Building, extra)
        register_volunteer(
            db.session,
            resident=resident,
            account=account,
            building=building,
            skills=1,
            availability=availability_bits([(5, "morning")]),
            origin=origin_for(channel, helper_id, kiosk_id),
            now=NOW,
        )
    except VolunteerRefused as refused:
        return refused.reason
    return "ok"


def attempt_in_process(database_url, job, start_gate, results):
    app = PRELOADED_APP if PRELOADED_URL == database_url else create_app(worker_config(database_url))
    with app.app_context():
        try:
            db.session.get(Account, 1)  # connect before the gate, so the attempts really overlap
            db.session.rollback()
            start_gate.wait(timeout=60)
            outcome = attempt(*job)
        except Exception as error:
            db.session.rollback()
            outcome = f"error: {error!r}"
        finally:
            db.session.remove()
            db.engine.dispose()
    results.put(outcome)
