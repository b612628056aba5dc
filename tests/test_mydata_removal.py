"""Removal (PIPL's right to deletion): confirmed by staff, it leaves no trace of the person in any table,
cancels their coming appointments with the usual message and place given back, cancels their coming
activity sign-ups (the first person waiting gets the place and is told) and waiting-list places, and
keeps the counts."""

import pytest
from sqlalchemy import String, Text, func, inspect, or_, select

from portal.extensions import db
from portal.models import (
    Activity,
    ActivitySignup,
    AuditEvent,
    Booking,
    DataRequest,
    NoticeRead,
    OutboxMessage,
    Request,
    Resident,
    Slot,
)
from portal.services.cards import CardTokenError, card_token, resolve_card_token
from portal.services.clock import now_utc
from portal.services.data_requests import ask_removal
from portal.services.outbox_delivery import send_pending
from portal.services.removal import remove_resident

from tests.support.factories import account
from tests.support.health import TZ
from tests.support.mydata import FAMILY, NAME, PHONE, origin_for, resident_with_everything

# What would still say who they were: the name, the number in full or its last eight digits, the family contact.
TRACES = (NAME, PHONE, PHONE[-8:], FAMILY.split()[-1])


class Quiet:
    def send(self, recipient, text):
        pass


def traces_left() -> list[str]:
    """Every text column of every table (read from the database itself) that holds one of TRACES."""
    found = []
    engine = db.engine
    metadata = db.MetaData()
    metadata.reflect(bind=engine)
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
            if not columns:
                continue
            where = or_(*(column.contains(trace) for column in columns for trace in TRACES))
            for row in connection.execute(select(table).where(where)):
                found.append(f"{table.name}: {dict(row._mapping)}")
    return found


def counts_by_channel(model) -> dict:
    return dict(db.session.execute(select(model.channel, func.count()).group_by(model.channel)).all())


def test_removal_leaves_no_trace_and_keeps_the_figures(app):
    with app.app_context():
        made = resident_with_everything(app)
        inspect(db.engine)  # the reflection below sees every table made by the migrations
        assert traces_left(), "the test must be able to fail: the records name the resident"
        bookings_before, requests_before = counts_by_channel(Booking), counts_by_channel(Request)
        signups_before, reads_before = counts_by_channel(ActivitySignup), counts_by_channel(NoticeRead)
        # As if the grid worker had been asked to phone them about their past activity.
        db.session.get(ActivitySignup, made["past_signup"]).call_reason = "promoted"
        db.session.commit()
        future = db.session.scalars(select(Booking).where(Booking.reference.in_(made["bookings"]))).all()
        booked_before = {b.slot_id: db.session.get(Slot, b.slot_id).booked for b in future}
        resident = db.session.get(Resident, made["id"])
        token = card_token(resident, app.config["SECRET_KEY"])
        ask = ask_removal(db.session, resident, origin=origin_for("volunteer"), actor=account("volunteer"))
        again = ask_removal(db.session, resident, origin=origin_for("online"))
        assert again.id == ask.id  # one pending removal per resident

        staff = account("staff")
        cancelled = remove_resident(db.session, resident, actor=staff, now=now_utc(), tz=TZ, photo_folder=None, ask=ask)
        assert cancelled == len(made["bookings"])
        # A second confirmation (another tab) finds it done.
        assert (
            remove_resident(db.session, resident, actor=staff, now=now_utc(), tz=TZ, photo_folder=None, ask=ask) is None
        )

        pending = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "pending")).all()
        assert any(m.kind == "booking.cancelled" and m.recipient == PHONE for m in pending)  # the usual message
        send_pending(db.session, Quiet())
        assert traces_left() == []

        assert counts_by_channel(Booking) == bookings_before
        assert counts_by_channel(Request) == requests_before
        assert counts_by_channel(ActivitySignup) == signups_before and counts_by_channel(NoticeRead) == reads_before
        theirs = {s.code: s for s in db.session.scalars(select(ActivitySignup).filter_by(resident_id=made["id"]))}
        assert {theirs[code].state for code in made["signups"]} == {"cancelled"}
        assert theirs[made["waiting_code"]].state == "cancelled"  # off the waiting list
        past = db.session.get(ActivitySignup, made["past_signup"])
        assert past.state == "attended" and past.call_reason is None  # counted, and not on the call list
        # Their place on the full activity went to the neighbour waiting behind them, who is told.
        neighbour = db.session.get(ActivitySignup, made["waiting_neighbour"])
        assert neighbour.state == "signed_up" and db.session.get(Activity, made["full_activity"]).taken == 1
        told = db.session.scalars(select(OutboxMessage).filter_by(resident_id=neighbour.resident_id)).all()
        assert "activity.promoted" in {m.kind for m in told}
        for slot_id, booked in booked_before.items():
            assert db.session.get(Slot, slot_id).booked == booked - 1  # the place is given back
        removed = db.session.get(Resident, made["id"])
        assert removed.removed_at is not None and removed.phone is None and removed.birth_year == 1940
        with pytest.raises(CardTokenError):  # every card is revoked
            resolve_card_token(db.session, token, app.config["SECRET_KEY"])
        assert removed.grid_id and removed.lives_alone  # what the de-identified figures count stays
        assert db.session.get(DataRequest, ask.id).state == "applied"
        event = db.session.scalars(select(AuditEvent).filter_by(action="resident.remove")).one()
        assert event.actor_id == staff.id and event.reason == "" and event.detail == ""
