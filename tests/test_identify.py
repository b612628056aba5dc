"""The one identification service: one phone rule, one birth-year rule, always scoped, failures counted."""

import pytest

from portal.extensions import db
from portal.identify import current_resident
from portal.models import AuditEvent, Resident
from portal.services.cards import card_token, reissue_card
from portal.services.identity import IdentifyError, check_birth_year, identify_resident, normalise_phone, this_year


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
        ("13912345678", "50", {"birth_year": "year_format"}),
        ("13912345678", "2999", {"birth_year": "year_range"}),
        ("13912345678", "1899", {"birth_year": "year_range"}),
        ("13912345678", "¹⁹⁵⁰", {"birth_year": "year_format"}),  # superscript: isdigit() says yes, int() crashes
        ("１３９１２３４５６７８", "１９５０", {"phone": "no_match"}),  # full-width digits are digits
        ("", "", {"phone": "phone_missing", "birth_year": "year_missing"}),
    ],
)
def test_identify_validation_codes(app, phone, year, expected):
    with app.app_context(), pytest.raises(IdentifyError) as refused:
        identify_resident(db.session, "s", phone=phone, birth_year=year, year_now=2026, community_id=1)
    assert refused.value.errors == expected


@pytest.mark.parametrize(
    "raw",
    [
        "13912345678",
        "139 1234 5678",
        "139-1234-5678",
        "+86 139 1234 5678",
        "0086 13912345678",
        "８６１３９１２３４５６７８",
        "１３９　１２３４　５６７８",
        "＋８６ １３９－１２３４－５６７８",
    ],
)
def test_one_phone_normalisation(raw):
    assert normalise_phone(raw) == "13912345678"


def test_the_birth_year_rule_uses_the_portal_time_zone(app):
    from datetime import datetime

    # 1 January 2027, 01:00 in Shanghai is still 31 December 2026 in UTC.
    new_year_in_shanghai = datetime(2026, 12, 31, 17, 0)
    assert this_year("Asia/Shanghai", new_year_in_shanghai) == 2027
    assert this_year("UTC", new_year_in_shanghai) == 2026
    assert check_birth_year("2027", this_year("Asia/Shanghai", new_year_in_shanghai)) == (2027, None)


def test_identify_by_phone_accepts_spaces_dashes_and_full_width(senior):
    spaced = f"{senior.phone[:3]} {senior.phone[3:7]}-{senior.phone[7:]}"
    found = identify_resident(
        db.session,
        "s",
        phone=spaced,
        birth_year=str(senior.birth_year),
        year_now=2026,
        community_id=senior.community_id,
    )
    assert found.id == senior.id
    wide = senior.phone.translate({0x30 + i: 0xFF10 + i for i in range(10)})
    found = identify_resident(
        db.session, "s", phone=wide, birth_year=str(senior.birth_year), year_now=2026, community_id=senior.community_id
    )
    assert found.id == senior.id


def test_wrong_birth_year_says_only_no_match_and_is_audited(senior):
    with pytest.raises(IdentifyError) as refused:
        identify_resident(
            db.session,
            "s",
            phone=senior.phone,
            birth_year=str(senior.birth_year + 1),
            year_now=2026,
            community_id=senior.community_id,
        )
    assert refused.value.errors == {"phone": "no_match"}
    event = db.session.scalars(db.select(AuditEvent).filter_by(action="resident.identify_failed")).one()
    assert senior.phone not in event.detail and "reason=no_match" in event.detail


def test_another_communitys_resident_is_not_found(senior):
    with pytest.raises(IdentifyError):
        identify_resident(
            db.session,
            "s",
            phone=senior.phone,
            birth_year=str(senior.birth_year),
            year_now=2026,
            community_id=senior.community_id + 1,
        )


def test_identify_page_by_card(app, client, senior):
    with app.app_context():
        token = card_token(db.session.merge(senior), app.config["SECRET_KEY"])
    response = client.submit("/identify", {"token": token, "next": "/privacy", "how": "card"})
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
    html = client.submit("/identify?lang=en", {"token": old, "how": "card"}).get_data(as_text=True)
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
        client.submit("/identify", {"phone": "1390000", "birth_year": "1950"})
    assert client.submit("/identify", {"phone": "1390000", "birth_year": "1950"}).status_code == 429
