"""Volunteer register (活地图) where it meets the rest of the portal: the tables come from migration 0024, the
neighbours' hub leads to it, My information shows a volunteer their entry and their call-outs, removing a
resident deletes their entry and answers, and the retention sweep deletes old call-outs but keeps entries."""

from datetime import timedelta

from portal.extensions import db
from portal.models import CallOut, CallOutReply, Volunteer
from portal.services.cards import card_token
from portal.services.clock import now_utc
from portal.volunteers.seed import CALLOUT_MESSAGE

from tests.support.factories import account
from tests.support.flows import main_text


def asked_resident_volunteer():
    """A demo volunteer (a resident) who was asked by the demo call-out."""
    return db.session.scalars(
        db.select(Volunteer)
        .join(CallOutReply, CallOutReply.volunteer_id == Volunteer.id)
        .where(Volunteer.resident_id.is_not(None))
        .order_by(Volunteer.id)
    ).first()


def test_the_tables_come_from_migration_0024(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert [d for d in differences if "volunteer" in repr(d) or "call_out" in repr(d)] == []


def test_the_neighbours_hub_leads_to_the_register(client):
    hub = client.get("/neighbours?lang=en").get_data(as_text=True)
    assert "Volunteering" in hub and 'href="/volunteers/me"' in hub
    assert "当志愿者" in client.get("/neighbours?lang=zh").get_data(as_text=True)


def test_my_information_shows_the_entry_and_the_call_outs(app, client):
    with app.app_context():
        resident = asked_resident_volunteer().resident
        token = card_token(resident, app.config["SECRET_KEY"])
    client.get("/identify")
    assert client.submit("/identify", {"token": token}).status_code == 303
    page = main_text(client.get("/my-information?lang=en").get_data(as_text=True))
    assert "Your entry on the volunteer register" in page and "Call-outs you were asked to help with" in page
    assert CALLOUT_MESSAGE in page


def test_removal_deletes_the_entry_and_its_answers(app):
    from portal.services.clock import portal_zone
    from portal.services.removal import remove_resident

    with app.app_context():
        entry = asked_resident_volunteer()
        entry_id, resident = entry.id, entry.resident
        remove_resident(db.session, resident, actor=account("staff"), now=now_utc(), tz=portal_zone(),
                        photo_folder=None)  # fmt: skip
        assert db.session.get(Volunteer, entry_id) is None
        assert db.session.scalar(db.select(db.func.count()).where(CallOutReply.volunteer_id == entry_id)) == 0


def test_the_retention_sweep_deletes_old_call_outs_and_keeps_the_entries(app):
    from portal.services.retention import DEFAULT_DAYS, sweep

    with app.app_context():
        entries = db.session.scalar(db.select(db.func.count()).select_from(Volunteer))
        assert sweep(db.session, now=now_utc() + timedelta(days=30))["callouts"] == 0
        done = sweep(db.session, now=now_utc() + timedelta(days=DEFAULT_DAYS + 30))
        assert done["callouts"] == 1
        assert db.session.scalar(db.select(db.func.count()).select_from(CallOut)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(CallOutReply)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(Volunteer)) == entries
