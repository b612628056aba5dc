"""Help a resident: find them within scope, confirm identity and consent, the banner on every page,
and the end of the session (End, logout, 30 minutes). Each step is in the audit log."""

import pytest

from portal.extensions import db
from portal.models import Resident
from portal.services.cards import card_token, reissue_card

from tests.support.flows import start_assisting
from tests.support.records import audit_events, resident_in
from tests.support.signin import sign_in


def test_volunteer_finds_a_resident_by_the_last_four_digits(app, client, auth):
    senior = resident_in(app, 3)
    sign_in(auth, "volunteer")
    html = client.get(f"/assist?q={senior['phone'][-4:]}&lang=en").get_data(as_text=True)
    masked = senior["name"][0] + "*"
    assert masked in html and senior["name"] not in html
    assert senior["phone"][:3] + "****" + senior["phone"][-4:] in html and senior["phone"] not in html
    assert f'href="/assist/residents/{senior["number"]}"' in html


def test_search_is_scoped_to_the_grid_workers_grids(app, client, auth):
    outside = resident_in(app, 3)  # grid 3: not the demo grid worker's
    inside = resident_in(app, 1)
    sign_in(auth, "gridworker")
    html = client.get(f"/assist?q={outside['phone'][-4:]}&lang=en").get_data(as_text=True)
    assert outside["number"] not in html
    assert "No resident in your area matches" in html
    html = client.get(f"/assist?q={inside['name'][0]}&lang=en").get_data(as_text=True)
    assert inside["number"] in html
    with app.app_context():
        shown = {r.number: r.grid_id for r in db.session.scalars(db.select(Resident))}
    found = [n for n in shown if f"/assist/residents/{n}" in html]
    assert found and all(shown[n] in (1, 2) for n in found)


def test_live_search_answers_htmx_with_the_results_block_only(app, client, auth):
    senior = resident_in(app, 1)
    sign_in(auth, "gridworker")
    response = client.get(f"/assist?q={senior['phone'][-4:]}", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<h1" not in html
    assert senior["number"] in html
    assert "HX-Request" in response.headers["Vary"]
    page = client.get("/assist").get_data(as_text=True)
    assert 'hx-get="/assist"' in page and 'hx-trigger="input changed delay:300ms"' in page


def test_not_found_offers_registration(client, auth):
    sign_in(auth, "volunteer")
    html = client.get("/assist?q=nobody-like-this&lang=en").get_data(as_text=True)
    assert "No resident in your area matches" in html
    assert 'href="/residents/register"' in html and "Register them as a new resident" in html


def test_a_resident_registered_a_moment_ago_is_offered(app, client, auth):
    senior = resident_in(app, 1)
    sign_in(auth, "volunteer")
    with client.session_transaction() as sess:
        sess["last_registered_resident_id"] = senior["id"]
    html = client.get("/assist?lang=en").get_data(as_text=True)
    assert "Help this resident now" in html and f"/assist/residents/{senior['number']}" in html


def test_consent_and_identity_check_are_required_and_the_reason_is_kept(app, client, auth):
    senior = resident_in(app, 1)
    sign_in(auth, "volunteer")
    response = client.submit(
        f"/assist/residents/{senior['number']}?lang=en",
        {"identity_check": "card", "reason": "Book a blood pressure check"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tick the box to confirm the resident agrees" in html
    assert 'value="Book a blood pressure check"' in html
    assert 'value="card" checked' in html
    assert audit_events(app, "assist.start") == []
    assert "You are helping:" not in client.get("/privacy?lang=en").get_data(as_text=True)


def test_start_shows_the_banner_on_every_page_and_is_audited(app, client, auth):
    senior = resident_in(app, 1)
    sign_in(auth, "volunteer")
    response = start_assisting(client, senior["number"], reason="Report a broken stair light", identity="card")
    assert response.status_code == 303 and response.headers["Location"] == "/assist/now"
    masked = senior["name"][0] + "*" * (len(senior["name"]) - 2) + senior["name"][-1]
    for url in ["/assist/now?lang=en", "/", "/privacy", "/requests/status", "/me", "/no-such-page"]:
        html = client.get(url).get_data(as_text=True)
        assert "You are helping:" in html, url
        assert f"<strong>{masked}</strong> (Grid 1)" in html, url
        assert 'action="/assist/end"' in html, url
    [event] = audit_events(app, "assist.start")
    assert event["actor"] == "volunteer" and event["resident_id"] == senior["id"]
    assert event["reason"] == "Report a broken stair light"
    assert event["detail"] == "identity=card; consent=given"
    assert event["channel"] == "volunteer"


def test_end_stops_the_session_and_is_audited(app, client, auth):
    senior = resident_in(app, 1)
    sign_in(auth, "gridworker")
    start_assisting(client, senior["number"])
    response = client.submit("/assist/end")
    assert response.headers["Location"] == "/assist?ended=1"
    html = client.get("/assist?ended=1&lang=en").get_data(as_text=True)
    assert "The help session has ended" in html and "You are helping:" not in html
    assert [e["action"] for e in audit_events(app) if e["action"].startswith("assist.")] == [
        "assist.start",
        "assist.end",
    ]
    # The resident is no longer "current": filing goes back to choosing a resident.
    assert client.get("/requests/new").headers["Location"] == "/requests/new/resident"


def test_logout_ends_the_session(app, client, auth):
    sign_in(auth, "volunteer")
    start_assisting(client, resident_in(app, 1)["number"])
    auth.logout()
    sign_in(auth, "volunteer")
    assert "You are helping:" not in client.get("/?lang=en").get_data(as_text=True)
    assert client.get("/assist/now").headers["Location"] == "/assist"


def test_the_session_times_out_after_30_minutes(app, client, auth, clock):

    sign_in(auth, "volunteer")
    start_assisting(client, resident_in(app, 1)["number"])
    assert "You are helping:" in client.get("/?lang=en").get_data(as_text=True)
    clock.shift(29 * 60)
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "You are helping:" in html and "Keep helping: 30 more minutes" in html
    clock.shift(2 * 60)
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "You are helping:" not in html and "ended after 30 minutes" in html
    assert "ended after 30 minutes" not in client.get("/?lang=en").get_data(as_text=True)  # said once
    assert [e["action"] for e in audit_events(app) if e["action"].startswith("assist.")] == [
        "assist.start",
        "assist.timeout",
    ]


def test_keep_helping_extends_the_session_and_is_audited(app, client, auth, clock):
    sign_in(auth, "volunteer")
    start_assisting(client, resident_in(app, 1)["number"])
    clock.shift(25 * 60)
    assert client.submit("/assist/extend", {"next": "/privacy"}).headers["Location"] == "/privacy"
    clock.shift(25 * 60)
    assert "You are helping:" in client.get("/?lang=en").get_data(as_text=True)
    assert "assist.extend" in [e["action"] for e in audit_events(app)]


def test_while_helping_the_current_resident_is_the_assisted_one(app, client, auth):
    senior = resident_in(app, 2)
    sign_in(auth, "gridworker")
    start_assisting(client, senior["number"])
    html = client.get("/requests/new", follow_redirects=True).get_data(as_text=True)
    masked = senior["name"][0]
    assert "/requests/new/category" in client.get("/requests/new").headers["Location"]
    assert f"{masked}" in html


def test_a_helper_cannot_start_for_a_resident_outside_their_scope(app, client, auth):
    outside = resident_in(app, 3)
    sign_in(auth, "gridworker")
    assert start_assisting(client, outside["number"]).status_code == 404
    assert audit_events(app, "assist.start") == []


def test_find_by_card(app, client, auth):
    with app.app_context():
        senior = db.session.scalars(db.select(Resident).where(Resident.grid_id == 1).order_by(Resident.id)).first()
        token, number = card_token(senior, app.config["SECRET_KEY"]), senior.number
    sign_in(auth, "gridworker")
    response = client.submit("/assist/card", {"token": token.lower()})
    assert response.headers["Location"] == f"/assist/residents/{number}?how=card"
    assert 'value="card" checked' in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    "case, message",
    [
        ("empty", "Scan the resident"),
        ("malformed", "That is not a resident card code"),
        ("revoked", "replaced by a newer one"),
        ("other grid", "lives outside your grids"),
        ("other community", "belongs to another community"),
    ],
)
def test_card_problems_are_explained(app, client, auth, case, message):
    with app.app_context():
        grid = {"other grid": 3, "other community": 5}.get(case, 1)
        senior = db.session.scalars(db.select(Resident).where(Resident.grid_id == grid).order_by(Resident.id)).first()
        token = card_token(senior, app.config["SECRET_KEY"])
        if case == "revoked":
            reissue_card(db.session, senior)
            db.session.commit()
    token = {"empty": "", "malformed": "hello"}.get(case, token)
    sign_in(auth, "gridworker")
    response = client.submit("/assist/card?lang=en", {"token": token})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
