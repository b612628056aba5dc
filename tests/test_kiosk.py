"""Kiosk devices: activation, the signed kiosk cookie and its revocation, the kiosk layout, no-store
responses, tiles that follow the installed capabilities, registering kiosks, the CLI and demo data."""

import re

import pytest
from flask import render_template_string

from portal.channels import record_origin
from portal.extensions import db
from portal.kiosk.seed import seed_kiosks
from portal.kiosk.tiles import MAX_TILES, TILES, Tile, available_tiles
from portal.models import AuditEvent, Kiosk
from portal.services.kiosks import switch_off

from tests.support.kiosk import DEMO_KIOSK, activate, demo_kiosk_id, new_code

CODE_RE = re.compile(r"K\d+-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


def test_an_unregistered_browser_is_told_how_to_activate(client):
    response = client.get("/kiosk")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>这台屏幕还没有设置为自助服务机</h1>" in html
    assert 'href="/kiosk/activate"' in html
    assert "kiosk-tile" not in html and "重新开始" not in html
    assert client.get("/kiosk/join").headers["Location"] == "/kiosk"


def test_activation_sets_a_long_lived_signed_cookie_and_the_code_works_once(app, client):
    code = new_code(app)
    response = activate(client, code.lower().replace("-", " - "))  # typed loosely: still accepted
    assert response.status_code == 303 and response.headers["Location"] == "/kiosk"
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("linli_kiosk="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=157680000" in cookie
    html = client.get("/kiosk").get_data(as_text=True)
    assert "<h1>您想办什么事？</h1>" in html and "kiosk-tile" in html and "重新开始" in html
    with app.app_context():
        device = db.session.get(Kiosk, demo_kiosk_id(app))
        assert device.activation_code_hash is None and device.activated_at is not None
        assert db.session.scalars(db.select(AuditEvent).filter_by(action="kiosk.activate")).one().kiosk_id == device.id
    other = app.test_client()
    html = activate(other, code).get_data(as_text=True)
    assert "这个激活码不能用" in html and "linli_kiosk" not in (other.get_cookie("linli_kiosk") or "")
    assert "这台屏幕还没有设置为自助服务机" in other.get("/kiosk").get_data(as_text=True)


@pytest.mark.parametrize("typed", ["", "K1-AAAA-BBBB-CCCC", "nonsense", "K999-AAAA-BBBB-CCCC"])
def test_wrong_codes_are_refused_in_plain_words(client, typed):
    html = activate(client, typed).get_data(as_text=True)
    assert "error-summary" in html
    assert ("请输入激活码" if not typed else "这个激活码不能用") in html
    assert client.get_cookie("linli_kiosk") is None


def test_an_expired_code_is_refused(app, client):
    code = new_code(app)
    with app.app_context():
        device = db.session.get(Kiosk, demo_kiosk_id(app))
        device.activation_expires_at = device.created_at.replace(year=2000)
        db.session.commit()
    assert "这个激活码不能用" in activate(client, code).get_data(as_text=True)


def test_switching_off_revokes_the_kiosk_cookie(app, kiosk):
    with app.app_context():
        switch_off(db.session, db.session.get(Kiosk, demo_kiosk_id(app)))
        db.session.commit()
    response = kiosk.get("/kiosk")
    assert "这台屏幕原来是自助服务机" in response.get_data(as_text=True)
    assert any(h.startswith("linli_kiosk=;") for h in response.headers.getlist("Set-Cookie"))


def test_activating_the_kiosk_on_a_new_screen_revokes_the_old_screen(app, kiosk):
    new_screen = app.test_client()
    assert activate(new_screen, new_code(app)).status_code == 303
    assert "kiosk-tile" in new_screen.get("/kiosk").get_data(as_text=True)
    assert "这台屏幕原来是自助服务机" in kiosk.get("/kiosk").get_data(as_text=True)


def test_a_forged_kiosk_cookie_is_not_a_kiosk(client):
    client.set_cookie("linli_kiosk", "eyJrIjoxLCJ2IjoyfQ.forged")
    assert "这台屏幕还没有设置为自助服务机" in client.get("/kiosk").get_data(as_text=True)


def test_every_kiosk_response_is_no_store_but_static_files_and_web_pages_are_not(app, client, kiosk):
    for path in [
        "/kiosk",
        "/kiosk/join",
        "/kiosk/identify",
        "/kiosk/identify/phone",
        "/privacy",
        "/kiosk/me",
        "/no-such-page",
        "/",
    ]:
        assert kiosk.get(path).headers.get("Cache-Control") == "no-store", path
    static = kiosk.get("/static/css/kiosk.css")
    static.close()
    assert "no-store" not in (static.headers.get("Cache-Control") or "")
    web = app.test_client()
    assert "no-store" not in (web.get("/privacy").headers.get("Cache-Control") or "")


def test_every_page_at_a_kiosk_has_the_kiosk_layout_and_no_way_out(kiosk):
    for path in ["/kiosk", "/privacy", "/kiosk/identify", "/no-such-page", "/login"]:
        html = kiosk.get(path).get_data(as_text=True)
        assert 'class="text-1 contrast-normal kiosk"' in html, path
        assert "kiosk-start-again" in html and "site-nav" not in html and "site-header" not in html, path
        assert "/static/css/kiosk-" in html and "/static/js/kiosk-" in html  # fingerprinted names
        links = re.findall(r'href="([^"]*)"', html)
        assert all(link.startswith(("/", "#", "?")) for link in links), (path, links)
        assert 'href="/login"' not in html and 'href="/privacy"' not in html, path


def test_the_web_home_and_web_identification_lead_to_the_kiosk_versions(kiosk):
    assert kiosk.get("/").headers["Location"] == "/kiosk"
    assert kiosk.get("/?lang=en").headers["Location"] == "/kiosk?lang=en"
    assert kiosk.get("/identify?next=/privacy").headers["Location"] == "/kiosk/identify?next=/privacy"
    # A post to the web identification cannot get round the kiosk's own pause.
    assert kiosk.submit("/identify", {"phone": "13900000000", "birth_year": "1950"}).status_code == 303


def test_web_pages_keep_the_site_layout(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert "site-nav" in html and "kiosk-start-again" not in html and "/static/css/kiosk" not in html


def test_record_origin_in_a_kiosk_request_gives_channel_kiosk_and_the_kiosk_id(app, kiosk):
    cookie = kiosk.get_cookie("linli_kiosk").value
    with app.test_request_context("/kiosk", headers={"Cookie": f"linli_kiosk={cookie}"}):
        app.preprocess_request()
        assert record_origin() == {"channel": "kiosk", "entered_by_id": None, "kiosk_id": demo_kiosk_id(app)}
    with app.test_request_context("/kiosk"):
        app.preprocess_request()
        assert record_origin()["channel"] == "online"


def test_tiles_are_the_capabilities_that_exist(app):
    client = app.test_client()
    assert activate(client, new_code(app)).status_code == 303
    html = client.get("/kiosk").get_data(as_text=True)
    tiles = re.findall(r'<a class="kiosk-tile" href="([^"]+)">', html)
    assert tiles == [
        "/kiosk/identify?next=/health/",
        "/kiosk/identify?next=/health/my",
        "/kiosk/identify?next=/requests/new",
        "/requests/status",
        "/kiosk/identify?next=/my-information",
        "/kiosk/join",
        "/notices",
        "/neighbours",
    ]
    # "My grid" waits for an identified resident.
    for label in ("预约健康检查", "我的预约", "反映问题", "查询我的诉求", "我的信息", "加入网格", "通知公告", "邻里"):
        assert label in html
    for url in tiles:  # no dead tiles
        assert client.get(url).status_code == 200, url


def test_tiles_leave_out_endpoints_that_do_not_exist(app):
    missing = Tile("nowhere.page", "gone", "house", needs_resident=False)
    with app.test_request_context("/kiosk"):
        assert missing not in available_tiles([missing, *TILES])
        assert [t.endpoint for t in available_tiles([missing, *TILES])] == [t.endpoint for t in TILES][:MAX_TILES]


def test_at_most_six_tiles(app):
    many = [Tile("kiosk.join", f"tile {i}", "house", needs_resident=False) for i in range(MAX_TILES + 3)]
    with app.test_request_context("/kiosk"):
        assert len(available_tiles(many)) == MAX_TILES


def test_staff_register_a_kiosk_and_see_its_code_once(app, client, auth):
    auth.login("staff")
    assert "南湖社区" in client.get("/admin/kiosks/new").get_data(as_text=True)
    html = client.submit("/admin/kiosks/new", {"name": "", "location": ""}).get_data(as_text=True)
    assert "请给这台机器起个名字" in html
    response = client.submit("/admin/kiosks/new", {"name": "健康站 kiosk", "location": "二楼", "community": "1"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    code = CODE_RE.search(page.get_data(as_text=True)).group(0)
    assert page.headers["Cache-Control"] == "no-store"
    assert CODE_RE.search(client.get(response.headers["Location"]).get_data(as_text=True)) is None  # once only
    screen = app.test_client()
    assert activate(screen, code).status_code == 303
    assert "健康站 kiosk" in screen.get("/kiosk").get_data(as_text=True)
    with app.app_context():
        device = db.session.scalars(db.select(Kiosk).filter_by(name="健康站 kiosk")).one()
        assert device.community_id == 1 and device.activation_code_hash is None
        assert (
            db.session.scalars(db.select(AuditEvent).filter_by(action="kiosk.register")).one().actor.username == "staff"
        )


def test_staff_switch_a_kiosk_off_and_the_screen_stops_at_once(app, kiosk, auth):
    admin_browser = app.test_client()
    from tests.support.signin import Auth

    Auth(admin_browser).login("staff")
    admin_browser.get(f"/admin/kiosks/{demo_kiosk_id(app)}")
    response = admin_browser.submit(f"/admin/kiosks/{demo_kiosk_id(app)}/switch", {"to": "off"})
    assert "已停用" in admin_browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "这台屏幕原来是自助服务机" in kiosk.get("/kiosk").get_data(as_text=True)


def test_kiosks_are_scoped_to_the_staff_members_community(app, client, auth):
    with app.app_context():
        other = Kiosk(name="月河 kiosk", location="", community_id=2)
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    auth.login("staff")
    assert "月河 kiosk" not in client.get("/admin/kiosks").get_data(as_text=True)
    assert client.get(f"/admin/kiosks/{other_id}").status_code == 404
    assert client.submit(f"/admin/kiosks/{other_id}/code").status_code == 404
    client.submit("/admin/kiosks/new", {"name": "tampered", "community": "2"})
    with app.app_context():
        assert db.session.scalars(db.select(Kiosk).filter_by(name="tampered")).one().community_id == 1
    auth.logout()
    client.get("/login")
    auth.login("gridworker")
    assert client.get("/admin/kiosks").status_code == 403


def test_admin_chooses_the_community(client, auth):
    auth.login("admin")
    html = client.get("/admin/kiosks/new").get_data(as_text=True)
    assert 'name="community" type="radio" value="1"' in html and 'value="2"' in html


def test_kiosk_code_command_issues_a_working_code(app, runner):
    result = runner.invoke(args=["kiosk-code", str(demo_kiosk_id(app))])
    assert result.exit_code == 0, result.output
    code = CODE_RE.search(result.output).group(0)
    assert "/kiosk/activate" in result.output
    assert activate(app.test_client(), code).status_code == 303
    assert runner.invoke(args=["kiosk-code", "999"]).exit_code != 0


def test_seed_kiosks_is_idempotent(app):
    with app.app_context():
        seed_kiosks()
        seed_kiosks()
        assert db.session.scalar(db.select(db.func.count()).select_from(Kiosk).filter_by(name=DEMO_KIOSK)) == 1


PRINT_PAGE = '{% from "components/print.html" import print_button %}{{ print_button() }}'


def test_print_button_prints_with_javascript_and_links_to_a_print_friendly_page_without(app, kiosk):
    with app.test_request_context("/kiosk/join?lang=en"):
        app.preprocess_request()
        html = render_template_string(PRINT_PAGE)
    assert "data-print" in html and 'href="/kiosk/join?lang=en&amp;print=1"' in html and "/static/js/print-" in html
    with app.test_request_context("/kiosk/join?print=1"):
        html = render_template_string(PRINT_PAGE)
    assert "这个页面可以打印了" in html and 'href="/kiosk/join"' in html and "data-print" not in html
