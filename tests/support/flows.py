"""Walking a resident through a flow page by page, with the test client, as a browser without JavaScript
(or, with the boosted headers, as htmx) would."""

import re
import time

from flask import session
from flask_wtf.csrf import generate_csrf

from portal.extensions import db
from portal.services.posters import active_grid_poster

from tests.support.identity import identify_on_web, prove_phone

# What htmx sends: a boosted link or form (the whole page comes back), or a request for a fragment.
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}
HTMX = {"HX-Request": "true"}

# -- sign-up ------------------------------------------------------------------------------------------
NEW = {
    "name": "赵新来",
    "phone": "139 0000 1111",
    "building": "2",
    "room": "3-502",
    "birth_year": "1948",
    "needs": ["lives_alone", "no_smartphone"],
}


def poster_code(app, grid_id=1):
    with app.app_context():
        return active_grid_poster(db.session, grid_id).code


def begin(client, code):
    assert client.get(f"/j/{code}").status_code == 303
    response = client.submit(f"/join/{code}")
    assert response.headers["Location"] == "/signup/name"


def answer_all(client, base="/signup", answers=NEW, no_phone=False, family=""):
    client.submit(f"{base}/name", {"name": answers["name"]})
    if no_phone:
        assert client.submit(f"{base}/phone", {"no_phone": "1"}).headers["Location"] == f"{base}/family"
        assert client.submit(f"{base}/family", {"family_contact": family}).headers["Location"] == f"{base}/home"
    elif base == "/signup":  # the resident's own sign-up proves the phone by a code sent by SMS
        assert client.submit(f"{base}/phone", {"phone": answers["phone"]}).headers["Location"] == f"{base}/phone-code"
        prove_phone(client, expected_next=f"{base}/home")
    else:  # a helper registering someone in person is not asked for a code
        assert client.submit(f"{base}/phone", {"phone": answers["phone"]}).headers["Location"] == f"{base}/home"
    client.submit(f"{base}/home", {"building": answers["building"], "room": answers["room"]})
    client.submit(f"{base}/birth_year", {"birth_year": answers["birth_year"]})
    client.submit(f"{base}/needs", {"needs": answers["needs"]})
    response = client.submit(f"{base}/consent", {"consent": "yes"})
    assert response.headers["Location"] == f"{base}/check-answers"


# -- health-station booking -----------------------------------------------------------------------------
def main_text(html: str) -> str:
    """The page's <main>, where what it says is (the <head> holds fingerprinted file names, hex digits)."""
    start = html.find("<main")
    return html[start : html.find("</main>", start)] if start >= 0 else html


def values(html, name):
    return re.findall(rf'name="{name}" value="([^"]+)"', html)


def identify(client, demo, headers=None):
    return identify_on_web(client, demo["phone"], demo["year"], "/health/my", headers=headers)


def walk_to_confirm(client, demo, headers=None, day_index=3):
    """Service, day and time; returns (chosen day, chosen slot id)."""
    headers = headers or {}
    html = client.get(f"/health/stations/{demo['station']}", headers=headers).get_data(as_text=True)
    assert "您想预约哪一项？" in html and "南湖路18号" in html
    response = client.submit(f"/health/stations/{demo['station']}", {"service": demo["service"]}, headers=headers)
    assert response.status_code == 303 and response.headers["Location"] == "/health/book/day"
    html = client.get("/health/book/day", headers=headers).get_data(as_text=True)
    days = values(html, "day")
    assert len(days) >= 10 and "星期" in html
    day = days[day_index]
    assert client.submit("/health/book/day", {"day": day}, headers=headers).headers["Location"] == "/health/book/time"
    html = client.get("/health/book/time", headers=headers).get_data(as_text=True)
    slot = values(html, "slot")[0]
    response = client.submit("/health/book/time", {"slot": slot}, headers=headers)
    assert response.headers["Location"] == "/health/book/confirm"
    return day, int(slot)


def book_one(client, demo, day_index=3):
    """Book the `demo` service through every page; returns the booking reference."""
    walk_to_confirm(client, demo, day_index=day_index)
    identify_on_web(client, demo["phone"], demo["year"], "/health/book/confirm")
    response = client.submit("/health/book/confirm", {})
    assert response.status_code == 303 and "/health/bookings/" in response.headers["Location"]
    return response.headers["Location"].split("/")[-1].split("?")[0]


# -- helpers and requests ------------------------------------------------------------------------------
def start_assisting(client, number, reason="Report a broken stair light", identity="known"):
    client.get(f"/assist/residents/{number}")
    return client.submit(
        f"/assist/residents/{number}", {"identity_check": identity, "consent": "yes", "reason": reason}
    )


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


def post_aid_through_the_steps(client, kind, category, text, where):
    """Walk the mutual-aid posting steps (need or offer, category, words, grid or community) and send it;
    the last step's response."""
    client.get("/aid/new")
    client.submit("/aid/new/kind", {"kind": kind})
    client.submit("/aid/new/category", {"category": category})
    client.submit("/aid/new/text", {"text": text})
    client.submit("/aid/new/where", {"where": where})
    return client.submit("/aid/new/check")


def identify_to_file(client, senior):
    """Identify on the web as `senior` on the way to filing a request."""
    client.get("/identify")
    response = identify_on_web(client, senior["phone"], senior["birth_year"], "/requests/new")
    assert response.headers["Location"] == "/requests/new"


def signed_in_resident_session(app, resident_id, station_id, service_id, day, slot_id):
    """A session exactly as the flow leaves it after the resident chose service, day and time and
    identified, stored on the server like any other (building it directly avoids 250 requests and the
    identification rate limit). Returns the session cookie's value (its id) and the form token."""
    with app.test_request_context():
        token = generate_csrf()
        session["flow:health-book"] = {
            "answers": {"service": service_id, "day": day.isoformat(), "time": slot_id},
            "context": {"station_id": station_id},
        }
        session["resident_identity"] = {"id": resident_id, "how": "phone", "at": time.time()}
        app.session_interface.save_session(app, session._get_current_object(), app.response_class())
        cookie = session.sid
    return cookie, token
