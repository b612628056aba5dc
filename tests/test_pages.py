"""Home, error pages, display preferences, render_page and the page checker itself."""

import re

import pytest
from flask import abort

from portal.pages import render_page

from tests.support.pagecheck import PageProblem, check_html


def test_home_says_what_the_portal_does(client):
    html = client.get("/").get_data(as_text=True)
    assert "<h1>欢迎使用邻里社区服务</h1>" in html
    assert "加入网格" in html
    assert 'href="/login"' in html


def test_every_page_has_the_reading_help_and_a_skip_link(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    # A link to the page's audio spoken by the server, so it is there with no voice and with JavaScript off.
    assert "朗读本页" in html and 'href="/speech?path=/privacy"' in html
    assert 'name="textsize" value="3"' in html
    assert 'name="contrast" value="high"' in html


@pytest.mark.parametrize(
    "field, value, css_class",
    [("textsize", "3", "text-3"), ("textsize", "2", "text-2"), ("contrast", "high", "contrast-high")],
)
def test_display_preferences_work_without_javascript_and_are_remembered(client, field, value, css_class):
    response = client.get("/preferences", query_string={field: value, "next": "/privacy"})
    assert response.status_code == 303 and response.headers["Location"] == "/privacy"
    html = client.get("/").get_data(as_text=True)
    assert css_class in html.split(">", 2)[1]  # on the <html> element
    assert 'aria-pressed="true"' in html


def pressed_text_size(html: str) -> str:
    """The text-size button shown as chosen (aria-pressed), as a screen reader announces it."""
    return re.search(r'name="textsize" value="(\d)"[^>]*aria-pressed="true"', html).group(1)


def test_an_unknown_text_size_keeps_the_residents_choice_and_stays_on_the_site(client):
    client.get("/preferences", query_string={"textsize": "3", "next": "/privacy"})
    response = client.get("/preferences", query_string={"textsize": "99", "next": "https://evil.example/"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/") and "evil.example" not in response.headers["Location"]
    html = client.get("/").get_data(as_text=True)
    assert 'class="text-3 ' in html and pressed_text_size(html) == "3"


def test_a_post_from_an_older_page_still_sets_the_text_size(client):
    response = client.submit("/preferences", {"textsize": "2", "next": "/privacy"})
    assert response.status_code == 303
    assert 'class="text-2 ' in client.get("/").get_data(as_text=True)


def test_a_forged_text_size_cookie_shows_the_standard_size(client):
    client.set_cookie("textsize", "99")
    html = client.get("/").get_data(as_text=True)
    assert 'class="text-1 ' in html and pressed_text_size(html) == "1"
    assert "text-99" not in html


def test_404_page_is_friendly_in_both_languages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "找不到这个页面" in response.get_data(as_text=True)
    assert 'href="/"' in response.get_data(as_text=True)
    response = client.get("/no-such-page?lang=en")
    assert "We cannot find that page" in response.get_data(as_text=True)


def test_a_wrong_method_gets_the_friendly_405_page_in_both_languages(client):
    response = client.put("/login")
    assert response.status_code == 405
    html = response.get_data(as_text=True)
    assert "<h1>操作没有成功</h1>" in html and 'href="/"' in html
    english = client.put("/login?lang=en").get_data(as_text=True)
    assert "<h1>That did not work</h1>" in english


def test_a_bad_request_gets_the_friendly_400_page(fresh_app):
    app = fresh_app

    @app.route("/bad")
    def bad():
        abort(400)

    response = app.test_client().get("/bad")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<h1>提交的内容有问题</h1>" in html and 'href="/"' in html
    check_html(html)


def test_500_page_rolls_back_and_shows_a_friendly_page(fresh_app):
    app = fresh_app
    app.testing = False  # let the error handler answer, as in production

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "抱歉，我们这边出了问题" in html and "Traceback" not in html
    check_html(html)


def test_render_page_returns_a_block_for_htmx_and_varies_on_hx_request(app):
    with app.test_request_context("/login", headers={"HX-Request": "true"}):
        response = render_page("auth/login.html", block="login_form", form_errors={}, username="", next_url="")
        body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="login-form">')
    assert "<html" not in body
    assert "HX-Request" in response.headers["Vary"]
    with app.test_request_context("/login"):
        response = render_page("auth/login.html", block="login_form", form_errors={}, username="", next_url="")
        assert "<html" in response.get_data(as_text=True)
        assert "HX-Request" in response.headers["Vary"]


def test_boosted_navigation_gets_the_whole_page(app):
    headers = {"HX-Request": "true", "HX-Boosted": "true"}
    with app.test_request_context("/login", headers=headers):
        body = render_page("auth/login.html", block="login_form", form_errors={}, username="", next_url="").get_data(
            as_text=True
        )
    assert "<html" in body


GOOD = (
    '<!DOCTYPE html><html lang="en"><head><title>Hello – Site</title></head>'
    "<body><main><h1>Hello</h1></main></body></html>"
)


@pytest.mark.parametrize(
    "html, problem",
    [
        (GOOD.replace(' lang="en"', ""), "lang"),
        (GOOD.replace("<h1>Hello</h1>", "<h1>Hello</h1><h1>Again</h1>"), "one h1"),
        (GOOD.replace("<title>Hello", "<title>Other"), "does not start with the h1"),
        (GOOD.replace("<main>", '<main><p id="a"></p><p id="a"></p>'), "duplicate ids"),
        (
            GOOD.replace("<main>", '<main><div class="error-summary"><a href="#nowhere">x</a></div>').replace(
                "<title>", "<title>Error: "
            ),
            "points at no element",
        ),
        (
            GOOD.replace("<main>", '<main><div class="error-summary"><a href="#a">x</a></div><p id="a"></p>'),
            "must have a title starting 'Error:'",
        ),
        (GOOD.replace("<main>", "<main><p><div></p>"), "invalid HTML"),
    ],
)
def test_page_checker_catches_each_problem(html, problem):
    check_html(GOOD)
    with pytest.raises(PageProblem, match=problem):
        check_html(html)


@pytest.mark.parametrize("typed", ["AB\x00CD", "AB\u202eCD", "AB\x1bCD"])
def test_a_control_character_someone_typed_is_shown_as_a_replacement_character(client, typed):
    # The status form echoes the number it could not find (a full page, and the htmx fragment of it).
    for headers in ({}, {"HX-Request": "true"}):
        html = client.get("/requests/status", query_string={"ticket": typed}, headers=headers).get_data(as_text=True)
        assert "AB\ufffdCD" in html
        assert typed not in html
