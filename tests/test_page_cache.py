"""Public pages are kept a few seconds for readers without a session (portal/page_cache.py): a second
reader within the window costs no SQL, a change shows once the window has passed, and nobody with a
session, at a kiosk or in another language or text size is ever handed someone else's page."""

import pytest
from flask import template_rendered
from sqlalchemy import event

from portal import create_app
from portal.extensions import db
from portal.models import Station

from tests.support.app import CheckingClient
from tests.support.app import test_config as config_for
from tests.support.kiosk import activate, new_code
from tests.support.signin import Auth, sign_in

WINDOW = 10


@pytest.fixture
def cached_app(app, database_url):
    """The test app's database, in an app that keeps public pages for WINDOW seconds."""
    made = create_app({**config_for(database_url), "PORTAL_PAGE_CACHE_SECONDS": WINDOW})
    made.test_client_class = CheckingClient
    yield made
    with made.app_context():
        db.session.remove()
        db.engine.dispose()


def statements(app, client, path) -> tuple[int, str]:
    found = []

    def count(*args):
        found.append(args[2])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        html = client.get(path).get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(found), html


def rename_first_station(app, name):
    with app.app_context():
        station = db.session.scalars(db.select(Station).order_by(Station.id)).first()
        station.name = name
        db.session.commit()


def test_a_second_reader_gets_the_kept_page_and_a_change_shows_after_the_window(cached_app, clock):
    first, second = cached_app.test_client(), cached_app.test_client()
    count, html = statements(cached_app, first, "/health/")
    assert count == 1
    rename_first_station(cached_app, "新名字健康站")
    count, kept = statements(cached_app, second, "/health/")
    assert count == 0 and kept == html and "新名字健康站" not in kept
    clock.shift(WINDOW + 1)
    count, fresh = statements(cached_app, second, "/health/")
    assert count == 1 and "新名字健康站" in fresh


def test_each_language_and_text_size_has_its_own_page(cached_app):
    zh = cached_app.test_client().get("/").get_data(as_text=True)
    english = cached_app.test_client()
    english.set_cookie("lang", "en")
    en = english.get("/").get_data(as_text=True)
    assert 'lang="zh-CN"' in zh and 'lang="en"' in en
    large = cached_app.test_client()
    large.set_cookie("textsize", "3")
    assert 'class="text-3 ' in large.get("/").get_data(as_text=True)
    assert 'class="text-1 ' in cached_app.test_client().get("/").get_data(as_text=True)


def test_a_signed_in_visitor_never_gets_a_readers_page(cached_app):
    reader = cached_app.test_client()
    assert "退出" not in reader.get("/").get_data(as_text=True)
    staff = cached_app.test_client()
    sign_in(Auth(staff), "staff")
    count, html = statements(cached_app, staff, "/")
    assert count > 0 and "退出" in html


def test_a_kiosk_never_gets_a_readers_page(cached_app):
    cached_app.test_client().get("/")
    kiosk = cached_app.test_client()
    assert activate(kiosk, new_code(cached_app)).status_code == 303
    response = kiosk.get("/")
    assert response.status_code == 303 and response.headers["Location"].startswith("/kiosk")


# The other pages kept for readers: K7MX3PQA is a demo request; NOPE2345 is no request (the page that says so).
KEPT_PAGES = [
    "/requests/status/K7MX3PQA",
    "/requests/status?ticket=NOPE2345",
    "/activities/",
    "/aid?grid=1",
    "/polls?community=1",
    "/grids/1/notices",
    "/neighbours",
]


def rendered(app, client, path) -> tuple[int, str]:
    """(templates rendered, the page) for one view."""
    found = []

    def note(_sender, template, **_extra):
        found.append(template.name)

    with template_rendered.connected_to(note, app):
        html = client.get(path).get_data(as_text=True)
    return len(found), html


@pytest.mark.parametrize("path", KEPT_PAGES)
def test_a_second_reader_of_a_public_list_or_status_gets_the_kept_page(cached_app, path):
    count, html = rendered(cached_app, cached_app.test_client(), path)
    again, kept = rendered(cached_app, cached_app.test_client(), path)
    assert count == 1 and again == 0 and kept == html


def test_the_status_lookups_rate_limit_counts_the_kept_pages_too(cached_app):
    cached_app.config["PORTAL_LOOKUP_RATE_LIMIT"] = "3 per minute"
    answers = [cached_app.test_client().get("/requests/status/K7MX3PQA").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
