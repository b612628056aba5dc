"""Working on requests: the grid worker's queue, lifecycle buttons, reassignment, the audited phone
number, the staff overdue view with escalation, and category admin (the audit log: test_audit_log.py)."""

from portal.extensions import db
from portal.models import Account, Category, OutboxMessage, Poll, Request, Resident

from tests.support.identity import identify_on_web
from tests.support.records import audit_events
from tests.support.signin import sign_in


def request_row(app, ticket) -> dict:
    with app.app_context():
        r = db.session.scalars(db.select(Request).filter_by(ticket=ticket)).one()
        return {
            "state": r.state,
            "assignee": r.assignee.username if r.assignee else None,
            "events": [(e.kind, e.to_state, e.note, e.actor.username if e.actor else None) for e in r.events],
        }


def test_the_grid_workers_queue_puts_overdue_first_with_words(client, auth):
    sign_in(auth, "gridworker")
    html = client.get("/requests/queue?lang=en").get_data(as_text=True)
    assert "My requests" in html
    overdue, in_progress = html.index("HFT4-WR9C"), html.index("K7MX-3PQA")
    assert overdue < in_progress
    item = html[html.rindex("<li", 0, overdue) : overdue]
    assert "is-overdue" in item and "overdue-flag" in item and "overdue by 2 days" in item
    assert "DNP7-QX3E" not in html and "CYW3-EA7N" not in html  # grid 3 and the other community
    assert "MRJ9-TK4A" not in html  # resolved: not in the default "not finished" list
    resolved = client.get("/requests/queue?state=resolved&lang=en").get_data(as_text=True)
    assert "MRJ9-TK4A" in resolved and "K7MX-3PQA" not in resolved


def test_queue_filter_answers_htmx_with_the_list_only(client, auth):
    sign_in(auth, "gridworker")
    response = client.get("/requests/queue?state=all", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="queue-list"' in html and "MRJ9-TK4A" in html


def test_staff_see_the_community_staff_queue_and_can_see_all(client, auth):
    sign_in(auth, "staff")
    html = client.get("/requests/queue?lang=en").get_data(as_text=True)
    assert "DNP7-QX3E" in html and "K7MX-3PQA" not in html and "CYW3-EA7N" not in html
    html = client.get("/requests/queue?whose=all&lang=en").get_data(as_text=True)
    assert "DNP7-QX3E" in html and "K7MX-3PQA" in html and "CYW3-EA7N" not in html


def test_lifecycle_buttons_move_a_request_and_notes_reach_the_status_page(app, client, auth):
    sign_in(auth, "gridworker")
    page = client.get("/requests/HFT4WR9C?lang=en").get_data(as_text=True)
    assert 'name="to" value="accepted"' in page and 'name="to" value="resolved"' not in page
    assert client.submit("/requests/HFT4WR9C/transition", {"to": "accepted", "note": ""}).status_code == 303
    client.get("/requests/HFT4WR9C")
    client.submit("/requests/HFT4WR9C/transition", {"to": "in_progress", "note": "清洁工下午来"})
    client.get("/requests/HFT4WR9C")
    client.submit("/requests/HFT4WR9C/transition", {"to": "resolved", "note": "垃圾已清运"})
    row = request_row(app, "HFT4WR9C")
    assert row["state"] == "resolved"
    assert row["events"][-3:] == [
        ("state", "accepted", "", "gridworker"),
        ("state", "in_progress", "清洁工下午来", "gridworker"),
        ("state", "resolved", "垃圾已清运", "gridworker"),
    ]
    status = client.get("/requests/status/HFT4WR9C?lang=en").get_data(as_text=True)
    assert "垃圾已清运" in status and "It has been dealt with" in status


def test_refusals_are_explained_on_the_request_page(app, client, auth):
    sign_in(auth, "gridworker")
    client.get("/requests/HFT4WR9C")
    response = client.submit("/requests/HFT4WR9C/transition?lang=en", {"to": "referred", "note": " "})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Write a note for this step" in html and 'href="#note"' in html
    html = client.submit("/requests/HFT4WR9C/transition?lang=en", {"to": "closed"}).get_data(as_text=True)
    assert "That step is not possible" in html and 'href="#to"' in html
    assert request_row(app, "HFT4WR9C")["state"] == "submitted"
    client.submit("/requests/HFT4WR9C/transition", {"to": "referred", "note": "已转交环卫所处理"})
    assert request_row(app, "HFT4WR9C")["state"] == "referred"


def test_reassignment_needs_a_reason_and_moves_the_request(app, client, auth):
    sign_in(auth, "staff")
    client.get("/requests/DNP7QX3E")
    with app.app_context():
        worker_id = db.session.scalars(db.select(Account.id).filter_by(username="gridworker")).one()
    html = client.submit("/requests/DNP7QX3E/reassign?lang=en", {"assignee": str(worker_id)}).get_data(as_text=True)
    assert "Say why you are handing it on" in html
    client.submit("/requests/DNP7QX3E/reassign", {"assignee": str(worker_id), "reason": "李网格员本周代管三网格"})
    row = request_row(app, "DNP7QX3E")
    assert row["assignee"] == "gridworker"
    assert row["events"][-1] == ("reassigned", None, "李网格员本周代管三网格", "staff")
    # The reason is for staff only: not on the public status page.
    assert "李网格员本周代管三网格" not in client.get("/requests/status/DNP7QX3E").get_data(as_text=True)
    sign_in(auth, "gridworker")
    assert "DNP7-QX3E" in client.get("/requests/queue").get_data(as_text=True)


def test_showing_the_full_phone_number_is_audited(app, client, auth):
    with app.app_context():
        req = db.session.scalars(db.select(Request).filter_by(ticket="K7MX3PQA")).one()
        phone, resident_id = req.resident.phone, req.resident_id
    sign_in(auth, "gridworker")
    page = client.get("/requests/K7MX3PQA?lang=en").get_data(as_text=True)
    assert phone not in page and phone[-4:] in page and "Show the full number" in page
    assert audit_events(app, "phone.view") == []
    response = client.submit("/requests/K7MX3PQA/phone", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert f'href="tel:{phone}"' in html and "<html" not in html
    [event] = audit_events(app, "phone.view")
    assert (event["actor"], event["resident_id"]) == ("gridworker", resident_id)
    assert "K7MX-3PQA" in event["detail"] and event["reason"]
    # Without JavaScript the same button gives the whole page, with the number.
    client.get("/requests/K7MX3PQA")
    assert phone in client.submit("/requests/K7MX3PQA/phone").get_data(as_text=True)
    assert len(audit_events(app, "phone.view")) == 2


def test_the_overdue_view_escalates_once_and_lists_overdue_first(app, client, auth):
    sign_in(auth, "staff")
    html = client.get("/requests/overdue?lang=en").get_data(as_text=True)
    assert "HFT4-WR9C" in html and "overdue by 2 days" in html and "K7MX-3PQA" not in html
    client.get("/requests/overdue")
    with app.app_context():
        messages = db.session.scalars(db.select(OutboxMessage).filter_by(channel="staff")).all()
        staff_id = db.session.scalars(db.select(Account.id).filter_by(username="staff")).one()
        assert len(messages) == 1 and messages[0].account_id == staff_id and "HFT4-WR9C" in messages[0].text
    assert ("escalated", None) in [(k, s) for k, s, _n, _a in request_row(app, "HFT4WR9C")["events"]]


def test_escalate_overdue_command(runner, app):
    assert "Escalated 1 overdue request(s)." in runner.invoke(args=["escalate-overdue"]).output
    assert "Escalated 0 overdue request(s)." in runner.invoke(args=["escalate-overdue"]).output


# -- categories --------------------------------------------------------------------------------
def test_admin_adds_changes_and_switches_off_a_category(app, client, auth):
    sign_in(auth, "admin")
    client.get("/requests/categories/new")
    html = client.submit(
        "/requests/categories/new?lang=en",
        {"code": "Bad Code", "name": "", "name_en": "Lifts", "hours_to_accept": "0", "days_to_resolve": "x"},
    ).get_data(as_text=True)
    for message in ("Enter a short code", "Enter the Chinese name", "from 1 to 720", "from 1 to 365"):
        assert message in html
    assert 'value="Lifts"' in html
    response = client.submit(
        "/requests/categories/new",
        {
            "code": "lifts",
            "name": "电梯",
            "name_en": "Lifts",
            "hours_to_accept": "6",
            "days_to_resolve": "3",
            "active": "yes",
        },
    )
    assert response.headers["Location"] == "/requests/categories?saved=1"
    html = client.submit(
        "/requests/categories/new?lang=en",
        {"code": "lifts", "name": "电梯", "name_en": "Lifts", "hours_to_accept": "6", "days_to_resolve": "3"},
    ).get_data(as_text=True)
    assert "Another category already uses this code" in html
    with app.app_context():
        lifts = db.session.scalars(db.select(Category).filter_by(code="lifts")).one()
        lifts_id = lifts.id
        assert (lifts.hours_to_accept, lifts.days_to_resolve, lifts.active) == (6, 3, True)
    assert "电梯" in client.get("/requests/categories").get_data(as_text=True)
    client.submit(
        f"/requests/categories/{lifts_id}",
        {"name": "电梯", "name_en": "Lifts", "hours_to_accept": "2", "days_to_resolve": "1", "position": "5"},
    )
    with app.app_context():
        lifts = db.session.get(Category, lifts_id)
        assert (lifts.hours_to_accept, lifts.active, lifts.code) == (2, False, "lifts")
    html = client.submit(
        f"/requests/categories/{lifts_id}?lang=en",
        {"name": "电梯", "name_en": "Lifts", "hours_to_accept": "72", "days_to_resolve": "1"},
    ).get_data(as_text=True)
    assert "cannot be shorter than the time to accept" in html


def test_a_switched_off_category_is_not_offered(app, client):
    with app.app_context():
        db.session.scalars(db.select(Category).filter_by(code="other")).one().active = False
        db.session.commit()
        senior = db.session.scalars(
            db.select(Resident).where(Resident.phone.is_not(None)).order_by(Resident.id)
        ).first()
        phone, year = senior.phone, senior.birth_year
    client.get("/identify")
    identify_on_web(client, phone, year)
    client.get("/requests/new")
    html = client.get("/requests/new/category?lang=en").get_data(as_text=True)
    assert "Repairs" in html and ">Other<" not in html


def test_new_pages_in_english_show_no_chinese_outside_names_and_resident_text(app, client, auth):
    """English is complete: only residents' names, what they wrote and the notes for them stay Chinese."""
    import re

    with app.app_context():
        written = [r.description for r in db.session.scalars(db.select(Request))]
        written += [e.note for r in db.session.scalars(db.select(Request)) for e in r.events if e.note]
        number = db.session.scalars(db.select(Resident.number).where(Resident.grid_id == 1)).first()
        written += [c.name for c in db.session.scalars(db.select(Category))]  # the admin list shows both names
        written += [p.question for p in db.session.scalars(db.select(Poll))]  # staff's words, named in the audit log

    def chinese_left(html):
        body = re.sub(r"<[^>]*>", " ", html.split("<body", 1)[1])
        for text in written:
            body = body.replace(text, " ")
        body = re.sub(
            r"[\u4e00-\u9fff]\*+[\u4e00-\u9fff]?|[\u4e00-\u9fff]+(网格员|社工|志愿者|护士|管理员)|系统管理员", " ", body
        )
        return [w for w in re.findall(r"[\u4e00-\u9fff]+", body) if w not in ("中文", "邻里")]

    client.get("/?lang=en")
    pages = {
        None: ["/requests/status", "/requests/status/K7MX3PQA", "/requests/status?ticket=x"],
        "gridworker": [
            "/me",
            "/assist",
            "/assist?q=1",
            f"/assist/residents/{number}",
            "/requests/queue",
            "/requests/K7MX3PQA",
            "/requests/new/resident?q=1",
        ],
        "staff": ["/me", "/requests/overdue", "/requests/queue?whose=all", "/audit"],
        "admin": ["/requests/categories", "/requests/categories/1"],
    }
    found = {}
    for user, urls in pages.items():
        if user:
            sign_in(auth, user)
        for url in urls:
            left = chinese_left(client.get(url).get_data(as_text=True))
            if left:
                found[url] = left[:10]
    assert not found, found


def test_for_a_resident_without_a_phone_the_family_contact_is_masked_until_asked(app, client, auth):
    with app.app_context():
        contact = db.session.scalars(db.select(Request).filter_by(ticket="CYW3EA7N")).one().resident.family_contact
    digits = "".join(ch for ch in contact if ch.isdigit())
    sign_in(auth, "admin")
    page = client.get("/requests/CYW3EA7N?lang=en").get_data(as_text=True)
    assert digits not in page and digits[-4:] in page and "Family contact:" in page
    html = client.submit("/requests/CYW3EA7N/phone?lang=en").get_data(as_text=True)
    assert digits in html
    [event] = audit_events(app, "phone.view")
    assert event["detail"] == "ticket=CYW3-EA7N; number=family"
    assert "the family contact" in client.get("/audit?lang=en").get_data(as_text=True)
