import pytest

from portal.extensions import db
from portal.models import Account, Community


def test_login_page_has_labelled_username_and_password(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<label class="label" for="username">用户名</label>' in html
    assert '<label class="label" for="password">密码</label>' in html
    assert "novalidate" in html


def test_login_in_english_has_username_and_password_labels(client):
    html = client.get("/login?lang=en").get_data(as_text=True)
    assert 'for="username">Username</label>' in html
    assert 'for="password">Password</label>' in html


def test_login_logout(client, auth):
    response = auth.login("staff")
    assert response.status_code == 303
    assert response.headers["Location"] == "/me"
    page = client.get("/me").get_data(as_text=True)
    assert "陈社工" in page
    assert auth.logout().status_code == 303
    assert client.get("/me").status_code == 303


def test_login_goes_back_to_the_page_asked_for(client, auth):
    assert client.get("/communities/1").headers["Location"] == "/login?next=/communities/1"
    response = client.submit("/login", {"username": "staff", "password": "linli-demo", "next": "/communities/1"})
    assert response.headers["Location"] == "/communities/1"


def test_login_never_redirects_off_site(client):
    response = client.submit("/login", {"username": "staff", "password": "linli-demo", "next": "//evil.example/"})
    assert response.headers["Location"] == "/me"


@pytest.mark.parametrize(
    "form, field, message",
    [
        ({"username": "", "password": "x"}, "username", "请输入用户名"),
        ({"username": "staff", "password": ""}, "password", "请输入密码"),
        ({"username": "staff", "password": "wrong"}, "username", "用户名或密码不对"),
        ({"username": "nobody", "password": "linli-demo"}, "username", "用户名或密码不对"),
    ],
)
def test_login_errors_are_plain_and_keep_the_username(client, form, field, message):
    response = client.submit("/login", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert f'href="#{field}"' in html  # the error summary links to the field
    assert f'aria-describedby="{field}-error"' in html
    assert "<title>错误：" in html
    if form["username"]:
        assert f'value="{form["username"]}"' in html


def test_login_error_in_english(client):
    html = client.submit("/login?lang=en", {"username": "", "password": ""}).get_data(as_text=True)
    assert "Enter your username" in html and "Enter your password" in html
    assert "<title>Error: Sign in" in html


def test_login_without_csrf_token_gets_the_friendly_expired_page(client):
    response = client.post("/login", data={"username": "staff", "password": "linli-demo"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "这个页面已经过期" in html
    assert 'href="/login"' in html
    assert "Traceback" not in html


def test_htmx_post_can_send_the_csrf_token_in_a_header(client):
    client.get("/login")
    response = client.post(
        "/login",
        data={"username": "staff", "password": "linli-demo"},
        headers={"X-CSRFToken": client.csrf_token, "HX-Request": "true"},
    )
    assert response.status_code == 303


def test_inactive_accounts_cannot_sign_in(app, client):
    with app.app_context():
        db.session.scalars(db.select(Account).filter_by(username="volunteer")).one().active = False
        db.session.commit()
    html = client.submit("/login", {"username": "volunteer", "password": "linli-demo"}).get_data(as_text=True)
    assert "用户名或密码不对" in html


def test_login_is_rate_limited_with_a_friendly_page(client):
    for _ in range(10):
        client.submit("/login", {"username": "staff", "password": "wrong"})
    response = client.submit("/login", {"username": "staff", "password": "wrong"})
    assert response.status_code == 429
    assert "请稍等一下" in response.get_data(as_text=True)


def make_account(app, username, role, community_name, grid_numbers=()):
    with app.app_context():
        community = db.session.scalars(db.select(Community).filter_by(name=community_name)).one()
        account = Account(username=username, display_name=username, role=role, community_id=community.id)
        account.set_password("linli-demo")
        account.grids = [g for g in community.grids if g.number in grid_numbers]
        db.session.add(account)
        db.session.commit()


# Community 1 is 南湖社区 (grids 1-4, ids 1-4), community 2 is 月河社区 (grids 1-3, ids 5-7).
# The demo grid worker has grids 1 and 2 of community 1. "other_staff" is staff of community 2.
# A role that cannot open such pages at all gets 403; outside the account's scope it is 404.
ROUTES = ["/me", "/communities/1", "/communities/2", "/grids/1/residents", "/grids/3/residents", "/grids/5/residents"]
# fmt: off
MATRIX = {
    #               /me  /c/1 /c/2 /g/1 /g/3 /g/5
    None:          ("login", "login", "login", "login", "login", "login"),
    "admin":       (200, 200, 200, 200, 200, 200),
    "staff":       (200, 200, 404, 200, 200, 404),
    "other_staff": (200, 404, 200, 404, 404, 200),
    "gridworker":  (200, 403, 403, 200, 404, 404),
    "volunteer":   (200, 403, 403, 403, 403, 403),
    "nurse":       (200, 403, 403, 403, 403, 403),
}
# fmt: on
CASES = [(role, route, expected) for role, row in MATRIX.items() for route, expected in zip(ROUTES, row, strict=True)]


@pytest.mark.parametrize("role, route, expected", CASES, ids=[f"{r}-{u}" for r, u, _ in CASES])
def test_routes_by_role_and_scope(app, client, auth, role, route, expected):
    if role == "other_staff":
        make_account(app, "other_staff", "staff", "月河社区")
    if role:
        assert auth.login(role).status_code == 303
    response = client.get(route)
    if expected == "login":
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/login?next=")
    else:
        assert response.status_code == expected


def test_403_page_says_what_the_account_can_do_instead(client, auth):
    auth.login("gridworker")
    html = client.get("/communities/1").get_data(as_text=True)
    assert "您的账号不能打开这个页面" in html
    assert "网格员可以查看自己网格的居民和诉求" in html
    assert 'href="/me"' in html


@pytest.mark.parametrize("route", ["/communities/99", "/grids/99/residents", "/grids/99"])
def test_unknown_community_or_grid_is_404(client, auth, route):
    auth.login("admin")
    assert client.get(route).status_code == 404


def test_grid_page_masks_names_and_phones(client, auth):
    auth.login("gridworker")
    html = client.get("/grids/1/residents").get_data(as_text=True)
    assert "139" in html and "****" in html
    assert "王秀英" not in html  # the first demo resident, shown masked
    assert "王*英" in html
