"""One topic support or withdrawal, run concurrently by tests/test_topic_concurrency.py in threads or in
processes forked from the same forkserver as the activity and booking races (tests/support/activity_workers.py
makes it; this module is imported by each worker when it unpickles its target)."""

from portal import create_app
from portal.extensions import db
from portal.models import Resident
from portal.services.topics import TopicRefused, support_topic, withdraw_support

from .health import NOW
from .health_workers import PRELOADED_APP, PRELOADED_URL, worker_config

# The channels a resident may support through; a helper's support carries their account.
CHANNELS = ("online", "kiosk", "volunteer")


def origin_for(channel: str, helper_id: int | None, kiosk_id: int | None) -> dict:
    if channel == "kiosk":
        return {"channel": "kiosk", "entered_by_id": None, "kiosk_id": kiosk_id}
    if channel == "volunteer":
        return {"channel": "volunteer", "entered_by_id": helper_id, "kiosk_id": None}
    return {"channel": "online", "entered_by_id": None, "kiosk_id": None}


def attempt(kind: str, resident_id: int, topic_id: int, channel: str = "online", helper_id=None, kiosk_id=None) -> str:
    """'ok', or the refusal reason."""
    resident = db.session.get(Resident, resident_id)
    origin = origin_for(channel, helper_id, kiosk_id)
    try:
        if kind == "support":
            support_topic(db.session, topic_id=topic_id, resident=resident, origin=origin, now=NOW)
        elif kind == "withdraw":
            withdraw_support(db.session, topic_id=topic_id, resident=resident, origin=origin, now=NOW)
        else:
            raise ValueError(kind)
    except TopicRefused as refused:
        return refused.reason
    return "ok"


def attempt_in_process(database_url, job, start_gate, results):
    kind, resident_id, topic_id, channel, helper_id, kiosk_id = job
    app = PRELOADED_APP if PRELOADED_URL == database_url else create_app(worker_config(database_url))
    with app.app_context():
        try:
            db.session.get(Resident, resident_id)  # connect before the gate, so the attempts really overlap
            db.session.rollback()
            start_gate.wait(timeout=60)
            outcome = attempt(kind, resident_id, topic_id, channel, helper_id, kiosk_id)
        except Exception as error:
            db.session.rollback()
            outcome = f"error: {error!r}"
        finally:
            db.session.remove()
            db.engine.dispose()
    results.put(outcome)
