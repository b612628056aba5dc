"""Retention: `flask --app portal retention-sweep` anonymises audit events and closed records older than
the period (PORTAL_RETENTION_DAYS, 3 years by default), leaves newer ones alone, and a second run changes
nothing."""

from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import ActivitySignup, AuditEvent, NoticeRead, OutboxMessage, Request, RequestEvent
from portal.services.audit import record_event
from portal.services.clock import now_utc, utcnow
from portal.services.lifecycle import transition
from portal.services.outbox_delivery import send_pending

from tests.support.factories import account, new_request
from tests.support.mydata import NAME, resident_with_everything


class Quiet:
    def send(self, recipient, text):
        pass


def close(req, note):
    staff = account("staff")
    for state in ("accepted", "resolved", "closed"):
        transition(db.session, req, state, actor=staff, note=note, now=utcnow())
    db.session.commit()


def test_the_sweep_anonymises_what_is_older_than_the_period_and_only_that(app, runner, clock):
    assert app.config["PORTAL_RETENTION_DAYS"] == 3 * 365
    with app.app_context():
        made = resident_with_everything(app)
        old_request = db.session.scalars(select(Request).filter_by(ticket=made["tickets"][0])).one()
        close(old_request, f"已修好, {NAME}满意")
        open_request_id = db.session.scalars(select(Request.id).filter_by(ticket=made["tickets"][1])).one()
        send_pending(db.session, Quiet())
        old_request_id = old_request.id

    clock.shift(timedelta(days=3 * 365 + 2))
    with app.app_context():
        new = new_request()
        close(new, "修好了")
        new_id = new.id
        record_event(db.session, "phone.view", actor=account("staff"), resident=new.resident, reason="回电")
        db.session.commit()
        new_event_id = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.reason.contains(NAME)))  # can fail

    first = runner.invoke(args=["retention-sweep"])
    assert first.exit_code == 0, first.output
    assert "Retention sweep, older than 1095 days" in first.output
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.reason.contains(NAME))) is None
        old_events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.at < now_utc().replace(tzinfo=None) - timedelta(days=1095))
        ).all()
        assert old_events and all(e.reason == e.detail == "" and e.resident_id is None for e in old_events)
        assert db.session.get(AuditEvent, new_event_id).reason == "回电"  # newer: kept

        old = db.session.get(Request, old_request_id)
        assert old.description == "" and old.state == "closed" and old.channel == "online"
        notes = db.session.scalars(select(RequestEvent.note).filter_by(request_id=old_request_id)).all()
        assert notes and all(note == "" for note in notes)
        # Still open, however old: kept for the grid worker who works on it.
        assert NAME in db.session.get(Request, open_request_id).description
        assert db.session.get(Request, new_id).description == "The stair light is broken"  # newer: kept
        old_sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "sent")).all()
        assert old_sent and all(m.text == "" and m.recipient == "" for m in old_sent)
        # No free text on sign-ups or notices read: they stay, with their resident, for the figures.
        assert db.session.get(ActivitySignup, made["past_signup"]).state == "attended"
        assert db.session.scalar(select(NoticeRead.id).filter_by(resident_id=made["id"]))

    second = runner.invoke(args=["retention-sweep"])
    assert second.exit_code == 0
    assert (
        "0 audit events, 0 closed requests, 0 request notes, 0 messages and 0 corrections or removals anonymised; "
        "0 one-time codes and 0 ended sessions deleted." in second.output
    ), second.output
