"""Volunteer register (活地图): the rules in services/volunteers.py (one entry per resident or account, the
filters by skill and time, call-outs and answers set once), and the pages over HTTP with plain forms:
joining with consent, changing and leaving one's own entry, the staff's list and building plan, the contact
shown on request and audited each time, a call-out whose message reaches the outbox with a link that works
without signing in and shows nothing personal, a grid worker's tick after a call, and who is coming."""

import re

import pytest
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import AuditEvent, CallOut, CallOutReply, OutboxMessage, Resident, Volunteer
from portal.services.cards import card_token
from portal.services.clock import now_utc
from portal.services.volunteers import (
    VolunteerRefused,
    answer_callout,
    answer_token,
    availability_bits,
    matching,
    register_volunteer,
    reply_for_token,
    skill_bits,
    slot_index,
)
from portal.volunteers.seed import CALLOUT_MESSAGE

from tests.support.factories import account
from tests.support.flows import main_text, start_assisting
from tests.support.signin import sign_in

ORIGIN = {"channel": "online", "entered_by_id": None, "kiosk_id": None}
JOIN = {"building": "", "skills": ["first_aid", "driving"], "day5": ["morning", "afternoon"], "consent": "yes"}


@pytest.fixture
def free(app):
    """Residents of grid 1 with a phone who are not on the register: (id, number, name, phone, card token)."""
    with app.app_context():
        listed = set(db.session.scalars(db.select(Volunteer.resident_id).where(Volunteer.resident_id.is_not(None))))
        rows = db.session.scalars(
            db.select(Resident)
            .where(Resident.grid_id == 1, Resident.phone.is_not(None), Resident.id.not_in(listed))
            .order_by(Resident.id)
        ).all()
        return [(r.id, r.number, r.name, r.phone, card_token(r, app.config["SECRET_KEY"]), r.building_id) for r in rows]


def identify(client, token):
    client.get("/identify")
    assert client.submit("/identify", {"token": token}).status_code == 303


def table_of(html: str) -> str:
    return html[html.find("<table") : html.find("</table>")]


def events(action):
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


# -- services -----------------------------------------------------------------------------------
def test_one_entry_per_resident_and_the_filters(app, free):
    with app.app_context():
        resident = db.session.get(Resident, free[0][0])
        fields = {"building": resident.building, "skills": skill_bits(["repairs"]),
                  "availability": availability_bits([(2, "evening")]), "origin": ORIGIN, "now": now_utc()}  # fmt: skip
        entry = register_volunteer(db.session, resident=resident, **fields)
        with pytest.raises(VolunteerRefused) as twice:
            register_volunteer(db.session, resident=db.session.get(Resident, free[0][0]), **fields)
        assert twice.value.reason == "duplicate"
        assert db.session.scalar(db.select(db.func.count()).where(Volunteer.resident_id == free[0][0])) == 1
        found = lambda **kw: set(db.session.scalars(matching(db.select(Volunteer.id), grid_id=1, **kw)))  # noqa: E731
        assert entry.id in found(skill="repairs", slot=slot_index(2, "evening"))
        assert entry.id not in found(skill="driving")
        assert entry.id not in found(slot=slot_index(2, "morning"))
        # The database itself refuses an entry for nobody, or for a resident and an account at once.
        with pytest.raises(IntegrityError):
            db.session.add(
                Volunteer(community_id=1, grid_id=1, building_id=resident.building_id, consented_at=now_utc())
            )
            db.session.flush()
        db.session.rollback()


def test_an_answer_is_set_once_and_changed_only_from_what_it_was(app):
    with app.app_context():
        reply = db.session.scalars(db.select(CallOutReply).where(CallOutReply.answer.is_(None))).first()
        answer_callout(db.session, reply.id, "yes", now=now_utc())
        with pytest.raises(VolunteerRefused) as again:
            answer_callout(db.session, reply.id, "no", now=now_utc())
        assert again.value.reason == "answered"
        answer_callout(db.session, reply.id, "no", now=now_utc(), expected="yes")
        db.session.expire_all()
        assert db.session.get(CallOutReply, reply.id).answer == "no"
        token = answer_token(reply, app.config["SECRET_KEY"])
        assert reply_for_token(db.session, token, app.config["SECRET_KEY"]).id == reply.id
        assert reply_for_token(db.session, token[:-2] + "xx", app.config["SECRET_KEY"]) is None
        assert reply_for_token(db.session, token, "another secret") is None


# -- a resident's own entry ---------------------------------------------------------------------
def test_a_resident_joins_changes_and_leaves_with_plain_forms(app, client, free):
    rid, _number, name, _phone, token, building = free[0]
    asked = client.get("/volunteers/me")
    assert asked.status_code == 303 and "/identify" in asked.headers["Location"]
    identify(client, token)
    page = main_text(client.get("/volunteers/me?lang=zh").get_data(as_text=True))
    assert "当志愿者" in page and "急救" in page and "六" in page and "上午" in page
    # Nothing chosen, no consent: every problem is said in words, and what was typed stays.
    bad = client.submit("/volunteers/me?lang=en", {"building": "x", "other_skill": "会修自行车"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "error-summary" in text
    assert "Choose the building" in text and "Choose at least one part of a day" in text
    assert "tick that you agree" in text and 'value="会修自行车"' in text
    done = client.submit("/volunteers/me", {**JOIN, "building": str(building)})
    assert done.status_code == 303 and "done=joined" in done.headers["Location"]
    mine = main_text(client.get("/volunteers/me?lang=en").get_data(as_text=True))
    assert "Your volunteer entry" in mine and "First aid" in mine and "Saturday morning" in mine
    # A change keeps one entry.
    changed = client.submit("/volunteers/me", {"building": str(building), "skills": ["repairs"], "day0": ["evening"]})
    assert changed.status_code == 303
    with app.app_context():
        rows = db.session.scalars(db.select(Volunteer).where(Volunteer.resident_id == rid)).all()
        assert len(rows) == 1 and rows[0].skills == skill_bits(["repairs"])
        assert [e.action for e in events("volunteer.register") if e.resident_id == rid] == ["volunteer.register"]
    assert "Leave the volunteer register?" in client.get("/volunteers/me/leave?lang=en").get_data(as_text=True)
    assert client.submit("/volunteers/me/leave").status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).where(Volunteer.resident_id == rid)) == 0
        assert any(e.resident_id == rid for e in events("volunteer.leave"))
    assert "Become a volunteer" in client.get("/volunteers/me?lang=en").get_data(as_text=True)


def test_a_helper_registers_a_resident_with_consent_and_the_audit_says_so(app, client, auth, free):
    rid, number, _name, _phone, _token, building = free[1]
    sign_in(auth, "volunteer")
    assert start_assisting(client, number, reason="她想当志愿者，不会用手机").status_code == 303
    assert client.submit("/volunteers/me", {**JOIN, "building": str(building)}).status_code == 303
    with app.app_context():
        entry = db.session.scalars(db.select(Volunteer).where(Volunteer.resident_id == rid)).one()
        assert entry.channel == "volunteer" and entry.entered_by_id == account("volunteer").id
        event = [e for e in events("volunteer.register") if e.resident_id == rid][-1]
        assert event.actor_id == account("volunteer").id and "不会用手机" in event.reason
    # The community staff read it in words in the audit log.
    sign_in(auth, "staff")
    log = main_text(client.get("/audit?lang=en").get_data(as_text=True))
    assert "Joined the volunteer register, with consent" in log and "不会用手机" in log


def test_a_volunteer_account_keeps_its_own_entry_and_sees_no_one_else(client, auth):
    sign_in(auth, "volunteer")
    mine = main_text(client.get("/volunteers/me?lang=en").get_data(as_text=True))
    assert "Your volunteer entry" in mine and "会讲温州话" in mine
    # The staff's pages are not for a volunteer.
    assert client.get("/volunteers").status_code == 403
    assert client.get("/volunteers/plan").status_code == 403


# -- the staff's pages ----------------------------------------------------------------------------
def test_staff_list_plan_and_contact_on_request(app, client, auth):
    with app.app_context():
        entry = db.session.scalars(
            db.select(Volunteer)
            .where(Volunteer.resident_id.is_not(None), Volunteer.grid_id == 1)
            .order_by(Volunteer.id)
        ).first()
        name, phone, vid = entry.resident.name, entry.resident.phone, entry.id
    sign_in(auth, "staff")
    page = main_text(client.get("/volunteers?lang=en").get_data(as_text=True))
    assert name[0] + "*" in page and name not in page and phone not in page
    assert "First aid" in page
    only_drivers = table_of(client.get("/volunteers?skill=driving&lang=en").get_data(as_text=True))
    assert "Driving people" in only_drivers and "Small repairs" not in only_drivers
    saturday = main_text(client.get("/volunteers?day=5&part=morning&grid=1&lang=en").get_data(as_text=True))
    assert "Saturday morning" in saturday
    plan = main_text(client.get("/volunteers/plan?lang=zh").get_data(as_text=True))
    assert "幢" in plan and re.search(r"[1-9]\d* 名志愿者", plan) and "0 名志愿者" in plan
    # The contact: only on request, and every showing is audited.
    with app.app_context():
        before = len(events("volunteer.contact_view"))
    for _ in range(2):
        shown = client.submit(f"/volunteers/{vid}/contact?lang=en", {"back": "/volunteers"})
        assert (
            shown.status_code == 200 and name in shown.get_data(as_text=True) and phone in shown.get_data(as_text=True)
        )
    with app.app_context():
        after = events("volunteer.contact_view")
        assert len(after) == before + 2 and after[-1].actor_id == account("staff").id
    assert client.submit("/volunteers/999999/contact").status_code == 404


def test_a_grid_worker_sees_only_the_volunteers_of_their_grids(app, client, auth):
    with app.app_context():
        elsewhere = db.session.scalars(db.select(Volunteer).where(Volunteer.grid_id.not_in([1, 2]))).first()
        outside = elsewhere.id if elsewhere is not None else None
        names = [v.resident.name for v in db.session.scalars(db.select(Volunteer).where(Volunteer.grid_id == 3))]
    sign_in(auth, "gridworker")
    page = main_text(client.get("/volunteers?grid=3&lang=en").get_data(as_text=True))
    for name in names:
        assert name[0] + "*" + name[-1] not in page or len(name) < 3
    if outside is not None:
        assert client.submit(f"/volunteers/{outside}/contact").status_code == 404


# -- call-outs ------------------------------------------------------------------------------------
def test_a_call_out_reaches_the_outbox_and_the_link_answers_without_signing_in(app, client, auth):
    sign_in(auth, "staff")
    bad = client.submit("/volunteers/callouts?lang=en", {"grid": "1", "day": "5", "message": ""})
    assert bad.status_code == 200 and "Write the message" in bad.get_data(as_text=True)
    assert "Choose both a day and a part of the day" in bad.get_data(as_text=True)
    nobody = client.submit("/volunteers/callouts?lang=en", {"grid": "1", "skill": "driving", "day": "0",
                                                            "part": "evening", "message": "周一晚上开车"})  # fmt: skip
    assert nobody.status_code == 200 and "No volunteer of this grid matches" in nobody.get_data(as_text=True)
    sent = client.submit("/volunteers/callouts", {"grid": "1", "skill": "", "message": "明天上午帮忙打扫活动室"})
    assert sent.status_code == 303
    callout_id = int(sent.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        replies = db.session.scalars(db.select(CallOutReply).where(CallOutReply.callout_id == callout_id)).all()
        in_grid = db.session.scalar(db.select(db.func.count()).where(Volunteer.grid_id == 1))
        assert len(replies) == in_grid >= 3
        texts = db.session.scalars(db.select(OutboxMessage.text).where(OutboxMessage.kind == "volunteer.callout")).all()
        link = next(t for t in texts if "明天上午帮忙打扫活动室" in t)
        names = [
            v.resident.name for v in db.session.scalars(db.select(Volunteer).where(Volunteer.resident_id.is_not(None)))
        ]
    token = re.search(r"/v/(\S+)", link).group(1)
    who = main_text(client.get(f"/volunteers/callouts/{callout_id}?lang=en").get_data(as_text=True))
    assert "Coming: 0 · Cannot come: 0 · No answer yet: " in who
    client.post("/logout", data={"csrf_token": client.csrf_token})
    # The link: no sign-in, the message, and nothing personal.
    fresh = app.test_client()
    page = fresh.get(f"/v/{token}?lang=en")
    body = main_text(page.get_data(as_text=True))
    assert page.status_code == 200 and "明天上午帮忙打扫活动室" in body
    assert not any(name in body or (name[0] + "*") in body for name in names)
    assert not re.search(r"1[3-9]\d{9}", body)
    yes = fresh.submit(f"/v/{token}", {"answer": "yes"})
    assert yes.status_code == 303
    assert "The staff see that you are coming" in fresh.get(yes.headers["Location"] + "&lang=en").get_data(as_text=True)
    # A second tap on the old message's "no" (it names no earlier answer) does not overturn it silently.
    again = fresh.submit(f"/v/{token}?lang=en", {"answer": "no"})
    assert again.status_code == 200 and "changed a moment ago" in again.get_data(as_text=True)
    assert fresh.get("/v/not-a-token").status_code == 404
    sign_in(auth, "staff")
    who = main_text(client.get(f"/volunteers/callouts/{callout_id}?lang=en").get_data(as_text=True))
    assert "Coming: 1 · " in who and "from the message" in who


def test_a_grid_worker_ticks_an_answer_after_a_call(app, client, auth):
    with app.app_context():
        callout = db.session.scalars(db.select(CallOut).where(CallOut.message == CALLOUT_MESSAGE)).one()
        waiting = db.session.scalars(
            db.select(CallOutReply).where(CallOutReply.callout_id == callout.id, CallOutReply.answer.is_(None))
        ).first()
        callout_id, reply_id = callout.id, waiting.id
    sign_in(auth, "gridworker")
    page = main_text(client.get(f"/volunteers/callouts/{callout_id}?lang=en").get_data(as_text=True))
    assert "Coming: 1 · Cannot come: 1" in page and "ticked after a call" in page
    done = client.submit(f"/volunteers/callouts/{callout_id}/replies/{reply_id}", {"answer": "yes", "expected": ""})
    assert done.status_code == 303
    page = main_text(client.get(done.headers["Location"] + "&lang=en").get_data(as_text=True))
    assert "Coming: 2 · Cannot come: 1" in page
    # The same tick from a page loaded before it is refused in words, not applied twice.
    stale = client.submit(
        f"/volunteers/callouts/{callout_id}/replies/{reply_id}?lang=en", {"answer": "no", "expected": ""}
    )
    assert stale.status_code == 200 and "changed a moment ago" in stale.get_data(as_text=True)
    with app.app_context():
        ticked = [e for e in events("volunteer.answer_call") if f"callout={callout_id}" in e.detail]
        assert ticked[-1].actor_id == account("gridworker").id and "answer=yes" in ticked[-1].detail
    sign_in(auth, "staff")
    log = main_text(client.get("/audit?lang=en").get_data(as_text=True))
    assert "answer to a call-out after phoning them" in log
