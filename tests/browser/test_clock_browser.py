"""The live server runs in a thread of the test process, so it sees the session's travelled clock
(tests/conftest.py): the nurse's roster in Chromium is for the session's day, not the real one."""

import pytest

from tests.support.browser import sign_in

pytestmark = pytest.mark.browser


def test_the_live_server_sees_the_travelled_clock(live, page, session_clock):
    day = session_clock.date()  # the day in Shanghai at SESSION_NOW (it carries the +08:00 offset)
    sign_in(page, live.url, "nurse")
    page.goto(f"{live.url}/health/roster/1?lang=en")
    assert f"{day:%A}, {day:%B} {day.day}, {day.year}" in page.locator("main").inner_text()
