"""Open311 GeoReport v2, read side: the field lists against the spec (JSON, and XML parsed with
xml.etree), the filters, the 90-day window, paging, error lists in both formats, and no personal data:
a resident's description (and photo) only once staff publish it. Run on both databases."""

import json
import re
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest

from portal.extensions import db
from portal.models import AuditEvent, Request, Resident
from portal.services import clock
from portal.services.filing import file_request

from tests.support.factories import ORIGIN, category, grid_resident
from tests.support.signin import sign_in

# The spec's field lists (GeoReport v2: GET services, GET service definition, GET requests).
SERVICE = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
DEFINITION = {"service_code", "attributes"}
REQUEST = {
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
}  # fmt: skip
ZONED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def get_json(client, address, status=200):
    response = client.get(address)
    assert response.status_code == status, (address, response.get_data(as_text=True))
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.get_data(as_text=True))


def get_xml(client, address, status=200):
    response = client.get(address)
    assert response.status_code == status, (address, response.get_data(as_text=True))
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert response.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.data)


def errors_in_both(client, path, query, code):
    """The spec's error list, [{code, description}] and <errors><error>, with this HTTP status."""
    [error] = get_json(client, f"{path}.json{query}", code)
    assert set(error) == {"code", "description"} and error["code"] == code and error["description"]
    root = get_xml(client, f"{path}.xml{query}", code)
    assert root.tag == "errors" and [e.tag for e in root] == ["error"]
    assert [c.tag for c in root[0]] == ["code", "description"] and root[0].findtext("code") == str(code)
    return error["description"]


def file_at(when, grid_id=1, code="repairs", text="楼道灯坏了"):
    with_resident = grid_resident(grid_id)
    filed = file_request(
        db.session, resident=with_resident, category=category(code), description=text, origin=ORIGIN, now=when
    )
    db.session.commit()
    return filed.ticket


def ids(items):
    return [item["service_request_id"].replace("-", "") for item in items]


def test_services_and_a_definition_have_the_spec_fields(client):
    services = get_json(client, "/open311/v2/services.json")
    assert services and all(set(s) == SERVICE for s in services)
    assert [s["service_code"] for s in services][:3] == ["repairs", "sanitation", "safety_hazard"]
    assert all(s["metadata"] is False and s["type"] in ("realtime", "batch", "blackbox") for s in services)
    root = get_xml(client, "/open311/v2/services.xml")
    assert root.tag == "services" and {e.tag for e in root} == {"service"} and len(root) == len(services)
    assert all({c.tag for c in e} == SERVICE for e in root)
    assert root[0].findtext("metadata") == "false" and root[0].findtext("service_code") == "repairs"
    english = get_json(client, "/open311/v2/services.json?lang=en")
    assert english[0]["service_name"] == "Repairs" and "24 hours" in english[0]["description"]

    definition = get_json(client, "/open311/v2/services/repairs.json")
    assert set(definition) == DEFINITION and definition == {"service_code": "repairs", "attributes": []}
    root = get_xml(client, "/open311/v2/services/repairs.xml")
    assert root.tag == "service_definition" and [c.tag for c in root] == ["service_code", "attributes"]
    assert errors_in_both(client, "/open311/v2/services/no_such", "", 404)


def test_requests_have_the_spec_fields_and_no_more(client):
    items = get_json(client, "/open311/v2/requests.json")
    assert len(items) == 5 and all(set(item) == REQUEST for item in items)
    times = [item["requested_datetime"] for item in items]
    assert times == sorted(times, reverse=True)
    assert all(ZONED.match(item[k]) for item in items for k in ("requested_datetime", "updated_datetime"))
    assert {item["status"] for item in items} == {"open", "closed"}
    assert all(item["lat"] is None and item["long"] is None for item in items)
    root = get_xml(client, "/open311/v2/requests.xml")
    assert root.tag == "service_requests" and {e.tag for e in root} == {"request"} and len(root) == 5
    assert all({c.tag for c in e} == REQUEST for e in root)
    one = get_json(client, "/open311/v2/requests/K7MX3PQA.json")
    assert [set(one[0])] == [REQUEST] and one[0]["service_request_id"] == "K7MX-3PQA"
    assert one[0]["address"] == "南湖社区, 第一网格, 1幢" and one[0]["address_id"]
    assert get_xml(client, "/open311/v2/requests/K7MX-3PQA.xml")[0].findtext("status") == "open"
    assert errors_in_both(client, "/open311/v2/requests/AAAAAAAA", "", 404)
    assert errors_in_both(client, "/open311/v2/requests/K7MX3PQA", "?jurisdiction_id=2", 404)
    assert client.get("/open311/v2/requests/K7MX3PQA.html").status_code == 404


def test_filters(client):
    everything = ids(get_json(client, "/open311/v2/requests.json"))
    closed = ids(get_json(client, "/open311/v2/requests.json?status=closed"))
    opened_xml = get_xml(client, "/open311/v2/requests.xml?status=open")
    opened = [e.findtext("service_request_id").replace("-", "") for e in opened_xml]
    assert closed == ["MRJ9TK4A"] and sorted(opened + closed) == sorted(everything)
    assert ids(get_json(client, "/open311/v2/requests.json?status=open,closed")) == everything
    assert ids(get_json(client, "/open311/v2/requests.json?service_code=repairs,sanitation")) == [
        "K7MX3PQA", "HFT4WR9C",
    ]  # fmt: skip
    assert ids(get_json(client, "/open311/v2/requests.json?jurisdiction_id=2")) == ["CYW3EA7N"]
    # service_request_id overrides every other filter.
    chosen = get_json(client, "/open311/v2/requests.json?service_request_id=k7mx-3pqa,MRJ9TK4A&status=closed")
    assert sorted(ids(chosen)) == ["K7MX3PQA", "MRJ9TK4A"]
    assert errors_in_both(client, "/open311/v2/requests", "?status=pending", 400)
    assert errors_in_both(client, "/open311/v2/requests", "?jurisdiction_id=99", 404)


def test_the_90_day_window(app, client):
    now = clock.utcnow()
    with app.app_context():
        old = file_at(now - timedelta(days=100))
    assert old not in ids(get_json(client, "/open311/v2/requests.json"))  # the default: the last 90 days
    start = (now - timedelta(days=110)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S+08:00")
    window = f"start_date={start}&end_date={end.replace('+', '%2B')}"
    assert ids(get_json(client, f"/open311/v2/requests.json?{window}")) == [old]
    assert ids(get_json(client, f"/open311/v2/requests.json?start_date={start}")) == [old]  # start + 90 days
    day = (now - timedelta(days=101)).date().isoformat()
    assert ids(get_json(client, f"/open311/v2/requests.json?start_date={day}")) == [old]
    far, today = (now - timedelta(days=91)).strftime("%Y-%m-%dT%H:%M:%SZ"), now.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "90 days" in errors_in_both(client, "/open311/v2/requests", f"?start_date={far}&end_date={today}", 400)
    ten_days_ago = (now - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "90 days" in errors_in_both(
        client, "/open311/v2/requests", f"?end_date={ten_days_ago}&start_date={start}", 400
    )
    backwards = f"?start_date={end.replace('+', '%2B')}&end_date={start}"
    assert "before" in errors_in_both(client, "/open311/v2/requests", backwards, 400)
    for bad in ("yesterday", "2026-13-01T00:00:00Z", "2026-01-01T00:00:00", "0001-01-01T00:00:00%2B08:00", "９" * 500):
        assert errors_in_both(client, "/open311/v2/requests", f"?start_date={bad}", 400)


def test_paging(app, client):
    now = clock.utcnow()
    with app.app_context():
        made = [file_at(now - timedelta(hours=1 + n), grid_id=1 + n % 3) for n in range(6)]
    first = ids(get_json(client, "/open311/v2/requests.json?page_size=4"))
    second = ids(get_json(client, "/open311/v2/requests.json?page_size=4&page=2"))
    third = ids(get_json(client, "/open311/v2/requests.json?page_size=4&page=3"))
    everything = ids(get_json(client, "/open311/v2/requests.json?page_size=100"))
    assert len(first) == 4 and len(second) == 4 and len(third) == 3 and first + second + third == everything
    assert set(made) <= set(everything)
    assert get_json(client, "/open311/v2/requests.json?page=50") == []
    for bad in ("page_size=101", "page_size=0", "page=abc", "page=-1", "page_size=1e3"):
        assert errors_in_both(client, "/open311/v2/requests", f"?{bad}", 400)


def personal_data(app) -> list[str]:
    """Every demo resident's name, phone number and family contact, and every room with its building."""
    with app.app_context():
        found = []
        for r in db.session.scalars(db.select(Resident)):
            found += [r.name, r.family_contact] + ([r.phone, r.phone[3:]] if r.phone else [])
        return [text for text in found if text]


def test_no_personal_data_and_descriptions_hidden_until_published(app, client, auth):
    with app.app_context():
        rooms = {(r.grid_id, r.room) for r in db.session.scalars(db.select(Resident))}
        descriptions = [r.description for r in db.session.scalars(db.select(Request))]
        described = db.session.scalars(db.select(Request.description).filter_by(ticket="K7MX3PQA")).one()
    bodies = [
        client.get(address).get_data(as_text=True)
        for address in (
            "/open311/v2/requests.json",
            "/open311/v2/requests.xml",
            "/open311/v2/requests.json?status=closed&lang=en",
            *[f"/open311/v2/requests/{t}.{f}" for t in ("K7MX3PQA", "MRJ9TK4A", "CYW3EA7N") for f in ("json", "xml")],
        )
    ]
    for body in bodies:
        assert not [text for text in personal_data(app) + descriptions if text in body]
        assert not [room for _grid, room in rooms if re.search(rf"(?<![\d:-]){room}(?![\d:])", body)]
    assert get_json(client, "/open311/v2/requests/K7MX3PQA.json?lang=zh")[0]["description"] == "维修"

    sign_in(auth, "staff")
    page = client.get("/requests/K7MX3PQA?lang=en").get_data(as_text=True)
    assert "Make the description public" in page
    assert client.submit("/requests/K7MX3PQA/publish", {"to": "yes"}).status_code == 303
    published = client.get("/open311/v2/requests/K7MX3PQA.json")
    assert json.loads(published.get_data(as_text=True))[0]["description"] == described
    again = client.get("/requests/K7MX3PQA?lang=en").get_data(as_text=True)
    assert "Take the description out of the open data" in again
    assert client.submit("/requests/K7MX3PQA/publish", {"to": "no"}).status_code == 303
    assert get_json(client, "/open311/v2/requests/K7MX3PQA.json?lang=zh")[0]["description"] == "维修"
    with app.app_context():
        actions = db.session.scalars(
            db.select(AuditEvent.action).where(AuditEvent.action.like("request.%publish")).order_by(AuditEvent.id)
        ).all()
    assert actions == ["request.publish", "request.unpublish"]
    audit = client.get("/audit?lang=en").get_data(as_text=True)
    assert "description of a request public in the open data" in audit and "out of the open data" in audit


def test_grid_workers_cannot_publish(client, auth):
    sign_in(auth, "gridworker")
    assert "Make the description public" not in client.get("/requests/K7MX3PQA?lang=en").get_data(as_text=True)
    assert client.submit("/requests/K7MX3PQA/publish", {"to": "yes"}).status_code == 403


def test_a_published_photo_has_a_media_url(app, client, auth, tmp_path):
    app.config["PORTAL_UPLOAD_FOLDER"] = str(tmp_path)
    (tmp_path / "photo1.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    with app.app_context():
        req = db.session.scalars(db.select(Request).filter_by(ticket="K7MX3PQA")).one()
        req.photo_path = "photo1.jpg"
        db.session.commit()
    assert get_json(client, "/open311/v2/requests/K7MX3PQA.json")[0]["media_url"] is None
    assert client.get("/open311/v2/media/K7MX3PQA").status_code == 404
    sign_in(auth, "staff")
    client.submit("/requests/K7MX3PQA/publish", {"to": "yes"})
    url = get_json(client, "/open311/v2/requests/K7MX3PQA.json")[0]["media_url"]
    assert url == "http://localhost/open311/v2/media/K7MX3PQA"
    response = client.get(url)
    assert response.status_code == 200 and response.data.startswith(b"\xff\xd8")
    response.close()


@pytest.mark.parametrize("raw", ["\x00", "K7MX3PQA\x00", "'; DROP TABLE request;--", "Ｋ７ＭＸ３ＰＱＡ", "A" * 5000])
def test_odd_ids_are_answered_not_crashed(client, raw):
    response = client.get(f"/open311/v2/requests.json?service_request_id={raw}")
    assert response.status_code in (200, 400)
    assert client.get(f"/open311/v2/requests/{raw[:300]}.xml").status_code in (200, 404)
