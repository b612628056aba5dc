"""Registering a resident through a grid worker or volunteer, the ways in to joining, and the English
pages of sign-up and registration (the resident's own sign-up: test_signup_flow.py)."""

import re

import pytest

from portal.extensions import db
from portal.models import Account, Activity, AuditEvent, Resident

from tests.support.flows import NEW, answer_all, begin, poster_code
from tests.support.records import resident_named


# -- register a resident (grid workers and volunteers) -------------------------------------------------------
def test_gridworker_registers_a_resident_without_a_phone(app, client, auth):
    auth.login("gridworker")
    html = client.get("/me").get_data(as_text=True)
    assert 'href="/residents/register"' in html and "登记居民" in html
    html = client.get("/residents/register").get_data(as_text=True)
    assert "第一网格" in html and "第二网格" in html and "第三网格" not in html  # only their own grids
    assert re.search(r'value="1" checked', html)  # one grid preselected
    assert client.submit("/residents/register", {"grid_id": "2"}).headers["Location"] == "/residents/register/name"
    assert "居民叫什么名字？" in client.get("/residents/register/name").get_data(as_text=True)
    answer_all(client, base="/residents/register", answers={**NEW, "building": "4"}, no_phone=True)
    html = client.get("/residents/register/check-answers").get_data(as_text=True)
    assert "核对居民的回答" in html and "网格员会上门看望" in html
    response = client.submit("/residents/register/check-answers")
    assert response.headers["Location"] == "/residents/register/done"
    resident = resident_named(app, "赵新来")
    html = client.get("/residents/register/done").get_data(as_text=True)
    assert "赵*来" in html and f"{resident.number[:4]} {resident.number[4:]}" in html
    with app.app_context():
        helper = db.session.scalars(db.select(Account).filter_by(username="gridworker")).one()
        assert (resident.channel, resident.entered_by_id, resident.grid_id, resident.phone) == (
            "gridworker",
            helper.id,
            2,
            None,
        )
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="resident.register")).one()
        assert (event.actor_id, event.resident_id, event.channel) == (helper.id, resident.id, "gridworker")
    with client.session_transaction() as session:
        assert session["last_registered_resident_id"] == resident.id


def test_volunteer_registers_into_their_communitys_grids(app, client, auth):
    auth.login("volunteer")
    assert "登记居民" in client.get("/me").get_data(as_text=True)
    html = client.get("/residents/register").get_data(as_text=True)
    assert all(name in html for name in ("第一网格", "第二网格", "第三网格", "第四网格"))
    response = client.get("/residents/register?grid_id=3")  # preselected from a link: straight in
    assert response.headers["Location"] == "/residents/register/name"
    answer_all(client, base="/residents/register", answers={**NEW, "building": "6"})
    client.submit("/residents/register/check-answers")
    resident = resident_named(app, "赵新来")
    assert resident.channel == "volunteer" and resident.entered_by.username == "volunteer" and resident.grid_id == 3


def test_helpers_cannot_register_outside_their_grids(client, auth):
    auth.login("gridworker")
    html = client.get("/residents/register?grid_id=3").get_data(as_text=True)  # grid 3 is not theirs
    assert "居民住在哪个网格？" in html
    html = client.submit("/residents/register", {"grid_id": "5"}).get_data(as_text=True)  # another community
    assert "请选择居民所在的网格" in html
    assert client.get("/residents/register/name").headers["Location"] == "/residents/register"


@pytest.mark.parametrize("user, status", [(None, 303), ("staff", 403), ("nurse", 403), ("admin", 403)])
def test_only_helpers_register_residents(client, auth, user, status):
    if user:
        auth.login(user)
    assert client.get("/residents/register").status_code == status


def test_helper_duplicate_says_so_without_details(app, client, auth):
    with app.app_context():
        phone = db.session.scalars(
            db.select(Resident.phone).where(Resident.grid_id == 1, Resident.phone.is_not(None))
        ).first()
    auth.login("gridworker")
    client.get("/residents/register")  # signing in starts a new session with a new CSRF token
    client.submit("/residents/register", {"grid_id": "1"})
    answer_all(client, base="/residents/register", answers={**NEW, "phone": phone})
    response = client.submit("/residents/register/check-answers")
    assert response.headers["Location"] == "/residents/register/already-registered"
    assert "没有重复登记" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_unfinished_registration_can_be_continued(client, auth):
    auth.login("gridworker")
    client.get("/residents/register")
    client.submit("/residents/register", {"grid_id": "1"})
    client.submit("/residents/register/name", {"name": "赵新来"})
    html = client.get("/residents/register").get_data(as_text=True)
    assert "赵*来" in html and "继续那次登记" in html
    assert client.submit("/residents/register", {"resume": "1"}).headers["Location"] == "/residents/register/phone"
    client.submit("/residents/register", {"grid_id": "1"})  # start a new one: the old name is gone
    assert 'value="赵新来"' not in client.get("/residents/register/name").get_data(as_text=True)


# -- ways in -------------------------------------------------------------------------------------------
def test_home_pages_lead_to_joining(client, auth):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/j"' in html and "加入网格" in html
    assert "扫一扫" in client.get("/j").get_data(as_text=True)
    auth.login("staff")
    html = client.get("/me").get_data(as_text=True)
    assert 'href="/posters"' in html and "打印二维码海报" in html and "登记居民" not in html


def english_body_words(html, allowed=()):
    body = re.sub(r"<[^>]+>", " ", html.split("<body", 1)[1])
    return [w for w in re.findall(r"[\u4e00-\u9fff]+", body) if w not in ("邻里", "中文", *allowed)]


def test_english_staff_pages_have_no_chinese_outside_names(app, client, auth):
    client.get("/?lang=en")
    auth.login("staff")
    with app.app_context():
        resident = db.session.scalars(db.select(Resident).where(Resident.grid_id == 1)).first()
        number, masked = resident.number, resident.name[0]
        # What staff wrote, in the one language they wrote it in: the demo activities' titles and places.
        written = [
            w
            for a in db.session.scalars(db.select(Activity))
            for w in re.findall(r"[\u4e00-\u9fff]+", f"{a.title} {a.description} {a.place}")
        ]
    code = poster_code(app)
    for url in [
        "/me",
        "/communities/1/posters",
        "/communities/1/posters/print",
        f"/posters/{code}",
        f"/posters/{code}/replace",
        f"/cards/{number}",
        f"/cards/{number}/reissue",
    ]:
        words = english_body_words(client.get(url).get_data(as_text=True), allowed=("陈社工", *written))
        assert all(w.startswith(masked) or len(w) == 1 for w in words), (url, words)  # only the masked name


def test_english_sign_up_pages_have_no_chinese_outside_names(app, client):
    client.get("/?lang=en")
    code = poster_code(app)
    begin(client, code)
    answer_all(client)
    pages = [
        f"/join/{code}",
        "/j",
        "/signup/name",
        "/signup/phone",
        "/signup/family",
        "/signup/home",
        "/signup/birth_year",
        "/signup/needs",
        "/signup/consent",
        "/signup/check-answers",
    ]
    for url in pages:
        assert english_body_words(client.get(url).get_data(as_text=True), allowed=("赵新来",)) == [], url
