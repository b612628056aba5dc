"""Small helpers shared by the assisted-session and request flow tests."""
from portal.extensions import db
from portal.models import AuditEvent, Request, Resident


def resident_in(app, grid_id, with_phone=True) -> dict:
    with app.app_context():
        query = db.select(Resident).where(Resident.grid_id == grid_id).order_by(Resident.id)
        query = query.where(Resident.phone.is_not(None) if with_phone else Resident.phone.is_(None))
        r = db.session.scalars(query).first()
        return {"id": r.id, "number": r.number, "name": r.name, "phone": r.phone, "birth_year": r.birth_year,
                "grid_id": r.grid_id}


def sign_in(auth, username):
    """Sign in, then open a page: signing in starts a new session, so the form token changes."""
    auth.client.get("/login")
    assert auth.login(username).status_code == 303
    auth.client.get("/me")


def start_assisting(client, number, reason="Report a broken stair light", identity="known"):
    client.get(f"/assist/residents/{number}")
    return client.submit(f"/assist/residents/{number}", {"identity_check": identity, "consent": "yes",
                                                         "reason": reason})


def audit_events(app, action=None) -> list[dict]:
    with app.app_context():
        query = db.select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return [{"action": e.action, "actor": e.actor.username if e.actor else None,
                 "resident_id": e.resident_id, "reason": e.reason, "detail": e.detail, "channel": e.channel,
                 "kiosk_id": e.kiosk_id} for e in db.session.scalars(query)]


def file_through_the_steps(client, category_id=1, description="楼道灯坏了", location=None, photo=None):
    """Walk /requests/new to the receipt. Returns the receipt response (followed)."""
    response = client.get("/requests/new")
    assert response.status_code == 303, response.headers
    assert response.headers["Location"] == "/requests/new/category", response.headers["Location"]
    assert client.submit("/requests/new/category", {"category": str(category_id)}).status_code == 303
    assert client.submit("/requests/new/description", {"description": description}).status_code == 303
    assert client.submit("/requests/new/location", location or {"location": "none"}).status_code == 303
    data = {"photo": photo} if photo else {}
    assert client.submit("/requests/new/photo", data, content_type="multipart/form-data").status_code == 303
    assert client.get("/requests/new/check").status_code == 200
    sent = client.submit("/requests/new/check")
    assert sent.status_code == 303 and "/receipt" in sent.headers["Location"]
    return client.get(sent.headers["Location"])


def last_request(app) -> dict:
    with app.app_context():
        r = db.session.scalars(db.select(Request).order_by(Request.id.desc())).first()
        return {"ticket": r.ticket, "channel": r.channel, "entered_by": r.entered_by.username if r.entered_by else None,
                "resident_id": r.resident_id, "assignee": r.assignee.username if r.assignee else None,
                "kiosk_id": r.kiosk_id, "state": r.state, "photo_path": r.photo_path, "grid_id": r.grid_id,
                "description": r.description, "building_id": r.building_id, "location_text": r.location_text}
