import pytest

from portal.extensions import db
from portal.models import Resident
from portal.services.cards import CardTokenError, card_token, reissue_card, resolve_card_token

SECRET = "card-test-secret"


@pytest.fixture
def resident(app):
    with app.app_context():
        yield db.session.scalars(db.select(Resident).order_by(Resident.id)).first()


def test_round_trip_names_the_resident_without_phone_or_id(resident):
    token = card_token(resident, SECRET)
    assert resolve_card_token(db.session, token, SECRET).id == resident.id
    assert resident.phone not in token
    assert token.startswith(f"LC1-{resident.number}-1-")


def test_scanner_noise_is_tolerated(resident):
    token = card_token(resident, SECRET)
    assert resolve_card_token(db.session, f"  {token.lower()}\n", SECRET).id == resident.id


@pytest.mark.parametrize(
    "mangle, reason",
    [
        (lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), "tampered"),
        (lambda t: t.replace("-1-", "-2-"), "tampered"),
        (lambda t: "hello", "malformed"),
        (lambda t: "", "malformed"),
        (lambda t: "LC1-00000000-1-AAAAAAAAAAAAAAAA", "unknown"),
    ],
)
def test_tampered_and_malformed_tokens_are_refused(resident, mangle, reason):
    with pytest.raises(CardTokenError) as refused:
        resolve_card_token(db.session, mangle(card_token(resident, SECRET)), SECRET)
    assert refused.value.reason == reason


def test_another_deployments_card_is_refused(resident):
    with pytest.raises(CardTokenError, match="tampered"):
        resolve_card_token(db.session, card_token(resident, "another-secret"), SECRET)


def test_reissue_revokes_the_old_card(resident):
    old = card_token(resident, SECRET)
    assert reissue_card(db.session, resident) == 2
    db.session.commit()
    new = card_token(resident, SECRET)
    assert new != old
    assert resolve_card_token(db.session, new, SECRET).id == resident.id
    with pytest.raises(CardTokenError, match="revoked"):
        resolve_card_token(db.session, old, SECRET)


def test_foreign_community_card_is_refused(resident):
    token = card_token(resident, SECRET)
    other = resident.community_id + 1
    with pytest.raises(CardTokenError, match="foreign"):
        resolve_card_token(db.session, token, SECRET, community_id=other)
    assert resolve_card_token(db.session, token, SECRET, community_id=resident.community_id)


def test_moving_a_token_to_another_resident_fails(app):
    with app.app_context():
        first, second = db.session.scalars(db.select(Resident).order_by(Resident.id).limit(2)).all()
        forged = card_token(first, SECRET).replace(first.number, second.number)
        with pytest.raises(CardTokenError, match="tampered"):
            resolve_card_token(db.session, forged, SECRET)
