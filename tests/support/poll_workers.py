"""One ballot (online, at a kiosk, through a helper, or on paper in a batch of one), run concurrently by
tests/test_poll_concurrency.py in threads or in processes forked from the same forkserver as the activity
and booking races (tests/support/activity_workers.py makes it; this module is imported by each worker when
it unpickles its target)."""

from portal import create_app
from portal.extensions import db
from portal.models import Account, Poll, Resident
from portal.services.polls import PaperLine, PollRefused, cast_ballot, enter_paper_batch

from .health import NOW
from .health_workers import PRELOADED_APP, PRELOADED_URL, worker_config

# The channels a resident may vote through; a helper's ballot carries their account, a paper one the staff's.
CHANNELS = ("online", "kiosk", "volunteer", "paper")


def origin_for(channel: str, helper_id: int | None, kiosk_id: int | None) -> dict:
    if channel == "kiosk":
        return {"channel": "kiosk", "entered_by_id": None, "kiosk_id": kiosk_id}
    if channel == "volunteer":
        return {"channel": "volunteer", "entered_by_id": helper_id, "kiosk_id": None}
    return {"channel": "online", "entered_by_id": None, "kiosk_id": None}


def attempt(resident_id: int, poll_id: int, option_id: int, channel: str, helper_id, kiosk_id, staff_id) -> str:
    """'recorded', 'changed', or the refusal reason."""
    resident = db.session.get(Resident, resident_id)
    if channel == "paper":
        poll = db.session.get(Poll, poll_id)
        line = PaperLine(resident.number, [option_id])
        entered = enter_paper_batch(db.session, poll, place="并发投票点", declared=1, lines=[line],
                                    actor=db.session.get(Account, staff_id), now=NOW)  # fmt: skip
        return entered.lines[0].refused or "recorded"
    try:
        return cast_ballot(db.session, poll_id=poll_id, resident=resident, option_ids=[option_id],
                           origin=origin_for(channel, helper_id, kiosk_id), now=NOW)  # fmt: skip
    except PollRefused as refused:
        return refused.reason


def attempt_in_process(database_url, job, start_gate, results):
    app = PRELOADED_APP if PRELOADED_URL == database_url else create_app(worker_config(database_url))
    with app.app_context():
        try:
            db.session.get(Resident, job[0])  # connect before the gate, so the attempts really overlap
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
