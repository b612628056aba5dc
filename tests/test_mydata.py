"""My information (个人信息): everything kept about a resident, its download, and asking for a correction."""

import json

from portal.extensions import db
from portal.models import AuditEvent, DataRequest, Resident
from portal.services.cards import card_token

from tests.support.flows import main_text
from tests.support.mydata import CHANNELS, NAME, PHONE, SIGNUP_CHANNELS, other_staff, resident_with_everything


def identify_with_card(app, client, resident_id):
    with app.app_context():
        token = card_token(db.session.get(Resident, resident_id), app.config["SECRET_KEY"])
    client.get("/identify")
    assert client.submit("/identify", {"token": token}).status_code == 303


def test_the_download_holds_every_kind_of_record_made_through_every_channel(app, client):
    with app.app_context():
        made = resident_with_everything(app)
    identify_with_card(app, client, made["id"])
    response = client.get("/my-information/download.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "charset=utf-8" in response.headers["Content-Type"]
    body = response.data.decode("utf-8")
    assert NAME in body  # written as Chinese characters, not \\u escapes
    data = json.loads(body)
    assert data["resident"]["name"] == NAME and data["resident"]["phone"] == PHONE
    assert data["resident"]["channel"] == "gridworker" and data["resident"]["entered_by"]
    assert {b["channel"] for b in data["bookings"]} == set(CHANNELS)
    assert {r["channel"] for r in data["requests"]} == set(CHANNELS)
    assert made["past_booking"] in {b["reference"] for b in data["bookings"]}
    assert all(r["timeline"] and r["timeline"][0]["kind"] == "filed" for r in data["requests"])
    assert {b["entered_by"] for b in data["bookings"] if b["channel"] == "volunteer"} != {""}
    assert [c["action"] for c in data["cards"]] == ["card.reissue"]
    assert [v["action"] for v in data["phone_views"]] == ["phone.view"] and data["phone_views"][0]["by"]
    assert data["messages"] and all(m["text"] for m in data["messages"])
    assert [a["field"] for a in data["data_requests"]] == ["room"]
    assert len(data["audit"]) >= len(CHANNELS) * 2
    signups = {s["ticket_code"]: s for s in data["activity_signups"]}
    assert set(made["signups"]) <= set(signups)
    assert {signups[code]["channel"] for code in made["signups"]} == set(SIGNUP_CHANNELS)
    helped = [signups[code] for code in made["signups"] if signups[code]["channel"] in ("volunteer", "staff")]
    assert all(s["entered_by"] for s in helped) and any(s["at_desk"] for s in helped)
    assert (
        signups[made["waiting_code"]]["state"] == "waiting" and signups[made["waiting_code"]]["waiting_position"] == 1
    )
    assert {"attended"} == {s["state"] for s in signups.values() if s["attended_at"]}
    assert all(s["activity"] and s["place"] and s["starts_at"] for s in signups.values())
    [read] = data["notice_reads"]
    assert (
        read["notice"] == "测试停水通知" and read["channel"] == "volunteer" and read["entered_by"] and read["read_at"]
    )


def test_my_information_shows_the_record_masked_and_the_full_number_on_request(app, client):
    with app.app_context():
        made = resident_with_everything(app)
    identify_with_card(app, client, made["id"])
    page = main_text(client.get("/my-information?lang=en").get_data(as_text=True))
    record = page.split('id="kind-')[0]  # (the requests below quote the number the resident wrote in them)
    assert NAME in record and "137****4433" in record and PHONE not in record
    assert "Health appointments" in page and "Who saw your full phone number" in page
    signups = page.split('id="kind-activity_signups"')[1].split("</section>")[0]
    assert "7 records." in signups and "On the waiting list: number 1" in signups and "by a volunteer (" in signups
    assert "测试停水通知" in page.split('id="kind-notice_reads"')[1].split("</section>")[0]
    shown = main_text(client.submit("/my-information/phone", {}).get_data(as_text=True))
    assert PHONE in shown.split('id="kind-')[0]
    # Seven appointments, five on the page and the rest a click away, paged.
    listed = client.get("/my-information/records/bookings").get_data(as_text=True)
    assert all(reference[:4] for reference in made["bookings"]) and listed.count('class="panel"') == 7
    assert client.get("/my-information/records/nonsense").status_code == 404
    all_signups = client.get("/my-information/records/activity_signups?lang=en").get_data(as_text=True)
    assert all_signups.count('class="panel"') == 7 and "Came" in all_signups
    printed = client.get("/my-information/print?lang=en").get_data(as_text=True)
    assert "Print my information" in printed and NAME in printed


def test_a_correction_goes_to_the_staff_of_the_community_only_and_the_resident_sees_the_outcome(app, client, auth):
    with app.app_context():
        made = resident_with_everything(app)
        other_staff()
    identify_with_card(app, client, made["id"])
    odd = {"field": "name", "what_is_wrong": "x\x00" + "长" * 5000, "should_be": ""}
    refused = client.submit("/my-information/correct?lang=en", odd)
    assert refused.status_code == 200 and "There is a problem" in refused.get_data(as_text=True)
    assert (
        client.submit("/my-information/correct", {"field": "１", "what_is_wrong": "a", "should_be": "b"}).status_code
        == 200
    )
    sent = client.submit("/my-information/correct", {"field": "room", "what_is_wrong": "错了", "should_be": "1301"})
    assert sent.status_code == 303
    with app.app_context():
        ask = db.session.scalars(db.select(DataRequest).filter_by(should_be="1301")).one()
        ask_id = ask.id

    other = app.test_client()
    other_auth = type(auth)(other)
    assert other_auth.login("otherstaff").status_code == 303
    assert f"/data-requests/{ask_id}" not in other.get("/data-requests").get_data(as_text=True)
    assert other.get(f"/data-requests/{ask_id}").status_code == 404
    assert other.submit(f"/data-requests/{ask_id}", {"action": "apply", "value": "9999"}).status_code == 404

    staff = app.test_client()
    staff_auth = type(auth)(staff)
    assert staff_auth.login("staff").status_code == 303
    assert f"/data-requests/{ask_id}" in staff.get("/data-requests").get_data(as_text=True)
    bad = staff.submit(f"/data-requests/{ask_id}?lang=en", {"action": "apply", "value": "\x00" * 100})
    assert bad.status_code == 200 and "There is a problem" in bad.get_data(as_text=True)
    assert staff.submit(f"/data-requests/{ask_id}", {"action": "apply", "value": "1301"}).status_code == 303
    # A second click (another tab) changes nothing more.
    assert staff.submit(f"/data-requests/{ask_id}", {"action": "decline", "note": "no"}).status_code == 200
    with app.app_context():
        assert db.session.get(Resident, made["id"]).room == "1301"
        assert db.session.get(DataRequest, ask_id).state == "applied"
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="mydata.correction_apply")).one()
        assert event.detail == "field=room" and "1301" not in event.reason + event.detail
    page = main_text(client.get("/my-information?lang=en").get_data(as_text=True))
    assert "Done: your record was changed" in page and "1301" in page


def test_a_helper_sees_it_only_in_an_assisted_session_and_is_audited(app, client, auth):
    from tests.support.flows import start_assisting
    from tests.support.records import audit_events, resident_in

    senior = resident_in(app, 1)
    assert auth.login("gridworker").status_code == 303
    assert client.get("/my-information").headers["Location"].startswith("/assist")
    start_assisting(client, senior["number"])
    assert client.get("/my-information").status_code == 200
    client.submit("/my-information/phone", {})
    actions = [e["action"] for e in audit_events(app) if e["resident_id"] == senior["id"]]
    assert "mydata.view" in actions and "phone.view" in actions


def test_removal_asked_on_the_page_and_confirmed_in_the_queue(app, client, auth):
    with app.app_context():
        made = resident_with_everything(app)
    identify_with_card(app, client, made["id"])
    assert "Yes, ask to remove me" in client.get("/my-information/remove?lang=en").get_data(as_text=True)
    assert client.submit("/my-information/remove", {}).status_code == 303
    assert client.submit("/my-information/remove", {}).status_code == 303  # twice: still one ask
    with app.app_context():
        asks = db.session.scalars(db.select(DataRequest).filter_by(resident_id=made["id"], kind="removal")).all()
        assert len(asks) == 1
        ask_id = asks[0].id
    staff = app.test_client()
    assert type(auth)(staff).login("staff").status_code == 303
    assert "Remove this resident" in staff.get(f"/data-requests/{ask_id}?lang=en").get_data(as_text=True)
    assert staff.submit(f"/data-requests/{ask_id}", {"action": "apply"}).status_code == 303
    with app.app_context():
        removed = db.session.get(Resident, made["id"])
        assert removed.removed_at is not None and removed.name != NAME and removed.phone is None
