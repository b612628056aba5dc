"""One mutual-aid proposal ("I can help") or confirmation, run concurrently by tests/test_aid_concurrency.py
in threads or in processes forked from the same forkserver as the activity and booking races
(tests/support/activity_workers.py makes it; this module is imported by each worker when it unpickles its
target)."""

from portal import create_app
from portal.extensions import db
from portal.models import Account, AidMatch, Resident
from portal.services.aid import AidRefused, confirm_match, propose_match

from .health import NOW
from .health_workers import PRELOADED_APP, PRELOADED_URL, worker_config
from .topic_workers import origin_for

# The channels a resident may answer through; a helper's answer carries their account.
CHANNELS = ("online", "kiosk", "volunteer")


def attempt(kind: str, resident_id: int, target_id: int, channel: str = "online", helper_id=None, kiosk_id=None) -> str:
    """'ok', or the refusal reason. `target_id`: the post (propose) or the match (confirm, by helper_id)."""
    try:
        if kind == "propose":
            resident = db.session.get(Resident, resident_id)
            propose_match(db.session, post_id=target_id, resident=resident,
                          origin=origin_for(channel, helper_id, kiosk_id), now=NOW)  # fmt: skip
        elif kind == "confirm":
            match = db.session.get(AidMatch, target_id)
            confirm_match(db.session, match, agreed="周四十点", actor=db.session.get(Account, helper_id), now=NOW)
        else:
            raise ValueError(kind)
    except AidRefused as refused:
        return refused.reason
    return "ok"


def attempt_in_process(database_url, job, start_gate, results):
    kind, resident_id, target_id, channel, helper_id, kiosk_id = job
    app = PRELOADED_APP if PRELOADED_URL == database_url else create_app(worker_config(database_url))
    with app.app_context():
        try:
            db.session.get(Resident, resident_id)  # connect before the gate, so the attempts really overlap
            db.session.rollback()
            start_gate.wait(timeout=60)
            outcome = attempt(kind, resident_id, target_id, channel, helper_id, kiosk_id)
        except Exception as error:
            db.session.rollback()
            outcome = f"error: {error!r}"
        finally:
            db.session.remove()
            db.engine.dispose()
    results.put(outcome)
