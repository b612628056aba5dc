"""No personal data in any cookie: every cookie the app sets while someone signs up, identifies on the
web or at a kiosk, while a kiosk is registered and activated, and during an assisted session, is decoded
(signed Flask and itsdangerous cookies are only base64, perhaps zlib) and searched for what was typed."""

import base64
import re
import zlib
from urllib.parse import unquote

from portal.extensions import db
from portal.models import Resident
from portal.seed import DEMO_PASSWORD
from portal.services.posters import active_grid_poster

from tests.support.flows import start_assisting

NEW = {"name": "钱新邻", "phone": "13900002468", "room": "7-908", "birth_year": "1947"}
CODE_RE = re.compile(r"K\d+-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")


class Recorder:
    """Sends requests through a test client and keeps every Set-Cookie header of every response."""

    def __init__(self, client):
        self.client = client
        self.cookies: list[str] = []

    def _keep(self, response):
        self.cookies += response.headers.getlist("Set-Cookie")
        return response

    def get(self, url):
        return self._keep(self.client.get(url))

    def submit(self, url, data=None):
        return self._keep(self.client.submit(url, data))


def sign_in_as(browser: Recorder, username: str) -> None:
    browser.get("/login")
    assert browser.submit("/login", {"username": username, "password": DEMO_PASSWORD}).status_code == 303
    browser.get("/me")


def readable(header: str) -> str:
    """Everything a person could read out of one Set-Cookie header."""
    value = unquote(header.split(";", 1)[0].split("=", 1)[1])
    texts = [value]
    for part in value.lstrip(".").split("."):
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except ValueError:
            continue
        texts.append(raw.decode("utf-8", "replace"))
        try:
            texts.append(zlib.decompress(raw).decode("utf-8", "replace"))
        except zlib.error:
            pass
    return "\n".join(texts)


def personal_data_in(cookies: list[str], secrets: list[str]) -> list[tuple[str, str]]:
    found = []
    for header in cookies:
        text = readable(header)
        for secret in secrets:
            # JSON writes Chinese as \\uXXXX escapes.
            if secret in text or secret.encode("unicode_escape").decode() in text:
                found.append((header.split("=", 1)[0], secret))
    return found


def test_signing_up_from_a_poster_leaves_no_answer_in_a_cookie(app, client):
    with app.app_context():
        code = active_grid_poster(db.session, 1).code
    browser = Recorder(client)
    browser.get(f"/j/{code}")
    browser.submit(f"/join/{code}")
    browser.submit("/signup/name", {"name": NEW["name"]})
    browser.submit("/signup/phone", {"phone": NEW["phone"]})
    browser.submit("/signup/home", {"building": "2", "room": NEW["room"]})
    browser.submit("/signup/birth_year", {"birth_year": NEW["birth_year"]})
    browser.get("/signup/check-answers")
    assert any(c.startswith("session=") for c in browser.cookies)
    assert personal_data_in(browser.cookies, list(NEW.values())) == []


def test_identifying_on_the_web_and_at_a_kiosk_leaves_nothing_personal_in_a_cookie(app, client, senior):
    with app.app_context():
        resident = db.session.get(Resident, senior["id"])
        secrets = [resident.name, resident.phone, str(resident.birth_year), resident.room]
    web = Recorder(app.test_client())
    web.get("/identify")
    web.submit("/identify", {"phone": senior["phone"], "birth_year": senior["birth_year"], "next": "/privacy"})
    web.get("/privacy")
    # Staff register a kiosk: the next page shows its activation code once.
    staff = Recorder(client)
    sign_in_as(staff, "staff")
    created = staff.submit("/admin/kiosks/new", {"name": "测试一体机", "location": "大厅"})
    code = CODE_RE.search(staff.get(created.headers["Location"]).get_data(as_text=True)).group(0)
    kiosk = Recorder(app.test_client())
    kiosk.get("/kiosk/activate")
    kiosk.submit("/kiosk/activate", {"code": code})
    kiosk.get("/kiosk")
    kiosk.get("/kiosk/identify/phone")
    kiosk.submit("/kiosk/identify/phone", {"phone": senior["phone"], "key": "next"})
    kiosk.submit("/kiosk/identify/year", {"birth_year": senior["birth_year"], "key": "next"})
    assert kiosk.get("/kiosk/me").status_code == 200
    assert any(c.startswith("linli_kiosk=") for c in kiosk.cookies)
    everything = web.cookies + staff.cookies + kiosk.cookies
    assert personal_data_in(everything, secrets + [code]) == []


def test_an_assisted_session_and_a_helper_registration_leave_nothing_personal_in_a_cookie(app, client, senior):
    with app.app_context():
        resident = db.session.get(Resident, senior["id"])
        number, secrets = resident.number, [resident.name, resident.phone, str(resident.birth_year), resident.room]
    helper = Recorder(client)
    sign_in_as(helper, "volunteer")
    helper._keep(start_assisting(client, number, reason="帮忙预约量血压"))
    helper.get("/assist/now")
    helper.get("/health/my")
    helper.submit("/assist/end")
    helper.get("/residents/register")
    helper.submit("/residents/register", {"grid_id": "1"})
    helper.submit("/residents/register/name", {"name": NEW["name"]})
    helper.submit("/residents/register/phone", {"phone": NEW["phone"]})
    helper.submit("/residents/register/home", {"building": "2", "room": NEW["room"]})
    helper.get("/residents/register/birth_year")
    assert personal_data_in(helper.cookies, secrets + list(NEW.values())) == []
