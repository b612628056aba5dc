"""Open311 filing with a partner's key: admins make a key (shown once, only its SHA-256 kept) and revoke
it; a missing, wrong or revoked key is 403; a good one files a request routed to the grid worker of the
resident's grid on the "open311" channel; keys are rate-limited one by one; the admin forms need CSRF."""

import hashlib
import json
import re
from xml.etree import ElementTree as ET

from portal.extensions import db
from portal.models import Account, AuditEvent, PartnerKey, Request, Resident, account_grids

from tests.support.signin import sign_in

KEY_RE = re.compile(r'<p class="big-number partner-key"><code>([A-Za-z0-9_-]{43})</code></p>')


def make_key(client, name="City 12345 hotline", community="1") -> str:
    client.get("/admin/open311")
    response = client.submit("/admin/open311/keys", {"name": name, "community": community})
    assert response.status_code == 303 and response.headers["Location"] == "/admin/open311"
    page = client.get("/admin/open311?lang=en").get_data(as_text=True)
    [key] = KEY_RE.findall(page)
    assert "it will not be shown again" in page
    return key


def resident_with_phone(app, grid_id=1):
    with app.app_context():
        resident = db.session.scalars(
            db.select(Resident).where(Resident.grid_id == grid_id, Resident.phone.is_not(None)).order_by(Resident.id)
        ).first()
        return {"id": resident.id, "phone": resident.phone, "grid": resident.grid_id}


def file(client, key, phone, fmt="json", **extra):
    data = {"api_key": key, "service_code": "repairs", "description": "路灯不亮", "phone": phone, **extra}
    return client.post(f"/open311/v2/requests.{fmt}", data=data)


def error(response, code):
    assert response.status_code == code, response.get_data(as_text=True)
    [item] = json.loads(response.get_data(as_text=True))
    assert set(item) == {"code", "description"} and item["code"] == code
    return item["description"]


def test_admin_makes_a_key_shown_once_and_only_its_hash_is_kept(app, client, auth):
    sign_in(auth, "admin")
    key = make_key(client)
    again = client.get("/admin/open311?lang=en").get_data(as_text=True)
    assert key not in again and key[:6] in again and "City 12345 hotline" in again
    with app.app_context():
        row = db.session.scalars(db.select(PartnerKey)).one()
        assert row.key_hash == hashlib.sha256(key.encode()).hexdigest() and row.community_id == 1
        assert key not in repr([getattr(row, c.key) for c in PartnerKey.__table__.columns])
        assert db.session.scalar(db.select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "open311.key_create"


def test_the_key_form_explains_what_is_wrong_and_keeps_what_was_typed(client, auth):
    sign_in(auth, "admin")
    client.get("/admin/open311")
    response = client.submit("/admin/open311/keys?lang=en", {"name": "Hotline\x00" + "x" * 10, "community": "99"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choose the community the partner files requests in" in page
    response = client.submit("/admin/open311/keys?lang=en", {"name": "", "community": "1"})
    assert response.status_code == 200 and "Enter who the key is for" in response.get_data(as_text=True)
    response = client.submit("/admin/open311/keys?lang=en", {"name": "Ｈｏｔｌｉｎｅ " * 20, "community": "2"})
    assert response.status_code == 200 and "80 characters or fewer" in response.get_data(as_text=True)
    assert 'value="2" checked' in response.get_data(as_text=True)  # what was chosen stays chosen


def test_the_admin_forms_need_csrf_and_the_api_does_not(app, client, auth):
    sign_in(auth, "admin")
    assert client.post("/admin/open311/keys", data={"name": "x", "community": "1"}).status_code == 400
    key = make_key(client)
    with app.app_context():
        key_id = db.session.scalar(db.select(PartnerKey.id))
    assert client.post(f"/admin/open311/keys/{key_id}/revoke").status_code == 400
    # The API takes no CSRF token: its key says who is filing, not a cookie.
    assert file(app.test_client(), key, resident_with_phone(app)["phone"]).status_code == 201


def test_only_admins_manage_keys(client, auth):
    sign_in(auth, "staff")
    assert client.get("/admin/open311").status_code == 403
    assert client.submit("/admin/open311/keys", {"name": "x", "community": "1"}).status_code == 403


def test_filing_with_a_key_routes_to_the_grid_worker_and_a_revoked_key_is_refused(app, client, auth):
    sign_in(auth, "admin")
    key = make_key(client)
    partner = app.test_client()
    senior = resident_with_phone(app)
    assert "api_key" in error(partner.post("/open311/v2/requests.json", data={"service_code": "repairs"}), 403)
    assert error(file(partner, key[:-1] + ("A" if key[-1] != "A" else "B"), senior["phone"]), 403)
    bad = file(partner, "nope", senior["phone"], fmt="xml")
    assert bad.status_code == 403 and ET.fromstring(bad.data).find("error/code").text == "403"

    response = file(partner, key, f"+86 {senior['phone'][:3]} {senior['phone'][3:]}")
    assert response.status_code == 201, response.get_data(as_text=True)
    [made] = json.loads(response.get_data(as_text=True))
    assert set(made) == {"service_request_id", "service_notice", "account_id"}
    ticket = made["service_request_id"].replace("-", "")
    with app.app_context():
        req = db.session.scalars(db.select(Request).filter_by(ticket=ticket)).one()
        worker = db.session.scalars(
            db.select(Account)
            .join(account_grids, account_grids.c.account_id == Account.id)
            .where(account_grids.c.grid_id == senior["grid"], Account.role == "gridworker")
            .order_by(Account.id)
        ).first()
        assert (req.resident_id, req.channel, req.entered_by_id) == (senior["id"], "open311", None)
        assert req.assignee_id == worker.id and req.grid_id == senior["grid"] and req.partner_key_id is not None
        filed = db.session.scalars(
            db.select(AuditEvent).filter_by(action="request.file").order_by(AuditEvent.id.desc())
        ).first()
        assert filed.channel == "open311" and "City 12345 hotline" in filed.reason
        key_id = req.partner_key_id
    assert response.headers["Location"].endswith(f"/open311/v2/requests/{ticket}.json")
    listed = json.loads(partner.get(f"/open311/v2/requests/{ticket}.json").get_data(as_text=True))
    assert listed[0]["status"] == "open" and listed[0]["description"] == "维修"  # not published

    assert client.submit(f"/admin/open311/keys/{key_id}/revoke").status_code == 303
    assert "revoked" in error(file(partner, key, senior["phone"]), 403)
    assert "Revoked" in client.get("/admin/open311?lang=en").get_data(as_text=True)


def test_what_a_partner_must_send(app, client, auth):
    sign_in(auth, "admin")
    key = make_key(client)
    partner = app.test_client()
    phone = resident_with_phone(app)["phone"]
    other_community = resident_with_phone(app, grid_id=5)["phone"]
    assert "service_code" in error(file(partner, key, phone, service_code=""), 400)
    assert "service_code" in error(file(partner, key, phone, service_code="no_such"), 400)
    assert "description" in error(file(partner, key, phone, description="   "), 400)
    assert "description" in error(file(partner, key, phone, description="x" * 2001), 400)
    assert "control" in error(file(partner, key, phone, description="灯\x00坏了"), 400)
    assert "phone" in error(file(partner, key, "１２３"), 400)
    assert "registered" in error(file(partner, key, "13999999999"), 400)
    assert "registered" in error(file(partner, key, other_community), 400)  # the key's community only
    assert "jurisdiction_id" in error(file(partner, key, phone, jurisdiction_id="2"), 403)
    assert "jurisdiction_id" in error(file(partner, key, phone, jurisdiction_id="x" * 1000), 404)
    assert "address_id" in error(file(partner, key, phone, address_id="11"), 400)  # 月河's building
    xml = file(partner, key, phone, fmt="xml", service_code="")
    assert xml.status_code == 400 and xml.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert [e.tag for e in ET.fromstring(xml.data).find("error")] == ["code", "description"]
    assert file(partner, key, phone, jurisdiction_id="1", address_id="1").status_code == 201
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Request).filter_by(channel="open311")) == 1


def test_each_key_is_rate_limited_on_its_own(app, client, auth):
    app.config["PORTAL_OPEN311_KEY_RATE_LIMIT"] = "3 per minute"
    sign_in(auth, "admin")
    first, second = make_key(client, "Hotline"), make_key(client, "Street office")
    partner = app.test_client()
    phone = resident_with_phone(app)["phone"]
    assert [file(partner, first, phone).status_code for _ in range(3)] == [201, 201, 201]
    limited = file(partner, first, phone, fmt="xml")
    assert limited.status_code == 429 and ET.fromstring(limited.data).find("error/code").text == "429"
    assert file(partner, second, phone).status_code == 201  # another partner's key still files


def test_of_open311_only_the_api_post_is_exempt_from_csrf(app):
    from portal.extensions import csrf

    ours = {view for view in csrf._exempt_views if view.startswith("portal.open311.")}
    assert ours == {"portal.open311.api.requests_file"} and not csrf._exempt_blueprints
