"""Joining a grid: the validation tables, duplicate detection, and the flow through the test client."""

import re

import pytest

from portal.extensions import db
from portal.models import Grid, Resident, utcnow
from portal.services import signup as svc

YEAR = 2026


# -- validation tables ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, expected, error",
    [
        ("13912345678", "13912345678", None),
        ("139 1234 5678", "13912345678", None),
        ("139-1234-5678", "13912345678", None),
        ("+86 139 1234 5678", "13912345678", None),
        ("１３９１２３４５６７８", "13912345678", None),  # full-width digits from a Chinese input method
        ("15012345678", "15012345678", None),
        ("19912345678", "19912345678", None),
        ("", "", "phone_missing"),
        ("   ", "", "phone_missing"),
        ("12912345678", None, "phone_invalid"),  # second digit must be 3-9
        ("1391234567", None, "phone_invalid"),  # 10 digits
        ("139123456789", None, "phone_invalid"),  # 12 digits
        ("0571-8888888", None, "phone_invalid"),  # a landline
        ("139abcd5678", None, "phone_invalid"),
    ],
)
def test_phone_table(raw, expected, error):
    value, errors = svc.check_phone(raw)
    assert errors == ({"phone": error} if error else {})
    if expected is not None:
        assert value == expected


@pytest.mark.parametrize(
    "raw, expected, error",
    [
        ("王秀英", "王秀英", None),
        ("  王  秀英 ", "王 秀英", None),
        ("Li Na", "Li Na", None),
        ("", "", "name_missing"),
        ("12345", None, "name_invalid"),
        ("王" * 41, None, "name_too_long"),
    ],
)
def test_name_table(raw, expected, error):
    value, errors = svc.check_name(raw)
    assert errors == ({"name": error} if error else {})
    if expected is not None:
        assert value == expected


@pytest.mark.parametrize(
    "raw, expected, error",
    [
        ("1950", 1950, None),
        (" １９５０ ", 1950, None),
        ("1906", 1906, None),
        (str(YEAR), YEAR, None),
        ("", None, "year_missing"),
        ("50", None, "year_format"),
        ("195O", None, "year_format"),
        ("1899", None, "year_range"),  # before 1900
        (str(YEAR + 1), None, "year_range"),
    ],
)
def test_birth_year_table(raw, expected, error):
    value, errors = svc.check_birth_year(raw, YEAR)
    assert errors == ({"birth_year": error} if error else {})
    if expected is not None:
        assert value == expected


@pytest.mark.parametrize(
    "building, room, errors",
    [
        ("1", "2-301", {}),
        ("", "2-301", {"building": "building_missing"}),
        ("7", "2-301", {"building": "building_invalid"}),  # a building of another grid
        ("x", "2-301", {"building": "building_invalid"}),
        ("1", "", {"room": "room_missing"}),
        ("1", "9" * 41, {"room": "room_too_long"}),
        ("", "", {"building": "building_missing", "room": "room_missing"}),
    ],
)
def test_home_table(building, room, errors):
    assert svc.check_home(building, room, [1, 2, 3])[1] == errors


def test_needs_consent_and_family_tables():
    assert svc.check_needs([]) == ([], {})
    assert svc.check_needs(["no_smartphone", "lives_alone"]) == (["lives_alone", "no_smartphone"], {})
    assert svc.check_needs(["lives_alone", "rich"])[1] == {"needs": "needs_invalid"}
    assert svc.check_consent("yes") == (True, {})
    assert svc.check_consent("")[1] == {"consent": "consent_missing"}
    assert svc.check_family_contact("") == ("", {})
    assert svc.check_family_contact("女儿 137 1234 5678") == ("女儿 137 1234 5678", {})
    assert svc.check_family_contact("x" * 121)[1] == {"family_contact": "family_too_long"}


# -- duplicate detection and creating the record -----------------------------------------------------
ANSWERS = {
    "name": "赵新来",
    "phone": "13700001111",
    "family": "",
    "home": {"building_id": 1, "room": "3-502"},
    "birth_year": 1948,
    "needs": ["lives_alone"],
    "consent": True,
}
ORIGIN = {"channel": "qr", "entered_by_id": None, "kiosk_id": None}


def register(answers=None, grid_id=1):
    grid = db.session.get(Grid, grid_id)
    return svc.register_resident(
        db.session, grid=grid, answers=answers or ANSWERS, origin=ORIGIN, this_year=YEAR, now=utcnow()
    )


def home_in(grid_id):
    return {"building_id": db.session.get(Grid, grid_id).buildings[0].id, "room": "101"}


def residents_with(**filters):
    return db.session.scalar(db.select(db.func.count()).select_from(Resident).filter_by(**filters))


def test_register_creates_one_resident_with_everything(app):
    with app.app_context():
        resident = register()
        db.session.commit()
        assert re.fullmatch(r"\d{8}", resident.number)
        assert (resident.name, resident.phone, resident.grid_id, resident.community_id) == (
            "赵新来",
            "13700001111",
            1,
            1,
        )
        assert resident.lives_alone and not resident.no_smartphone and resident.channel == "qr"
        assert resident.consented_at is not None and resident.birth_year == 1948 and resident.room == "3-502"


def test_same_phone_in_the_same_community_is_refused(app):
    with app.app_context():
        register()
        db.session.commit()
        with pytest.raises(svc.AlreadyRegistered):
            register({**ANSWERS, "name": "别人", "home": home_in(2)}, grid_id=2)  # another grid, same community
        db.session.rollback()
        assert residents_with(phone="13700001111") == 1


def test_same_phone_in_another_community_is_a_different_resident(app):
    with app.app_context():
        register()
        register({**ANSWERS, "home": home_in(5)}, grid_id=5)  # 月河社区
        db.session.commit()
        assert residents_with(phone="13700001111") == 2


def test_the_database_catches_a_concurrent_duplicate(app, monkeypatch):
    """Two sign-ups with one phone at the same moment: both pass the look-up; the constraint stops one."""
    with app.app_context():
        register()
        db.session.commit()
        original, looks = svc.find_duplicate, []

        def too_early(session, community_id, **keys):  # the first look-up ran before the other insert
            looks.append(keys)
            return None if len(looks) == 1 else original(session, community_id, **keys)

        monkeypatch.setattr(svc, "find_duplicate", too_early)
        with pytest.raises(svc.AlreadyRegistered):
            register({**ANSWERS, "name": "同时来的"})
        db.session.rollback()
        assert len(looks) == 2 and residents_with(phone="13700001111") == 1


def test_without_phone_the_same_person_is_not_registered_twice(app):
    no_phone = {**ANSWERS, "phone": "", "family": "儿子 13800002222"}
    with app.app_context():
        register(no_phone)
        db.session.commit()
        with pytest.raises(svc.AlreadyRegistered):
            register(no_phone)
        register({**no_phone, "home": {"building_id": 1, "room": "3-503"}})  # a neighbour with the same name
        db.session.commit()
        assert residents_with(name="赵新来") == 2


def test_stored_answers_are_checked_again(app):
    with app.app_context(), pytest.raises(svc.InvalidAnswers) as bad:
        register({**ANSWERS, "home": {"building_id": 4, "room": "1"}})  # building 4 is in grid 2
    assert bad.value.step == "home"
