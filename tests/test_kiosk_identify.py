"""Identification at a kiosk (card and keypad), the per-kiosk pause after failures, Start again, and
the server-side end of an idle visit: nothing of one person is left for the next."""

import re
from datetime import timedelta

import pytest

import portal.kiosk.device as device
from portal.extensions import db
from portal.models import AuditEvent, Kiosk, KioskIdentifyFailure, utcnow
from portal.services import kiosks as kiosk_service
from portal.services.masking import mask_name

from tests.support.kiosk import activate, demo_kiosk_id, new_code, tap

PHONE = "/kiosk/identify/phone"
YEAR = "/kiosk/identify/year"


def identify_by_card(client, token, next_url=""):
    return client.submit("/kiosk/identify", {"token": token, "next": next_url})


def test_card_identification_goes_on_and_records_channel_and_kiosk(app, kiosk, senior):
    html = kiosk.get("/kiosk/identify?next=/kiosk/join").get_data(as_text=True)
    assert 'id="token"' in html and "autofocus" in html
    response = identify_by_card(kiosk, senior["token"] + "\n", "/kiosk/join")
    assert response.status_code == 303 and response.headers["Location"] == "/kiosk/join"
    html = kiosk.get("/kiosk/me").get_data(as_text=True)
    masked = senior["name"][0] + "*" * (len(senior["name"]) - 2) + senior["name"][-1]
    assert f"已确认您是 {masked}" in html and senior["name"] not in html
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="resident.identify")).one()
        assert (event.channel, event.kiosk_id, event.resident_id, event.detail) == (
            "kiosk",
            demo_kiosk_id(app),
            senior["id"],
            "card",
        )


def test_card_errors_are_plain(kiosk, senior):
    html = identify_by_card(kiosk, "").get_data(as_text=True)
    assert "请扫居民卡，或者输入二维码下面印的编码" in html and "error-summary" in html
    html = identify_by_card(kiosk, "hello").get_data(as_text=True)
    assert "这不是居民卡上的编码" in html
    tampered = senior["token"][:-1] + ("A" if senior["token"][-1] != "A" else "B")
    assert "这个卡片编码不对" in identify_by_card(kiosk, tampered).get_data(as_text=True)


def test_keypad_identification_with_taps_only(app, kiosk, senior):
    """No JavaScript: every key is a form post; the server adds the digit and shows the page again."""
    kiosk.get("/kiosk/identify?next=/kiosk/me")
    kiosk.get(PHONE)
    typed = tap(kiosk, PHONE, "phone", [*senior["phone"][:-1], "9", "delete", senior["phone"][-1]])
    assert typed == senior["phone"]
    assert f'value="{senior["phone"]}"' in kiosk.get(PHONE).get_data(as_text=True)
    response = kiosk.submit(PHONE, {"phone": typed, "key": "next"})
    assert response.headers["Location"] == YEAR
    year = tap(kiosk, YEAR, "birth_year", senior["birth_year"])
    response = kiosk.submit(YEAR, {"birth_year": year, "key": "next"})
    assert response.status_code == 303 and response.headers["Location"] == "/kiosk/me"
    assert "已确认您是" in kiosk.get("/kiosk/me").get_data(as_text=True)
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="resident.identify")).one()
        assert (event.channel, event.detail) == ("kiosk", "phone")


def test_keypad_keeps_to_the_length_and_explains_mistakes(kiosk, senior):
    kiosk.get(PHONE)
    assert tap(kiosk, PHONE, "phone", "139123456789999") == "139123456789999"
    assert 'value="13912345678"' in kiosk.get(PHONE).get_data(as_text=True)  # 11 digits at most
    html = kiosk.submit(PHONE, {"phone": "1391234", "key": "next"}).get_data(as_text=True)
    assert "请输入以1开头的11位手机号码" in html and 'value="1391234"' in html
    assert kiosk.get(YEAR).headers["Location"] == PHONE  # no skipping ahead
    kiosk.submit(PHONE, {"phone": senior["phone"], "key": "next"})
    html = kiosk.submit(YEAR, {"birth_year": "50", "key": "next"}).get_data(as_text=True)
    assert "请用4位数字输入出生年份" in html and 'value="50"' in html


def test_wrong_birth_year_says_no_match_without_telling_which(kiosk, senior):
    kiosk.submit(PHONE, {"phone": senior["phone"], "key": "next"})
    wrong = str(int(senior["birth_year"]) + 1)
    html = kiosk.submit(YEAR, {"birth_year": wrong, "key": "next"}).get_data(as_text=True)
    assert "用这个手机号码和出生年份没有找到您" in html
    assert 'href="#birth_year"' in html and "修改手机号码" in html


def fail_once(client, phone="13900000001"):
    client.submit(PHONE, {"phone": phone, "key": "next"})
    return client.submit(YEAR, {"birth_year": "1950", "key": "next"})


def test_identification_pauses_for_a_minute_after_five_failures_at_this_kiosk(app, kiosk, senior, clock):
    for _ in range(4):
        assert fail_once(kiosk).status_code == 200
    # Typing mistakes are not guesses and do not count.
    kiosk.submit(PHONE, {"phone": "123", "key": "next"})
    identify_by_card(kiosk, "not a card")
    paused = fail_once(kiosk)
    assert paused.status_code == 429 and "请稍等一分钟" in paused.get_data(as_text=True)
    # Even the right answer waits, by card or by keypad, until the minute is over.
    assert identify_by_card(kiosk, senior["token"]).status_code == 429
    assert kiosk.get(PHONE).status_code == 429
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(KioskIdentifyFailure)) == 5
    # Another kiosk is not paused.
    with app.app_context():
        other = Kiosk(name="健康站 kiosk", community_id=1)
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    other_screen = app.test_client()
    activate(other_screen, new_code(app, other_id))
    other_screen.get("/kiosk")
    assert identify_by_card(other_screen, senior["token"]).status_code == 303
    # A minute later this kiosk works again.
    clock.shift(61)
    assert identify_by_card(kiosk, senior["token"]).status_code == 303


def test_the_pause_is_counted_in_the_database_over_ten_minutes(app):
    kiosk_id = demo_kiosk_id(app)
    start = utcnow()
    with app.app_context():
        for minute in range(4):
            kiosk_service.record_identify_failure(db.session, kiosk_id, now=start + timedelta(minutes=minute))
        assert kiosk_service.identification_paused_until(db.session, kiosk_id, now=start + timedelta(minutes=4)) is None
        kiosk_service.record_identify_failure(db.session, kiosk_id, now=start + timedelta(minutes=9))
        db.session.commit()
    with app.app_context():  # a fresh session, as another app process would have
        until = kiosk_service.identification_paused_until(
            db.session, kiosk_id, now=start + timedelta(minutes=9, seconds=5)
        )
        assert until == start + timedelta(minutes=10)
        # Eleven minutes on, the first failure has left the window: one more failure is not a pause.
        kiosk_service.record_identify_failure(db.session, kiosk_id, now=start + timedelta(minutes=11))
        assert (
            kiosk_service.identification_paused_until(
                db.session, kiosk_id, now=start + timedelta(minutes=11, seconds=1)
            )
            is None
        )


def test_start_again_forgets_the_person_and_a_replayed_cookie_or_post_is_refused(app, kiosk, senior):
    kiosk.get("/kiosk?lang=en")
    assert identify_by_card(kiosk, senior["token"]).status_code == 303
    kiosk.submit(PHONE, {"phone": "139", "key": "next"})  # something half-typed
    old_session = kiosk.get_cookie("session").value
    old_token = kiosk.csrf_token
    response = kiosk.post("/kiosk/reset")  # no CSRF token needed: the idle countdown must always work
    assert response.status_code == 303 and response.headers["Location"] == "/kiosk"
    assert any(h.startswith("lang=;") for h in response.headers.getlist("Set-Cookie"))  # back to Chinese
    assert kiosk.get("/kiosk/me").headers["Location"].startswith("/kiosk/identify")
    assert 'value="139"' not in kiosk.get(PHONE).get_data(as_text=True)
    # The old session cookie, replayed, brings nobody back: its visit has ended.
    kiosk.set_cookie("session", old_session)
    assert kiosk.get("/kiosk/me").status_code == 303
    kiosk.set_cookie("session", old_session)
    replayed = kiosk.post(PHONE, data={"csrf_token": old_token, "phone": "13900000000", "key": "next"})
    assert replayed.status_code == 400 and "这个页面已经过期" in replayed.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Kiosk, demo_kiosk_id(app)).visit == 1


def test_an_idle_visit_ends_on_the_server_even_without_javascript(kiosk, senior, clock):
    identify_by_card(kiosk, senior["token"])
    assert kiosk.get("/kiosk/me").status_code == 200
    with kiosk.application.app_context():
        limit = device.server_idle_limit()
    clock.shift(limit - 5)
    assert kiosk.get("/kiosk/me").status_code == 200  # still within the time: each request restarts it
    clock.shift(limit + 6)
    assert kiosk.get("/kiosk/me").status_code == 303


def test_a_resident_who_answers_the_idle_warning_in_its_last_second_keeps_the_visit(kiosk, senior, clock):
    html = kiosk.get("/kiosk").get_data(as_text=True)
    idle = int(re.search(r'data-idle-seconds="(\d+)"', html).group(1))
    warning = int(re.search(r'class="kiosk-countdown">(\d+)<', html).group(1))  # what the screen counts down
    assert warning >= 20  # DESIGN.md: at least 20 s to continue
    identify_by_card(kiosk, senior["token"])
    # No request at all since: the idle time runs out, then the warning counts down to its last second.
    clock.shift(idle + warning - 1)
    assert kiosk.post("/kiosk/still-here", headers={"X-CSRFToken": kiosk.csrf_token}).status_code == 204
    response = kiosk.get("/kiosk/me")
    assert response.status_code == 200 and mask_name(senior["name"]) in response.get_data(as_text=True)


def test_still_here_keeps_the_visit_going_and_needs_the_visits_token(kiosk):
    assert kiosk.post("/kiosk/still-here", headers={"X-CSRFToken": kiosk.csrf_token}).status_code == 204
    assert kiosk.post("/kiosk/still-here").status_code == 400


@pytest.mark.parametrize("path", ["/kiosk/identify", PHONE, YEAR, "/kiosk/me", "/kiosk/join"])
def test_kiosk_screens_need_a_kiosk(client, path):
    assert client.get(path).headers["Location"] == "/kiosk"
