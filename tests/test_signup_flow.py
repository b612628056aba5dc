"""The resident's own sign-up through the test client: every step, Back and Change, check answers,
duplicates, bad codes, the rate limit, and what the record says (helpers: test_signup_by_helpers.py)."""

import re

from portal.extensions import db
from portal.models import AuditEvent, Poster, Resident

from tests.support.flows import NEW, answer_all, begin, main_text, poster_code
from tests.support.identity import prove_phone, sent_codes
from tests.support.records import resident_named


def count_residents(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Resident))


# -- the resident's own sign-up ----------------------------------------------------------------------
def test_each_question_is_its_own_page_with_the_question_as_h1(app, client):
    begin(client, poster_code(app))
    pages = [
        ("name", "您叫什么名字？", {"name": NEW["name"]}),
        ("phone", "您的手机号码是多少？", {"phone": NEW["phone"]}),
        ("home", "您住在哪栋楼？", {"building": NEW["building"], "room": NEW["room"]}),
        ("birth_year", "您是哪一年出生的？", {"birth_year": NEW["birth_year"]}),
        ("needs", "有什么情况需要您的网格员知道吗？", {"needs": NEW["needs"]}),
        ("consent", "您同意我们这样使用您的信息吗？", {"consent": "yes"}),
    ]
    for step, question, answer in pages:
        html = client.get(f"/signup/{step}").get_data(as_text=True)
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
        assert question in h1, step
        assert "南湖社区 · 第一网格" in html
        assert client.submit(f"/signup/{step}", answer).status_code == 303
        if step == "phone":
            prove_phone(client, expected_next="/signup/home")
    html = client.get("/signup/check-answers").get_data(as_text=True)
    for shown in ("赵新来", "139 0000 1111", "2幢 3-502", "1948", "我一个人住", "我没有智能手机", "是，已同意"):
        assert shown in html
    assert "/privacy" in client.get("/signup/consent").get_data(as_text=True)  # the plain privacy page


def test_buildings_are_those_of_the_posters_grid(app, client):
    begin(client, poster_code(app, 2))  # 第二网格: 5幢 and 6幢
    client.submit("/signup/name", {"name": "钱多多"})
    client.submit("/signup/phone", {"phone": "13911112222"})
    prove_phone(client)
    html = client.get("/signup/home").get_data(as_text=True)
    assert "5幢" in html and "6幢" in html and "1幢" not in html
    assert 'type="radio"' in html
    html = client.submit("/signup/home", {"building": "1", "room": "101"}).get_data(as_text=True)
    assert "请从列表中选择一栋楼" in html


def test_confirming_creates_the_resident_counts_the_sign_up_and_shows_the_number(app, client):
    code = poster_code(app)
    before = count_residents(app)
    begin(client, code)
    answer_all(client)
    response = client.submit("/signup/check-answers")
    assert response.headers["Location"] == "/signup/done"
    html = client.get("/signup/done").get_data(as_text=True)
    resident = resident_named(app, "赵新来")
    assert count_residents(app) == before + 1
    assert f"{resident.number[:4]} {resident.number[4:]}" in html
    assert "打印我的居民卡" in html and f'href="/cards/{resident.number}"' in html
    assert "接下来会怎样" in html
    assert (resident.phone, resident.channel, resident.entered_by_id) == ("13900001111", "qr", None)
    assert resident.lives_alone and resident.no_smartphone and not resident.hearing_difficulty
    assert resident.building.name == "2幢" and resident.room == "3-502" and resident.consented_at
    with app.app_context():
        poster = db.session.scalars(db.select(Poster).filter_by(code=code)).one()
        assert (poster.scans, poster.signups) == (1, 1)
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="resident.register")).one()
        assert event.resident_id == resident.id and event.channel == "qr" and code in event.detail
    # The answers are gone: a second confirm cannot make a second record.
    assert client.submit("/signup/check-answers").headers["Location"] == "/j?expired=1"
    assert count_residents(app) == before + 1


def test_back_never_loses_answers(app, client):
    begin(client, poster_code(app))
    client.submit("/signup/name", {"name": "赵新来"})
    client.submit("/signup/phone", {"phone": "139-0000-1111"})
    prove_phone(client)
    html = client.get("/signup/home").get_data(as_text=True)
    assert 'href="/signup/phone"' in html  # Back
    assert 'value="139 0000 1111"' in client.get("/signup/phone").get_data(as_text=True)
    assert 'value="赵新来"' in client.get("/signup/name").get_data(as_text=True)
    assert f'href="/join/{poster_code(app)}"' in client.get("/signup/name").get_data(as_text=True)
    client.submit("/signup/home", {"building": "3", "room": "101"})
    html = client.get("/signup/home").get_data(as_text=True)
    assert re.search(r'value="3" checked', html) and 'value="101"' in html
    # Going back to the start page offers to continue, not to lose everything.
    html = client.get(f"/join/{poster_code(app)}").get_data(as_text=True)
    assert "接着上次继续" in html
    assert client.submit(f"/join/{poster_code(app)}").headers["Location"] == "/signup/birth_year"


def test_change_from_check_answers_comes_back_to_it(app, client):
    begin(client, poster_code(app))
    answer_all(client)
    html = client.get("/signup/check-answers").get_data(as_text=True)
    assert 'href="/signup/birth_year?change=1"' in html
    page = client.get("/signup/birth_year?change=1").get_data(as_text=True)
    assert 'href="/signup/check-answers"' in page and 'value="1948"' in page
    response = client.submit("/signup/birth_year?change=1", {"birth_year": "1951"})
    assert response.headers["Location"] == "/signup/check-answers"
    assert "1951" in client.get("/signup/check-answers").get_data(as_text=True)


def test_no_mobile_phone_asks_for_a_family_contact(app, client):
    begin(client, poster_code(app))
    answer_all(client, no_phone=True, family="女儿 王丽 137 1234 5678")
    assert 'href="/signup/family"' in client.get("/signup/home").get_data(as_text=True)  # Back goes via family
    html = client.get("/signup/check-answers").get_data(as_text=True)
    assert "没有手机" in html and "女儿 王丽 137 1234 5678" in html
    client.submit("/signup/check-answers")
    resident = resident_named(app, "赵新来")
    assert resident.phone is None and resident.family_contact == "女儿 王丽 137 1234 5678"


def test_changing_to_no_phone_asks_for_the_family_contact_then_returns(app, client):
    begin(client, poster_code(app))
    answer_all(client)
    response = client.submit("/signup/phone?change=1", {"no_phone": "1"})
    assert response.headers["Location"] == "/signup/family?change=1"
    response = client.submit("/signup/family?change=1", {"family_contact": "儿子 13800002222"})
    assert response.headers["Location"] == "/signup/check-answers"
    assert "儿子 13800002222" in client.get("/signup/check-answers").get_data(as_text=True)


def test_errors_are_plain_keep_the_input_and_say_error_in_the_title(app, client):
    begin(client, poster_code(app))
    response = client.submit("/signup/name", {"name": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "请输入您的姓名" in html and "<title>错误：" in html
    client.submit("/signup/name", {"name": "赵新来"})
    html = client.submit("/signup/phone?lang=en", {"phone": "139 1234"}).get_data(as_text=True)
    assert "Enter an 11-digit mobile number starting with 1" in html
    assert 'value="139 1234"' in html and 'aria-invalid="true"' in html and 'href="#phone"' in html
    client.submit("/signup/phone", {"phone": "13900001111"})
    prove_phone(client)
    html = client.submit("/signup/home", {"building": "", "room": "3-502"}).get_data(as_text=True)
    assert "Choose your building" in html and 'value="3-502"' in html
    client.submit("/signup/home", {"building": "1", "room": "3-502"})
    html = client.submit("/signup/birth_year", {"birth_year": "48"}).get_data(as_text=True)
    assert "as 4 digits" in html and 'value="48"' in html
    client.submit("/signup/birth_year", {"birth_year": "1948"})
    client.submit("/signup/needs", {})
    html = client.submit("/signup/consent", {}).get_data(as_text=True)
    assert "Tick the box to agree" in html


def test_steps_cannot_be_skipped_and_lost_answers_start_again(app, client):
    response = client.get("/signup/name")
    assert response.headers["Location"] == "/j?expired=1"
    assert "为保护隐私" in client.get("/j?expired=1").get_data(as_text=True)
    begin(client, poster_code(app))
    assert client.get("/signup/birth_year").headers["Location"] == "/signup/name"
    assert client.get("/signup/check-answers").headers["Location"] == "/signup/name"
    assert client.get("/signup/nonsense").status_code == 404


def test_an_already_registered_phone_is_told_only_after_the_code_right_after_the_phone(app, client):
    """Before: "already registered" came after all six questions, to anyone who typed the number."""
    with app.app_context():
        existing = db.session.scalars(
            db.select(Resident).where(Resident.community_id == 1, Resident.phone.is_not(None))
        ).first()
        phone, name, number = existing.phone, existing.name, existing.number
    before = count_residents(app)
    code = poster_code(app)
    begin(client, code)
    client.submit("/signup/name", {"name": NEW["name"]})
    response = client.submit("/signup/phone", {"phone": f"{phone[:3]} {phone[3:7]} {phone[7:]}"})
    # Without the code the page is the same as for a new number: nothing says it is registered.
    assert response.headers["Location"] == "/signup/phone-code"
    known = client.get("/signup/phone-code").get_data(as_text=True)
    html = client.submit(
        "/signup/phone-code", {"code": "000000" if sent_codes(app, phone)[-1] != "000000" else "111111"}
    ).get_data(as_text=True)
    # What the page says (the <main>), not the fingerprinted file names in <head>, which are hex digits.
    for secret in (name, name[0] + "*", number, number[:4], "已经登记"):
        assert secret not in main_text(known) and secret not in main_text(html)
    assert client.get("/signup/home").headers["Location"] == "/signup/phone-code"  # no skipping the code
    response = prove_phone(client, expected_next="/signup/already-registered")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "您已经登记过了" in html and "网格员" in html
    assert "显示我的居民卡" in html and f'href="/cards/{number}"' in html  # a way to get the card again
    assert name not in html
    assert client.get(f"/cards/{number}").status_code == 200
    assert count_residents(app) == before
    with app.app_context():
        assert db.session.scalars(db.select(Poster.signups).filter_by(code=code)).one() == 0
    assert client.get("/signup/done").headers["Location"] == "/j?expired=1"


def test_a_stranger_cannot_learn_the_card_without_the_code(app, client):
    with app.app_context():
        number = db.session.scalars(
            db.select(Resident.number).where(Resident.community_id == 1, Resident.phone.is_not(None))
        ).first()
    begin(client, poster_code(app))
    client.submit("/signup/name", {"name": NEW["name"]})
    with app.app_context():
        phone = db.session.scalars(db.select(Resident.phone).filter_by(number=number)).one()
    client.submit("/signup/phone", {"phone": phone})
    for guess in ("000001", "000002", "000003", "000004", "000005"):
        client.submit("/signup/phone-code", {"code": guess})
    html = client.submit("/signup/phone-code", {"code": sent_codes(app, phone)[-1]}).get_data(as_text=True)
    assert "试了太多次" in html  # paused after 5 wrong codes, even for the right one
    assert client.get(f"/cards/{number}").status_code == 403


def test_sign_up_is_rate_limited_per_client_with_a_friendly_page(app, client):
    app.config["PORTAL_SIGNUP_RATE_LIMIT"] = "5 per minute"
    begin(client, poster_code(app))  # one POST
    for _ in range(4):
        assert client.submit("/signup/name", {"name": ""}).status_code == 200
    response = client.submit("/signup/name", {"name": "赵新来"})
    assert response.status_code == 429
    assert "请稍等一下" in response.get_data(as_text=True)
    assert client.get("/signup/name").status_code == 200  # reading is not limited
    neighbour = app.test_client()  # another phone, on another address, is not held up
    neighbour.get("/j", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    response = neighbour.submit(f"/join/{poster_code(app)}", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 303 and response.headers["Location"] == "/signup/name"


def test_default_rate_limit_allows_a_few_sign_ups_from_one_address(app, client):
    code = poster_code(app)
    for n in range(3):
        begin(client, code)
        answer_all(client, answers={**NEW, "name": f"居民{n}", "phone": f"1390000222{n}"})
        assert client.submit("/signup/check-answers").headers["Location"] == "/signup/done"
