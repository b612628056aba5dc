"""The inputs the attack found: each is a plain-language form error with what was typed kept, or a 404,
never a server error (services/inputs.py, and the route converters in errors.py)."""

import re
from datetime import date

import pytest

from portal.extensions import db
from portal.models import AuditEvent, Resident, Service, Station
from portal.services.cards import card_token
from portal.services.inputs import ascii_digits, column_length, date_in_range, int_in_range, text_problem

from tests.support.flows import start_assisting
from tests.support.records import resident_in
from tests.support.signin import sign_in

HUGE = "99999999999999999999"


@pytest.fixture(autouse=True)
def errors_reach_the_error_page(app):
    # In production a failure shows the 500 page; let the tests see that status instead of the exception.
    app.config["PROPAGATE_EXCEPTIONS"] = False


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1950", "1950"),
        (" １９５０ ", "1950"),
        ("¹⁹⁵⁰", None),
        ("١٩٥٠", None),
        ("19 50", None),
        ("", None),
        ("-1", None),
    ],
)
def test_digits_mean_ascii_digits_after_full_width_ones_are_normalised(raw, expected):
    assert ascii_digits(raw) == expected


def test_numbers_and_dates_out_of_range_are_refused_not_overflowed():
    assert int_in_range(HUGE) is None and int_in_range("-3") is None and int_in_range("-3", low=-5) == -3
    assert int_in_range("２０", 1, 100) == 20 and int_in_range("2147483647") == 2147483647
    assert date_in_range("0001-01-01") is None and date_in_range("2026-02-30") is None
    assert date_in_range("2026-03-31") == date(2026, 3, 31)


def test_text_rules_come_from_the_columns():
    assert column_length(Station, "name") == 80 and column_length(Service, "what_to_bring") == 2000
    assert text_problem("a\x00b") and text_problem("two\nlines") and not text_problem("two\nlines", multiline=True)
    assert text_problem("名" * 81, 80) and not text_problem("名" * 80, 80)


@pytest.mark.parametrize(
    "url",
    [
        f"/health/stations/{HUGE}",
        f"/health/manage/stations/{HUGE}/edit",
        f"/requests/categories/{HUGE}",
        "/health/my/A%00B/cancel",
        f"/health/roster/{HUGE}/walk-in",
    ],
)
def test_ids_too_big_for_the_database_are_not_found(client, auth, url):
    sign_in(auth, "staff")
    assert client.get(url).status_code == 404


def test_deleting_with_a_huge_id_is_not_found(client, auth):
    sign_in(auth, "staff")
    assert client.submit(f"/health/manage/closures/{HUGE}/delete").status_code == 404


def test_the_audit_log_with_a_huge_page_or_an_ancient_date(client, auth):
    sign_in(auth, "staff")
    assert client.get(f"/audit?page={HUGE}").status_code == 200
    html = client.get("/audit?date_from=0001-01-01&lang=en").get_data(as_text=True)
    assert "Enter the date like 2025-03-31" in html and 'value="0001-01-01"' in html


def test_a_station_name_longer_than_its_column_keeps_what_staff_typed(app, client, auth):
    sign_in(auth, "staff")
    client.get("/health/manage/stations/new")
    name = "南湖社区健康服务站" * 12  # 108 characters; the column holds 80
    response = client.submit("/health/manage/stations/new?lang=en", {"name": name, "address": "南湖路18号"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "This is too long. Use 80 characters or fewer." in html
    assert name in html and "南湖路18号" in html
    with app.app_context():
        assert db.session.scalars(db.select(Station).where(Station.name == name)).first() is None


def test_a_closure_reason_longer_than_its_column_keeps_what_staff_typed(app, client, auth):
    sign_in(auth, "staff")
    with app.app_context():
        station_id = db.session.scalars(db.select(Station.id).where(Station.community_id == 1)).first()
    url = f"/health/manage/stations/{station_id}/closures/new"
    client.get(url)
    reason = "设备检修，" * 60  # 300 characters; the column holds 200
    html = client.submit(url + "?lang=en", {"start_date": "2026-12-30", "service": "all", "reason": reason}).get_data(
        as_text=True
    )
    assert "This is too long. Use 200 characters or fewer." in html and reason in html


def test_a_nul_byte_in_the_login_name_is_a_form_error(client):
    client.get("/login")
    html = client.submit("/login?lang=en", {"username": "adm\x00in", "password": "x"}).get_data(as_text=True)
    assert "Remove the special characters from this answer" in html


def test_a_nul_byte_in_a_poster_code_is_an_unknown_code(client):
    client.get("/j")
    response = client.submit("/j?lang=en", {"code": "AB\x00CD"})
    assert response.status_code == 200 and "We do not know that code" in response.get_data(as_text=True)


def test_a_birth_year_in_superscript_digits_is_a_form_error_and_full_width_digits_work(app, client):
    senior = resident_in(app, 1)
    client.get("/identify")
    html = client.submit("/identify?lang=en", {"phone": senior["phone"], "birth_year": "¹⁹⁵⁰"}).get_data(as_text=True)
    assert "Enter the year you were born as 4 digits" in html and senior["phone"] in html
    wide = str(senior["birth_year"]).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert client.submit("/identify", {"phone": senior["phone"], "birth_year": wide}).status_code == 303


def test_a_slot_number_of_20_digits_is_a_form_error(app, client):
    with app.app_context():
        resident = db.session.scalars(db.select(Resident).where(Resident.community_id == 1)).first()
        token = card_token(resident, app.config["SECRET_KEY"])
        station = db.session.scalars(db.select(Station).order_by(Station.id)).first()
        service = db.session.scalars(db.select(Service.id).filter_by(station_id=station.id)).first()
    client.get("/identify")
    client.submit("/identify", {"token": token})
    client.get(f"/health/stations/{station.id}")
    client.submit(f"/health/stations/{station.id}", {"service": service})
    day = re.findall(r'name="day" value="([^"]+)"', client.get("/health/book/day").get_data(as_text=True))[3]
    client.submit("/health/book/day", {"day": day})
    response = client.submit("/health/book/time?lang=en", {"slot": "9" * 20})
    assert response.status_code == 200 and "Choose a time." in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["/me\n/evil", "/\r\nSet-Cookie: x=1", "/%09/x\x00"])
def test_a_control_character_in_next_is_not_followed(client, target):
    client.get("/identify")
    response = client.submit("/identify/forget", {"next": target})
    assert response.status_code == 303
    assert not re.search(r"[\x00-\x1f]", response.headers["Location"])


def test_a_reason_the_database_cannot_hold_never_leaves_a_helper_in_a_broken_session(app, client, auth):
    """A help session used to begin before its start was written: with a NUL in the reason the write
    failed (PostgreSQL), yet the helper was left "helping", and every audited step after it failed."""
    sign_in(auth, "volunteer")
    senior = resident_in(app, 1)
    client.get(f"/assist/residents/{senior['number']}?lang=en")
    response = start_assisting(client, senior["number"], reason="帮忙\x00报修")
    assert response.status_code == 200
    assert "Remove the special characters from this answer" in response.get_data(as_text=True)
    assert "帮忙" in response.get_data(as_text=True)
    assert client.get("/assist/now").status_code == 303  # not helping anyone
    assert start_assisting(client, senior["number"], reason="帮忙报修").headers["Location"] == "/assist/now"
    assert client.submit("/assist/extend", {}).status_code == 303
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["assist.start", "assist.extend"]


def test_a_nul_byte_in_the_audit_resident_filter_is_a_form_error(client, auth):
    sign_in(auth, "staff")
    response = client.get("/audit?resident=1234%005678&lang=en")
    assert response.status_code == 200
    assert "Enter the resident number as 8 digits" in response.get_data(as_text=True)
