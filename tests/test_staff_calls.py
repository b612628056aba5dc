"""Call a staff member: the button on every kiosk screen, the staff's list (htmx fragment, paging and a
fixed number of SQL queries), answering, the resident's agreement to be named, escalation after 5
minutes through the outbox, and the count of calls per kiosk and hour."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from portal.extensions import db
from portal.models import Account, Kiosk, OutboxMessage, StaffCall
from portal.services import clock as portal_clock
from portal.services.staff_calls import calls_per_kiosk_hour, hour_of

from tests.support.kiosk import demo_kiosk_id
from tests.support.records import audit_events
from tests.support.signin import sign_in

LIST = "/admin/kiosks/calls"


def staff_client(app, username="staff"):
    from tests.support.signin import Auth

    client = app.test_client()
    sign_in(Auth(client), username)
    return client


def calls(app) -> list[StaffCall]:
    with app.app_context():
        return [(c.state, c.kiosk_id, c.resident_id) for c in db.session.scalars(db.select(StaffCall))]


@pytest.mark.parametrize("path", ["/kiosk", "/kiosk/join", "/kiosk/identify", "/kiosk/identify/phone", "/kiosk/call"])
def test_every_kiosk_screen_has_the_call_button_as_a_plain_form(kiosk, path):
    html = kiosk.get(path).get_data(as_text=True)
    assert 'action="/kiosk/call"' in html and "呼叫工作人员" in html
    assert "Call a staff member" in kiosk.get(path + "?lang=en").get_data(as_text=True)


def test_a_call_is_answered_by_staff_and_the_kiosk_says_who_is_coming(app, kiosk):
    response = kiosk.submit("/kiosk/call", {})
    assert response.status_code == 303 and response.headers["Location"] == "/kiosk/call"
    html = kiosk.get("/kiosk/call").get_data(as_text=True)
    assert "<h1>有人会来帮您</h1>" in html and "请留在这台屏幕前" in html
    kiosk.submit("/kiosk/call", {})  # pressed again: the same call
    assert calls(app) == [("waiting", demo_kiosk_id(app), None)]

    staff = staff_client(app)
    page = staff.get(LIST)
    listed = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert "1 个呼叫等待回应" in listed and "南湖社区服务中心" in listed and "还没有人回应" in listed
    with app.app_context():
        call_id = db.session.scalars(db.select(StaffCall.id)).one()
    assert staff.submit(f"{LIST}/{call_id}/coming").status_code == 303
    assert "正在赶来" in kiosk.get("/kiosk/call").get_data(as_text=True)
    assert staff.submit(f"{LIST}/{call_id}/coming").status_code == 303  # a second "I'm coming" changes nothing
    assert staff.submit(f"{LIST}/{call_id}/done").status_code == 303
    done = kiosk.get("/kiosk/call").get_data(as_text=True)
    assert "工作人员已把您的呼叫标记为完成" in done and "再次呼叫工作人员" in done
    actions = [e["action"] for e in audit_events(app) if e["action"].startswith("kiosk.call")]
    assert actions == ["kiosk.call", "kiosk.call_answer", "kiosk.call_done"]
    # Done: the next press is a new call.
    kiosk.submit("/kiosk/call", {})
    assert [state for state, _k, _r in calls(app)] == ["done", "waiting"]


def test_the_resident_is_named_only_when_identified_and_agreeing(app, kiosk, senior):
    kiosk.submit("/kiosk/call", {})
    assert "显示我的名字" not in kiosk.get("/kiosk/call").get_data(as_text=True)
    assert kiosk.submit("/kiosk/call/share", {}).status_code == 303
    assert calls(app)[0][2] is None  # not identified: nothing to share
    kiosk.submit("/kiosk/identify", {"token": senior["token"], "next": ""})
    html = kiosk.get("/kiosk/call").get_data(as_text=True)
    assert "显示我的名字" in html
    masked = senior["name"][0] + "*" * (len(senior["name"]) - 2) + senior["name"][-1]
    assert masked not in staff_client(app).get(LIST).get_data(as_text=True)
    kiosk.submit("/kiosk/call/share", {})
    assert calls(app)[0][2] == senior["id"]
    listed = staff_client(app).get(LIST).get_data(as_text=True)
    assert masked in listed and senior["name"] not in listed
    assert [e["resident_id"] for e in audit_events(app, "kiosk.call_share")] == [senior["id"]]


def test_another_communitys_staff_neither_see_nor_answer_the_call(app, kiosk):
    kiosk.submit("/kiosk/call", {})
    with app.app_context():
        other = Account(username="staff2", display_name="北岸社工", role="staff", community_id=2)
        other.set_password("linli-demo")
        db.session.add(other)
        db.session.commit()
        call_id = db.session.scalars(db.select(StaffCall.id)).one()
    client = staff_client(app, "staff2")
    assert "南湖社区服务中心" not in client.get(LIST).get_data(as_text=True)
    assert client.submit(f"{LIST}/{call_id}/coming").status_code == 404
    assert calls(app)[0][0] == "waiting"
    assert "南湖社区服务中心" in staff_client(app, "admin").get(LIST).get_data(as_text=True)


def test_a_call_nobody_answers_in_5_minutes_is_escalated_once(app, kiosk, runner, clock):
    kiosk.submit("/kiosk/call", {})
    clock.shift(4 * 60)
    assert "Escalated 0 unanswered kiosk call(s)." in runner.invoke(args=["escalate-overdue"]).output
    clock.shift(61)
    assert "Escalated 1 unanswered kiosk call(s)." in runner.invoke(args=["escalate-overdue"]).output
    assert "Escalated 0 unanswered kiosk call(s)." in runner.invoke(args=["escalate-overdue"]).output
    with app.app_context():
        messages = db.session.scalars(db.select(OutboxMessage).filter_by(kind="kiosk.call_unanswered")).all()
        assert [m.account.username for m in messages] == ["staff"]
        assert "南湖社区服务中心" in messages[0].text and "没有人回应" in messages[0].text
    assert "已发给全部工作人员" in staff_client(app).get(LIST).get_data(as_text=True)


def test_reading_the_staff_list_escalates_too(app, kiosk, clock):
    kiosk.submit("/kiosk/call", {})
    clock.shift(6 * 60)
    staff_client(app).get(LIST)
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count()).select_from(OutboxMessage).filter_by(kind="kiosk.call_unanswered")
            )
            == 1
        )


def add_calls(app, count):
    """`count` finished calls and one waiting call per demo kiosk, answered by staff, some with residents."""
    with app.app_context():
        kiosk = db.session.get(Kiosk, demo_kiosk_id(app))
        staff = db.session.scalars(db.select(Account).filter_by(username="staff")).one()
        now = portal_clock.utcnow()
        for n in range(count):
            at = now - timedelta(minutes=n + 1)
            db.session.add(
                StaffCall(
                    kiosk_id=kiosk.id,
                    community_id=kiosk.community_id,
                    raised_at=at,
                    hour=hour_of(at),
                    state="done",
                    answered_by_id=staff.id,
                    answered_at=at,
                    done_at=at,
                    resident_id=1 + n % 40,
                )
            )
        db.session.add(StaffCall(kiosk_id=kiosk.id, community_id=kiosk.community_id, raised_at=now, hour=hour_of(now)))
        db.session.commit()


def statements_for(app, client, url) -> int:
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_the_list_is_paged_and_its_queries_do_not_grow_with_the_calls(app):
    staff = staff_client(app)
    add_calls(app, 2)
    few = statements_for(app, staff, LIST)
    more = 60
    with app.app_context():
        db.session.execute(db.delete(StaffCall))
        db.session.commit()
    add_calls(app, more)
    many = statements_for(app, staff, LIST)
    assert many == few, (few, many)
    html = staff.get(LIST).get_data(as_text=True)
    assert html.count('class="queue-item') == 20 and "较早的呼叫" in html and "较新的呼叫" not in html
    assert html.index("还没有人回应") < html.index("完成于")  # the waiting call comes first
    last = staff.get(LIST + "?page=4").get_data(as_text=True)
    assert last.count('class="queue-item') == 1 and "较新的呼叫" in last and "较早的呼叫" not in last
    for odd in ("?page=0", "?page=-3", "?page=99999999999999", "?page=x"):
        assert staff.get(LIST + odd).status_code == 200


def test_htmx_polling_gets_only_the_list(app, kiosk):
    kiosk.submit("/kiosk/call", {})
    fragment = staff_client(app).get(LIST, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<section class="call-list"') and "<html" not in fragment
    assert 'hx-trigger="every 10s"' in fragment
    status = kiosk.get("/kiosk/call", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert status.lstrip().startswith('<div class="call-status"') and 'hx-trigger="every 5s"' in status


def test_calls_are_counted_per_kiosk_and_hour(app, kiosk):
    add_calls(app, 3)
    with app.app_context():
        counts = calls_per_kiosk_hour(db.session, community_id=1)
        assert sum(n for _k, _h, n in counts) == 4
        assert {k for k, _h, _n in counts} == {demo_kiosk_id(app)}
        assert calls_per_kiosk_hour(db.session, community_id=2) == []
