"""Asks about one's own data at the same moment, from threads, on SQLite and on PostgreSQL: asking twice to
be removed leaves one pending removal (the partial unique index), and staff deciding one correction at once
decide it once (the conditional UPDATE), with one audit event and the record changed once."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, DataRequest, Resident
from portal.services.data_requests import apply_correction, ask_correction, ask_removal

from tests.support.factories import account
from tests.support.health import make_residents
from tests.support.mydata import origin_for

PEOPLE = 8


def at_once(app, work):
    gate = threading.Barrier(PEOPLE)

    def one(index):
        with app.app_context():
            try:
                gate.wait(timeout=60)
                return work(index)
            except Exception as error:  # any error is a failure of the invariant's handling
                return f"error: {error!r}"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        return list(pool.map(one, range(PEOPLE)))


def test_asking_to_be_removed_at_once_leaves_one_pending_removal(app):
    with app.app_context():
        resident_id = make_residents(1, start=900)[0].id

    def ask(_index):
        resident = db.session.get(Resident, resident_id)
        return ask_removal(db.session, resident, origin=origin_for("online")).id

    results = at_once(app, ask)
    assert not [r for r in results if isinstance(r, str)], results
    assert len(set(results)) == 1
    with app.app_context():
        pending = select(func.count()).select_from(DataRequest).filter_by(resident_id=resident_id, state="pending")
        assert db.session.scalar(pending) == 1


def test_staff_deciding_one_correction_at_once_decide_it_once(app):
    with app.app_context():
        resident = make_residents(1, start=901)[0]
        ask = ask_correction(
            db.session, resident, field="room", what_is_wrong="错了", should_be="?", origin=origin_for("online")
        )
        ask_id, resident_id = ask.id, resident.id

    def apply(index):
        staff = account("staff")
        errors = apply_correction(
            db.session,
            db.session.get(DataRequest, ask_id),
            raw_value=f"{index + 1}01",
            actor=staff,
            now=staff.created_at,
            year_now=2026,
        )
        return "applied" if not errors else "refused"

    results = at_once(app, apply)
    assert sorted(results) == ["applied"] + ["refused"] * (PEOPLE - 1), results
    with app.app_context():
        events = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .filter_by(action="mydata.correction_apply", resident_id=resident_id)
        )
        assert events == 1
        assert db.session.get(Resident, resident_id).room in {f"{i + 1}01" for i in range(PEOPLE)}
        assert db.session.get(DataRequest, ask_id).state == "applied"
