"""The printable resident card: who may see it, what it shows, and reissuing it."""

import re

import pytest

import portal.join.cards as cards
from portal.extensions import db
from portal.models import AuditEvent, Resident
from portal.services.cards import CardTokenError, card_token, resolve_card_token
from portal.services.masking import mask_name
from portal.services.posters import active_grid_poster

from tests.support.flows import NEW, answer_all, begin


def signed_up(app, client):
    with app.app_context():
        code = active_grid_poster(db.session, 1).code
    begin(client, code)
    answer_all(client)
    client.submit("/signup/check-answers")
    with app.app_context():
        return db.session.scalars(db.select(Resident).filter_by(name=NEW["name"])).one().number


def resident_in_grid(app, grid_id):
    with app.app_context():
        resident = db.session.scalars(
            db.select(Resident).where(Resident.grid_id == grid_id, Resident.phone.is_not(None))
        ).first()
        return resident.number, resident.name, resident.phone, card_token(resident, app.config["SECRET_KEY"])


def test_the_card_shows_masked_name_place_number_and_token_never_the_phone(app, client):
    number = signed_up(app, client)
    response = client.get(f"/cards/{number}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "赵*来" in html and "赵新来" not in html
    assert "南湖社区 · 第一网格" in html and f"{number[:4]} {number[4:]}" in html
    assert "13900001111" not in html and "139****1111" not in html and "139 0000 1111" not in html
    with app.app_context():
        resident = db.session.scalars(db.select(Resident).filter_by(number=number)).one()
        token = card_token(resident, app.config["SECRET_KEY"])
    assert html.count(token) == 2  # under the QR code on the card, and large on screen for typing
    assert '<svg class="qr card-qr-code"' in html


def test_the_card_is_for_the_new_residents_own_browser_for_a_short_time(app, client, clock):
    number = signed_up(app, client)
    stranger = app.test_client()
    response = stranger.get(f"/cards/{number}")
    assert response.status_code == 403
    assert "这里已经不能再显示这张卡" in response.get_data(as_text=True)
    clock.shift(cards.GRANT_SECONDS + 1)
    assert client.get(f"/cards/{number}").status_code == 403
    assert client.get("/signup/done").headers["Location"] == "/j?expired=1"


@pytest.mark.parametrize(
    "user, grid_id, status",
    [
        ("staff", 1, 200),
        ("staff", 5, 404),
        ("admin", 5, 200),
        ("gridworker", 2, 200),
        ("gridworker", 3, 404),
        ("volunteer", 1, 403),
        ("nurse", 1, 403),
    ],
)
def test_staff_and_grid_workers_see_cards_in_their_scope(app, client, auth, user, grid_id, status):
    number, *_ = resident_in_grid(app, grid_id)
    auth.login(user)
    assert client.get(f"/cards/{number}").status_code == status


def test_unknown_and_malformed_numbers_are_404(client, auth):
    auth.login("staff")
    assert client.get("/cards/00000000").status_code == 404
    assert client.get("/cards/1").status_code == 404


def test_grid_page_links_each_resident_to_their_card(app, client, auth):
    number, *_ = resident_in_grid(app, 1)
    auth.login("gridworker")
    assert f'href="/cards/{number}"' in client.get("/grids/1/residents").get_data(as_text=True)


def test_reissue_needs_a_reason_revokes_the_old_card_and_is_audited(app, client, auth):
    number, name, _phone, old_token = resident_in_grid(app, 1)
    auth.login("gridworker")
    html = client.get(f"/cards/{number}").get_data(as_text=True)
    assert f'href="/cards/{number}/reissue"' in html
    html = client.get(f"/cards/{number}/reissue").get_data(as_text=True)
    assert mask_name(name) in html and name not in html
    html = client.submit(f"/cards/{number}/reissue", {"reason": ""}).get_data(as_text=True)
    assert "请选择需要新卡的原因" in html
    html = client.submit(f"/cards/{number}/reissue", {"reason": "other", "note": ""}).get_data(as_text=True)
    assert "请简单写一下为什么需要新卡" in html
    response = client.submit(f"/cards/{number}/reissue", {"reason": "lost", "note": "丢在菜场"})
    assert response.status_code == 303 and response.headers["Location"] == f"/cards/{number}?reissued=1"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "旧卡已经不能用了" in html and old_token not in html
    with app.app_context():
        with pytest.raises(CardTokenError, match="revoked"):
            resolve_card_token(db.session, old_token, app.config["SECRET_KEY"])
        resident = db.session.scalars(db.select(Resident).filter_by(number=number)).one()
        assert resident.card_version == 2
        assert card_token(resident, app.config["SECRET_KEY"]) in html
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="card.reissue")).one()
        assert (event.actor.username, event.resident_id) == ("gridworker", resident.id)
        assert event.reason == "lost: 丢在菜场" and event.channel == "gridworker"


@pytest.mark.parametrize(
    "user, grid_id, status",
    [
        ("volunteer", 1, 403),
        ("gridworker", 3, 404),
        ("staff", 5, 404),
        (None, 1, 303),
    ],
)
def test_reissue_is_scoped(app, client, auth, user, grid_id, status):
    number, *_ = resident_in_grid(app, grid_id)
    if user:
        auth.login(user)
        client.get("/me")
    assert client.submit(f"/cards/{number}/reissue", {"reason": "lost"}).status_code == status
    with app.app_context():
        assert db.session.scalars(db.select(Resident.card_version).filter_by(number=number)).one() == 1


def test_a_helper_who_just_registered_someone_can_print_their_card(app, client, auth):
    auth.login("volunteer")
    client.get("/residents/register")
    client.submit("/residents/register", {"grid_id": "1"})
    answer_all(client, base="/residents/register")
    client.submit("/residents/register/check-answers")
    html = client.get("/residents/register/done").get_data(as_text=True)
    number = re.search(r'href="/cards/(\d{8})"', html).group(1)
    response = client.get(f"/cards/{number}")
    assert response.status_code == 200
    assert "/reissue" not in response.get_data(as_text=True)  # volunteers cannot reissue cards
