import pytest

from portal.extensions import db
from portal.identify import current_resident
from portal.models import Resident
from portal.services.cards import card_token, reissue_card
from portal.services.identity import IdentifyError, identify_resident


@pytest.fixture
def senior(app):
    with app.app_context():
        yield db.session.scalars(db.select(Resident).where(Resident.phone.is_not(None)).order_by(Resident.id)).first()


@pytest.mark.parametrize(
    "phone, year, expected",
    [
        ("", "1950", {"phone": "phone_missing"}),
        ("12345", "1950", {"phone": "phone_invalid"}),
        ("13912345678", "", {"birth_year": "year_missing"}),
        ("13912345678", "50", {"birth_year": "year_invalid"}),
        ("13912345678", "2999", {"birth_year": "year_invalid"}),
        ("", "", {"phone": "phone_missing", "birth_year": "year_missing"}),
    ],
)
def test_identify_validation_codes(app, phone, year, expected):
    with app.app_context(), pytest.raises(IdentifyError) as refused:
        identify_resident(db.session, "s", phone=phone, birth_year=year, this_year=2026)
    assert refused.value.errors == expected


def test_identify_by_phone_accepts_spaces_and_dashes(senior):
    spaced = f"{senior.phone[:3]} {senior.phone[3:7]}-{senior.phone[7:]}"
    found = identify_resident(db.session, "s", phone=spaced, birth_year=str(senior.birth_year), this_year=2026)
    assert found.id == senior.id


def test_wrong_birth_year_says_only_no_match(senior):
    with pytest.raises(IdentifyError) as refused:
        identify_resident(db.session, "s", phone=senior.phone, birth_year=str(senior.birth_year + 1), this_year=2026)
    assert refused.value.errors == {"phone": "no_match"}


def test_identify_page_by_phone_then_goes_to_next(app, client, senior):
    with app.app_context():
        phone, year = senior.phone, senior.birth_year
    response = client.submit("/identify", {"phone": phone, "birth_year": str(year), "next": "/privacy"})
    assert response.status_code == 303 and response.headers["Location"] == "/privacy"
    with client.application.test_request_context():
        pass
    with client.session_transaction() as sess:
        assert sess["resident_identity"]["how"] == "phone"


def test_identify_page_by_card(app, client, senior):
    with app.app_context():
        token = card_token(db.session.merge(senior), app.config["SECRET_KEY"])
    response = client.submit("/identify", {"token": token, "next": "/privacy"})
    assert response.headers["Location"] == "/privacy"


def test_identify_errors_are_plain_and_keep_what_was_typed(client):
    html = client.submit("/identify", {"phone": "139 1234", "birth_year": "1950"}).get_data(as_text=True)
    assert "请输入以1开头的11位手机号码" in html
    assert 'value="139 1234"' in html and 'value="1950"' in html


def test_revoked_card_is_explained(app, client):
    with app.app_context():
        senior = db.session.scalars(db.select(Resident).order_by(Resident.id)).first()
        old = card_token(senior, app.config["SECRET_KEY"])
        reissue_card(db.session, senior)
        db.session.commit()
    html = client.submit("/identify?lang=en", {"token": old}).get_data(as_text=True)
    assert "replaced by a newer one" in html


def test_identification_expires(app, senior, clock):
    import portal.identify as identify

    with app.test_request_context():
        identify.remember_resident(db.session.merge(senior), "phone")
        assert current_resident() is not None
        clock.shift(identify.IDENTITY_SECONDS - 5)
        assert current_resident() is not None
        clock.shift(10)
        assert current_resident() is None


def test_identify_is_rate_limited(client):
    for _ in range(10):
        client.submit("/identify", {"phone": "13900000000", "birth_year": "1950"})
    assert client.submit("/identify", {"phone": "13900000000", "birth_year": "1950"}).status_code == 429
