"""On the open web a phone number proves itself by a code sent by SMS; failures are counted per phone
in the database, so the pause holds from any address and in every app process."""

from datetime import timedelta

import pytest
import time_machine

from portal import create_app
from portal.extensions import db
from portal.models import AuditEvent, Community, Grid, OneTimeCode, Resident, utcnow

from tests.support.identity import sent_codes, wrong_code


@pytest.fixture
def senior(app):
    with app.app_context():
        resident = db.session.scalars(
            db.select(Resident).where(Resident.phone.is_not(None)).order_by(Resident.id)
        ).first()
        return {
            "id": resident.id,
            "phone": resident.phone,
            "year": str(resident.birth_year),
            "community_id": resident.community_id,
        }


def ask(client, senior, year=None, address="198.51.100.1"):
    return client.submit(
        "/identify",
        {"phone": senior["phone"], "birth_year": year or senior["year"], "next": "/privacy"},
        environ_overrides={"REMOTE_ADDR": address},
    )


def type_code(client, code, address="198.51.100.1"):
    return client.submit("/identify/code", {"code": code}, environ_overrides={"REMOTE_ADDR": address})


def test_phone_and_year_send_a_code_and_the_code_identifies(app, client, senior):
    response = ask(client, senior)
    assert response.status_code == 303 and response.headers["Location"] == "/identify/code"
    html = client.get("/identify/code").get_data(as_text=True)
    assert "输入我们发给您的验证码" in html and senior["phone"][-4:] in html and senior["phone"] not in html
    [code] = sent_codes(app, senior["phone"])
    with client.session_transaction() as sess:
        assert "resident_identity" not in sess
    response = type_code(client, code)
    assert response.status_code == 303 and response.headers["Location"] == "/privacy"
    with client.session_transaction() as sess:
        assert sess["resident_identity"]["id"] == senior["id"] and sess["resident_identity"]["how"] == "phone"
    # Used once.
    with app.app_context():
        row = db.session.scalars(db.select(OneTimeCode)).one()
        assert row.used_at is not None and row.code_hash != code and len(row.code_hash) == 64


def test_a_stranger_who_knows_the_phone_cannot_get_in_by_guessing_birth_years(app, client, senior):
    """Before: 48 tries of phone + year found the year. Now no year alone identifies anyone on the web."""
    identified = years_tried = codes_typed = 0
    for year in range(1930, 2006):
        address = f"203.0.113.{year % 250}"
        if ask(client, senior, year=str(year), address=address).status_code != 303:
            break  # refused: paused, or too many codes
        years_tried += 1
        for guess in ("123456", "654321", "111111", "222222", "333333", "444444"):
            html = type_code(client, guess, address=address).get_data(as_text=True)
            codes_typed += "验证码不对" in html or "试了太多次" in html
            with client.session_transaction() as sess:
                identified += "resident_identity" in sess
            if "试了太多次" in html:
                break
    assert identified == 0
    # 5 wrong codes pause the phone for 15 minutes, whatever the addresses: in that time the stranger
    # tried one birth year and 5 of the million codes.
    assert (years_tried, codes_typed) == (1, 5)
    html = ask(client, senior, address="192.0.2.7").get_data(as_text=True)
    assert "这个手机号码试了太多次" in html and "请到服务台请工作人员帮忙，或使用居民卡" in html
    # The real resident got at most one text (when the right year was guessed), never a way in for the stranger.
    assert len(sent_codes(app, senior["phone"])) <= 1
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count()).select_from(AuditEvent).filter_by(action="resident.identify_paused")
            )
            == 1
        )


def test_wrong_year_sends_nothing_but_the_page_looks_the_same(app, client, senior):
    wrong_year = str(int(senior["year"]) + 1)
    first = ask(client, senior, year=wrong_year)
    assert first.headers["Location"] == "/identify/code"
    assert sent_codes(app, senior["phone"]) == []
    html = type_code(client, "123456").get_data(as_text=True)
    assert "验证码不对" in html


def test_five_tries_per_code_and_the_code_runs_out(app, client, senior):
    ask(client, senior)
    [code] = sent_codes(app, senior["phone"])
    with time_machine.travel(utcnow() + timedelta(minutes=11), tick=False):
        html = type_code(client, code).get_data(as_text=True)
    assert "验证码已经过期" in html
    with client.session_transaction() as sess:
        assert "resident_identity" not in sess


def test_two_app_processes_share_the_pause_for_one_phone(database_url, app, senior):
    """Two create_app() on the same database, as two workers or two hosts would be."""
    first = app
    second = create_app({key: app.config[key] for key in ("TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY")})
    second.test_client_class = app.test_client_class
    assert second.config["SQLALCHEMY_DATABASE_URI"] == database_url
    one, other = first.test_client(), second.test_client()
    ask(one, senior, address="198.51.100.1")
    for attempt in range(5):
        type_code(one, "000000" if attempt % 2 else "999999", address=f"198.51.100.{attempt + 1}")
    # The other process, another address: the phone is paused, even with the right code.
    html = ask(other, senior, address="192.0.2.200").get_data(as_text=True)
    assert "这个手机号码试了太多次" in html
    with second.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_same_phone_in_two_communities_asks_which_one(app, client, senior):
    with app.app_context():
        other_community = db.session.scalars(db.select(Community).where(Community.id != senior["community_id"])).first()
        grid = db.session.scalars(db.select(Grid).filter_by(community_id=other_community.id)).first()
        twin = Resident(
            number="87654321",
            name="王秀英",
            phone=senior["phone"],
            birth_year=int(senior["year"]),
            community_id=other_community.id,
            grid_id=grid.id,
            building_id=grid.buildings[0].id,
        )
        db.session.add(twin)
        db.session.commit()
        twin_id, other_name = twin.id, other_community.name
    ask(client, senior)
    [code] = sent_codes(app, senior["phone"])
    response = type_code(client, code)
    assert response.headers["Location"] == "/identify/community"
    html = client.get("/identify/community").get_data(as_text=True)
    assert "您住在哪个社区" in html and other_name in html
    with client.session_transaction() as sess:
        assert "resident_identity" not in sess  # never a guess
    html = client.submit("/identify/community", {}).get_data(as_text=True)
    assert "请选择您住的社区" in html
    response = client.submit("/identify/community", {"community": str(other_community.id)})
    assert response.status_code == 303
    with client.session_transaction() as sess:
        assert sess["resident_identity"]["id"] == twin_id


def test_no_more_than_three_codes_in_fifteen_minutes(app, client, senior):
    for _ in range(3):
        assert ask(client, senior).status_code == 303
    html = ask(client, senior).get_data(as_text=True)
    assert "最近15分钟" in html
    assert len(sent_codes(app, senior["phone"])) == 3
    assert wrong_code("000000") == "111111"
