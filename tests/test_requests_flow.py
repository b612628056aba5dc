"""Filing a request by each channel, the receipt, status lookup, Open311 and the audit events."""
import io
import json

import pytest
from flask import g
from PIL import Image

from portal.extensions import db
from portal.models import Kiosk, Request

from .identity_helpers import identify_on_web
from .helpers_requests import (audit_events, file_through_the_steps, last_request, resident_in, sign_in,
                               start_assisting)


@pytest.fixture
def uploads(app, tmp_path):
    app.config["PORTAL_UPLOAD_FOLDER"] = str(tmp_path)
    return tmp_path


def identify(client, senior):
    client.get("/identify")
    response = identify_on_web(client, senior["phone"], senior["birth_year"], "/requests/new")
    assert response.headers["Location"] == "/requests/new"


def test_a_resident_is_asked_who_they_are_first(client):
    response = client.get("/requests/new")
    assert response.headers["Location"] == "/identify?next=/requests/new"


def test_a_resident_files_online_and_gets_a_receipt(app, client):
    senior = resident_in(app, 1)
    identify(client, senior)
    client.get("/?lang=en")
    receipt = file_through_the_steps(client, category_id=1, description="The stair light on floor 2 is broken")
    html = receipt.get_data(as_text=True)
    filed = last_request(app)
    ticket = f"{filed['ticket'][:4]}-{filed['ticket'][4:]}"
    assert receipt.status_code == 200
    assert "Your request has been sent" in html
    assert f'<p class="receipt-ticket">{ticket}</p>' in html
    assert "Repairs" in html and "The stair light on floor 2 is broken" in html
    assert "The grid worker for Grid 1, Nanhu Community" in html
    assert "Someone will take it on by" in html and "We aim to finish by" in html
    assert f"/requests/status/{filed['ticket']}" in html and "<svg" in html
    assert senior["phone"] not in html and "李网格员" not in html  # a role, not a person's phone or name
    assert (filed["channel"], filed["entered_by"], filed["resident_id"], filed["assignee"]) == (
        "online", None, senior["id"], "gridworker")
    [event] = audit_events(app, "request.file")
    assert (event["actor"], event["resident_id"], event["channel"]) == (None, senior["id"], "online")
    assert event["detail"] == f"ticket={ticket}; category=repairs"
    # The flow is finished: the receipt stays, the answers are gone.
    assert client.get(f"/requests/{filed['ticket']}/receipt").status_code == 200
    assert client.get("/requests/new/check").status_code == 303


def test_a_resident_in_a_grid_without_a_worker_goes_to_the_staff_queue(app, client, auth):
    senior = resident_in(app, 3)
    identify(client, senior)
    html = file_through_the_steps(client, location={"location": "other", "location_text": "北门自行车棚"},
                                  description="自行车棚的顶棚破了").get_data(as_text=True)
    assert "南湖社区居委会" in html or "南湖社区" in html
    filed = last_request(app)
    assert filed["assignee"] is None and filed["location_text"] == "北门自行车棚"
    sign_in(auth, "staff")
    queue = client.get("/requests/queue").get_data(as_text=True)
    assert filed["ticket"][:4] in queue


def test_a_volunteer_files_in_an_assisted_session(app, client, auth):
    senior = resident_in(app, 2)
    sign_in(auth, "volunteer")
    start_assisting(client, senior["number"], reason="Rubbish not collected")
    with app.app_context():
        from portal.models import Building
        building = db.session.scalars(db.select(Building).where(Building.grid_id == 2)).first()
    receipt = file_through_the_steps(client, category_id=2, location={"location": f"b{building.id}"})
    assert "您正在帮助：" in receipt.get_data(as_text=True)
    filed = last_request(app)
    assert (filed["channel"], filed["entered_by"], filed["resident_id"], filed["building_id"]) == (
        "volunteer", "volunteer", senior["id"], building.id)
    [event] = audit_events(app, "request.file")
    assert (event["actor"], event["resident_id"], event["reason"], event["channel"]) == (
        "volunteer", senior["id"], "Rubbish not collected", "volunteer")
    # The volunteer can see the receipt of what they entered, but not the request's working page.
    assert client.get(f"/requests/{filed['ticket']}/receipt").status_code == 200
    assert client.get(f"/requests/{filed['ticket']}").status_code == 403


def test_a_volunteer_without_a_session_is_sent_to_help_a_resident(client, auth):
    sign_in(auth, "volunteer")
    assert client.get("/requests/new").headers["Location"] == "/assist"


def test_a_grid_worker_files_directly_for_a_resident_of_their_grid(app, client, auth):
    senior = resident_in(app, 1, with_phone=False)
    sign_in(auth, "gridworker")
    html = client.get(f"/requests/new/resident?q={senior['name'][0]}&lang=en").get_data(as_text=True)
    assert f"/requests/new/for/{senior['number']}" in html
    assert client.get(f"/requests/new/for/{senior['number']}").headers["Location"] == "/requests/new/category"
    client.submit("/requests/new/category", {"category": "5"})
    client.submit("/requests/new/description", {"description": "独居老人，最近腿疼，需要上门看看"})
    client.submit("/requests/new/location", {"location": "none"})
    client.submit("/requests/new/photo", {}, content_type="multipart/form-data")
    check = client.get("/requests/new/check?lang=en").get_data(as_text=True)
    assert "Check your request before sending it" in check and "独居老人" in check
    sent = client.submit("/requests/new/check")
    assert "/receipt" in sent.headers["Location"]
    filed = last_request(app)
    assert (filed["channel"], filed["entered_by"], filed["resident_id"], filed["assignee"]) == (
        "gridworker", "gridworker", senior["id"], "gridworker")
    [event] = audit_events(app, "request.file")
    assert event["actor"] == "gridworker" and event["channel"] == "gridworker" and event["reason"]


def test_a_kiosk_filing_records_the_kiosk(app, client):
    """The kiosk blueprint sets g.kiosk for a registered device; the record keeps channel and kiosk id."""
    with app.app_context():
        kiosk = Kiosk(name="活动中心一楼", community_id=1)
        db.session.add(kiosk)
        db.session.commit()
        kiosk_id = kiosk.id

    @app.before_request
    def pretend_this_is_the_kiosk():
        g.kiosk = db.session.get(Kiosk, kiosk_id)

    senior = resident_in(app, 1)
    identify(client, senior)
    file_through_the_steps(client)
    filed = last_request(app)
    assert (filed["channel"], filed["kiosk_id"], filed["entered_by"]) == ("kiosk", kiosk_id, None)
    [event] = audit_events(app, "request.file")
    assert (event["channel"], event["kiosk_id"]) == ("kiosk", kiosk_id)


def test_each_step_explains_what_is_missing_and_keeps_what_was_typed(app, client):
    identify(client, resident_in(app, 1))
    client.get("/requests/new")
    html = client.submit("/requests/new/category?lang=en", {}).get_data(as_text=True)
    assert "Choose what the problem is about" in html and "<title>Error: What is the problem about?" in html
    client.submit("/requests/new/category", {"category": "1"})
    response = client.submit("/requests/new/description?lang=en", {"description": "   "})
    assert response.status_code == 200 and "Say what the problem is" in response.get_data(as_text=True)
    long_text = "漏水" * 1001
    html = client.submit("/requests/new/description?lang=en", {"description": long_text}).get_data(as_text=True)
    assert "2000 characters or fewer" in html and long_text in html
    client.submit("/requests/new/description", {"description": "水管漏水"})
    html = client.submit("/requests/new/location?lang=en", {"location": "other"}).get_data(as_text=True)
    assert "Say where it is" in html
    # Skipping ahead by address is not possible.
    client.get("/requests/new")
    assert client.get("/requests/new/photo").headers["Location"] == "/requests/new/location"


def test_changing_an_answer_goes_back_to_the_check_page(app, client):
    identify(client, resident_in(app, 1))
    file_steps = [("category", {"category": "1"}), ("description", {"description": "A"}),
                  ("location", {"location": "none"})]
    client.get("/requests/new")
    for step, data in file_steps:
        client.submit(f"/requests/new/{step}", data)
    client.submit("/requests/new/photo", {}, content_type="multipart/form-data")
    response = client.submit("/requests/new/description?change=1", {"description": "B, better"})
    assert response.headers["Location"] == "/requests/new/check"
    assert "B, better" in client.get("/requests/new/check").get_data(as_text=True)


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {2: (30.0, 45.0, 0.0)}
    exif[0x010F] = "SecretPhone"
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 120, 10)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_is_stored_without_exif_and_shown_only_to_staff(app, client, auth, uploads):
    identify(client, resident_in(app, 1))
    file_through_the_steps(client, photo=(io.BytesIO(jpeg_with_gps()), "IMG_0001.JPG"))
    filed = last_request(app)
    stored = uploads / filed["photo_path"]
    assert stored.exists() and b"SecretPhone" not in stored.read_bytes()
    assert client.get(f"/requests/{filed['ticket']}/photo").status_code == 303  # residents: sign in first
    sign_in(auth, "volunteer")
    assert client.get(f"/requests/{filed['ticket']}/photo").status_code == 403
    sign_in(auth, "gridworker")
    response = client.get(f"/requests/{filed['ticket']}/photo")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "no-store" in response.headers["Cache-Control"]
    response.close()
    assert "Open the photo" in client.get(f"/requests/{filed['ticket']}?lang=en").get_data(as_text=True)


def test_a_wrong_file_is_refused_with_a_plain_message(app, client, uploads):
    identify(client, resident_in(app, 1))
    client.get("/requests/new")
    client.submit("/requests/new/category", {"category": "1"})
    client.submit("/requests/new/description", {"description": "A"})
    client.submit("/requests/new/location", {"location": "none"})
    response = client.submit("/requests/new/photo?lang=en", {"photo": (io.BytesIO(b"%PDF-1.4"), "scan.pdf")},
                             content_type="multipart/form-data")
    assert response.status_code == 200
    assert "The photo must be a JPEG or PNG picture" in response.get_data(as_text=True)
    assert list(uploads.iterdir()) == []


def test_a_photo_can_be_removed_before_sending(app, client, uploads):
    identify(client, resident_in(app, 1))
    client.get("/requests/new")
    client.submit("/requests/new/category", {"category": "1"})
    client.submit("/requests/new/description", {"description": "A"})
    client.submit("/requests/new/location", {"location": "none"})
    client.submit("/requests/new/photo", {"photo": (io.BytesIO(jpeg_with_gps()), "a.jpg")},
                  content_type="multipart/form-data")
    assert len(list(uploads.iterdir())) == 1
    assert "A photo is attached" in client.get("/requests/new/photo?lang=en").get_data(as_text=True)
    client.submit("/requests/new/photo", {"remove": "yes"}, content_type="multipart/form-data")
    assert list(uploads.iterdir()) == []
    assert "No photo" in client.get("/requests/new/check?lang=en").get_data(as_text=True)


# -- status lookup -----------------------------------------------------------------------------
def test_status_lookup_accepts_what_people_type(client):
    response = client.get("/requests/status?ticket=k7mx 3pqa")
    assert response.headers["Location"] == "/requests/status/K7MX3PQA"
    assert client.get("/requests/status/k7mx-3pqa").headers["Location"] == "/requests/status/K7MX3PQA"


def test_status_page_shows_state_notes_and_date_but_no_personal_data(app, client):
    html = client.get("/requests/status/K7MX3PQA?lang=en").get_data(as_text=True)
    assert "Request K7MX-3PQA" in html
    assert "In progress" in html and "Someone is working on it now." in html
    assert "已联系物业电工，明天上午来换灯。" in html  # the note written for the resident
    assert "Expected to be finished by" in html
    with app.app_context():
        req = db.session.scalars(db.select(Request).filter_by(ticket="K7MX3PQA")).one()
        private = [req.resident.name, req.description, req.resident.number, req.resident.room,
                   req.assignee.display_name]
        private += [req.resident.phone] if req.resident.phone else []
    for value in private:
        assert value not in html, value


def test_a_wrong_number_gets_a_friendly_not_found(client):
    response = client.get("/requests/status?ticket=AAAA-AAAA&lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We cannot find a request with that number" in html and 'value="AAAA-AAAA"' in html
    response = client.get("/requests/status/XXXX-YYYY?lang=zh")
    assert response.status_code == 404 and "我们找不到这个编号的诉求" in response.get_data(as_text=True)
    assert "请输入回执上的诉求编号" in client.get("/requests/status?ticket=").get_data(as_text=True)


def test_status_lookups_are_rate_limited(client):
    for _ in range(20):
        client.get("/requests/status?ticket=AAAAAAAA")
    response = client.get("/requests/status?ticket=AAAAAAAA")
    assert response.status_code == 429
    assert client.get("/requests/status").status_code == 200  # the empty form itself stays open


def test_open311_view_of_a_request(client):
    response = client.get("/open311/v2/requests/K7MX3PQA.json")
    [item] = json.loads(response.get_data(as_text=True))
    assert item["service_request_id"] == "K7MX-3PQA"
    assert item["status"] == "open" and item["status_notes"] == "已联系物业电工，明天上午来换灯。"
    assert item["service_code"] == "repairs" and item["expected_datetime"].endswith("Z")
    assert set(item) == {"service_request_id", "status", "status_notes", "service_name", "service_code",
                         "requested_datetime", "updated_datetime", "expected_datetime", "agency_responsible"}
    resolved = json.loads(client.get("/open311/v2/requests/MRJ9TK4A.json").get_data(as_text=True))[0]
    assert resolved["status"] == "closed"
    missing = client.get("/open311/v2/requests/AAAAAAAA.json")
    assert missing.status_code == 404 and json.loads(missing.get_data(as_text=True))[0]["code"] == 404
    services = json.loads(client.get("/open311/v2/services.json").get_data(as_text=True))
    assert [s["service_code"] for s in services][:3] == ["repairs", "sanitation", "safety_hazard"]


def test_the_resident_can_cancel_their_own_request(app, client):
    senior = resident_in(app, 1)
    identify(client, senior)
    file_through_the_steps(client)
    ticket = last_request(app)["ticket"]
    page = client.get(f"/requests/status/{ticket}?lang=en").get_data(as_text=True)
    assert "Cancel this request" in page
    confirm = client.get(f"/requests/status/{ticket}/cancel?lang=en").get_data(as_text=True)
    assert "Yes, cancel it" in confirm and last_request(app)["state"] == "submitted"
    assert client.submit(f"/requests/status/{ticket}/cancel").status_code == 303
    assert last_request(app)["state"] == "cancelled"
    [event] = audit_events(app, "request.cancel")
    assert event["resident_id"] == senior["id"] and event["actor"] is None
    # Someone else with only the number sees the status, but cannot cancel.
    other = app.test_client()
    assert "Cancel this request" not in other.get("/requests/status/K7MX3PQA?lang=en").get_data(as_text=True)


def test_back_from_the_first_question_goes_where_each_helper_came_from(app, client, auth):
    sign_in(auth, "gridworker")
    client.get(f"/requests/new/for/{resident_in(app, 1)['number']}")
    assert 'href="/requests/new/resident" class="back-link"' in client.get("/requests/new/category").get_data(as_text=True)
    start_assisting(client, resident_in(app, 2)["number"])
    client.get("/requests/new")
    assert 'href="/assist/now" class="back-link"' in client.get("/requests/new/category").get_data(as_text=True)
