import logging

import pytest
from flask import g

from portal.channels import record_origin
from portal.extensions import db
from portal.models import Account, AuditEvent, Kiosk, OutboxMessage, Resident
from portal.models.audit import AuditIsAppendOnly
from portal.services.audit import record_event
from portal.services.outbox import LogSender, queue_message
from portal.services.outbox_delivery import send_pending


def test_audit_events_cannot_be_edited_or_deleted(app):
    with app.app_context():
        staff = db.session.scalars(db.select(Account).filter_by(username="staff")).one()
        resident = db.session.scalars(db.select(Resident)).first()
        event = record_event(db.session, "card.reissue", actor=staff, resident=resident, reason="lost card")
        db.session.commit()
        event.reason = "something else"
        with pytest.raises(AuditIsAppendOnly):
            db.session.commit()
        db.session.rollback()
        with pytest.raises(AuditIsAppendOnly):
            db.session.delete(db.session.get(AuditEvent, event.id))
            db.session.commit()
        db.session.rollback()
        assert db.session.get(AuditEvent, event.id).reason == "lost card"


def test_outbox_skips_residents_without_a_phone_and_sends_once(app, caplog):
    with app.app_context():
        resident = db.session.scalars(db.select(Resident)).first()
        assert queue_message(db.session, kind="test", text="no phone", recipient="") is None
        queue_message(db.session, kind="test", text="您的预约已确认", recipient="13900000001", resident=resident)
        db.session.commit()
        with caplog.at_level(logging.INFO, logger="linli.outbox"):
            assert send_pending(db.session, LogSender()) == {"sent": 1, "failed": 0}
            assert send_pending(db.session, LogSender()) == {"sent": 0, "failed": 0}
        assert "您的预约已确认" in caplog.text
        message = db.session.scalars(db.select(OutboxMessage)).one()
        assert message.status == "sent" and message.sent_at is not None


def test_a_failing_gateway_marks_the_message_failed_and_goes_on(app):
    class Broken:
        def send(self, recipient, text):
            if recipient.endswith("1"):
                raise ConnectionError("gateway down")

    with app.app_context():
        queue_message(db.session, kind="t", text="a", recipient="13900000001")
        queue_message(db.session, kind="t", text="b", recipient="13900000002")
        db.session.commit()
        assert send_pending(db.session, Broken()) == {"sent": 1, "failed": 1}
        failed = db.session.scalars(db.select(OutboxMessage).filter_by(status="failed")).one()
        assert "gateway down" in failed.error


def test_send_outbox_command(runner, app):
    with app.app_context():
        queue_message(db.session, kind="t", text="hello", recipient="13900000003")
        db.session.commit()
    assert "Sent 1, failed 0." in runner.invoke(args=["send-outbox"]).output
    assert "Sent 0, failed 0." in runner.invoke(args=["send-outbox"]).output


def test_record_origin(app):
    with app.app_context():
        volunteer = db.session.scalars(db.select(Account).filter_by(username="volunteer")).one()
        kiosk = Kiosk(id=7, name="k", community_id=1)
    with app.test_request_context():
        assert record_origin("qr") == {"channel": "qr", "entered_by_id": None, "kiosk_id": None}
        g.account = volunteer
        assert record_origin() == {"channel": "volunteer", "entered_by_id": volunteer.id, "kiosk_id": None}
        g.account, g.kiosk = None, kiosk
        assert record_origin() == {"channel": "kiosk", "entered_by_id": None, "kiosk_id": 7}
