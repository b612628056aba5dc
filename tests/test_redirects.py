"""Every `next` the app follows stays on this site (issue 9, section 4): the one check in
portal/redirects.py, and the pages that follow a `next` (sign-in, identification on the web and at a
kiosk, forgetting the resident, preferences, "keep helping")."""

import pytest

from portal.redirects import is_safe_next, safe_next
from portal.seed import DEMO_PASSWORD

from tests.support.flows import start_assisting
from tests.support.records import resident_in
from tests.support.signin import sign_in

# Each of these is a way browsers have been led off the site from a "local" path.
REFUSED = {
    "tab": "/\t/evil.example/",
    "newline": "/\n/evil.example/",
    "carriage return": "/\r\nLocation: https://evil.example/",
    "slash backslash": "/\\evil.example/",
    "two slashes": "//evil.example/",
    "backslash slash": "\\/evil.example/",
    "encoded slash": "/%2F/evil.example/",
    "encoded slash, lower case": "/%2f/evil.example/",
    "encoded tab": "/%09/evil.example/",
    "encoded newline": "/%0A/evil.example/",
    "encoded backslash": "/%5Cevil.example/",
    "double-encoded slash": "/%252F/evil.example/",
    "http": "http://evil.example/",
    "https, one slash": "https:/evil.example/",
    "javascript": "javascript:alert(1)",
    "javascript, mixed case": "JaVaScRiPt:alert(1)",
    "data": "data:text/html,<script>alert(1)</script>",
    "leading space": " //evil.example/",
    "no leading slash": "evil.example/",
    "line separator": "/\u2028/evil.example/",
    "NUL": "/\x00/evil.example/",
    "empty": "",
}
KEPT = {
    "path": "/health/my",
    "query": "/health/my?new=1&day=2026-11-26",
    "query with an encoded path": "/login?next=%2Fhealth%2Fmy",
    "fragment": "/requests/new?category=2#details",
    "encoded Chinese": "/assist?q=%E5%BC%A0",
}


@pytest.mark.parametrize("target", REFUSED.values(), ids=REFUSED.keys())
def test_the_check_refuses_every_way_off_the_site(target):
    assert not is_safe_next(target)
    assert safe_next(target, "/me") == "/me"


@pytest.mark.parametrize("target", KEPT.values(), ids=KEPT.keys())
def test_the_check_keeps_paths_on_this_site_with_their_query(target):
    assert is_safe_next(target) and safe_next(target, "/me") == target


def test_none_is_the_fallback():
    assert safe_next(None, "/") == "/"


CASES = {
    **{f"refused: {k}": (v, False) for k, v in REFUSED.items() if v},
    **{f"kept: {k}": (v, True) for k, v in KEPT.items()},
}
ENDPOINT_CASES = pytest.mark.parametrize("target, kept", CASES.values(), ids=CASES.keys())


@ENDPOINT_CASES
def test_signing_in_follows_only_a_local_next(client, auth, target, kept):
    client.get("/login", query_string={"next": target})
    response = client.submit("/login", {"username": "staff", "password": DEMO_PASSWORD, "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == (target if kept else "/me")


@ENDPOINT_CASES
def test_identifying_with_a_card_follows_only_a_local_next(client, senior, target, kept):  # noqa: F811
    client.get("/identify", query_string={"next": target})
    response = client.submit("/identify", {"token": senior["token"], "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == (target if kept else "/")


@ENDPOINT_CASES
def test_identifying_at_a_kiosk_follows_only_a_local_next(kiosk, senior, target, kept):  # noqa: F811
    assert kiosk.get("/kiosk/identify", query_string={"next": target}).status_code == 200
    response = kiosk.submit("/kiosk/identify", {"token": senior["token"], "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == (target if kept else "/kiosk/me")


@pytest.mark.parametrize("target", ["/%09/evil.example/", "/\n/evil.example/", "//evil.example/"])
def test_forgetting_preferences_and_keep_helping_stay_on_the_site(app, client, auth, target):
    client.get("/")
    assert client.submit("/identify/forget", {"next": target}).headers["Location"] == "/"
    assert client.submit("/preferences", {"textsize": "2", "next": target}).headers["Location"] == "/"
    sign_in(auth, "volunteer")
    start_assisting(client, resident_in(app, 1)["number"])
    response = client.submit("/assist/extend", {"next": target})
    assert response.status_code == 303 and response.headers["Location"] == "/assist/now"
