"""Every new route (assisted sessions, audit log, requests) tried with every role, plus helpers and
staff of the other community (月河社区). Out-of-scope residents and requests are 404, so the pages
never confirm that they exist; wrong roles are 403; anonymous visitors go to sign in."""

import pytest

from portal.extensions import db
from portal.models import Account, Community, Resident

# Demo tickets (portal/requests/seed.py): K7MX3PQA is in 南湖 grid 1 (the demo grid worker's),
# DNP7QX3E in 南湖 grid 3 (no grid worker: staff queue), CYW3EA7N in 月河 grid 1.
ROLES = [
    "anonymous",
    "admin",
    "staff",
    "gridworker",
    "volunteer",
    "nurse",
    "other_staff",
    "other_gridworker",
    "other_volunteer",
]
L, R = "login", "redirect"
# method, path (with {r1} a resident of 南湖 grid 1, {r3} of 南湖 grid 3, {r5} of 月河 grid 1), then one
# expectation per role in ROLES order.
ROUTES = [
    ("GET", "/assist", L, 403, 403, 200, 200, 403, 403, 200, 200),
    ("GET", "/assist?q=1", L, 403, 403, 200, 200, 403, 403, 200, 200),
    ("GET", "/assist/residents/{r1}", L, 403, 403, 200, 200, 403, 403, 404, 404),
    ("GET", "/assist/residents/{r3}", L, 403, 403, 404, 200, 403, 403, 404, 404),
    ("GET", "/assist/residents/{r5}", L, 403, 403, 404, 404, 403, 403, 200, 200),
    ("GET", "/assist/residents/00000000", L, 403, 403, 404, 404, 403, 403, 404, 404),
    ("POST", "/assist/residents/{r1}", L, 403, 403, 200, 200, 403, 403, 404, 404),
    ("GET", "/assist/now", L, 403, 403, R, R, 403, 403, R, R),
    ("POST", "/assist/card", L, 403, 403, 200, 200, 403, 403, 200, 200),
    ("POST", "/assist/end", L, 403, 403, R, R, 403, 403, R, R),
    ("POST", "/assist/extend", L, 403, 403, R, R, 403, 403, R, R),
    ("GET", "/audit", L, 200, 200, 403, 403, 403, 200, 403, 403),
    ("GET", "/audit.csv", L, 200, 200, 403, 403, 403, 200, 403, 403),
    ("GET", "/requests/new", R, R, R, R, R, R, R, R, R),
    ("GET", "/requests/new/category", R, R, R, R, R, R, R, R, R),
    ("GET", "/requests/new/check", R, R, R, R, R, R, R, R, R),
    ("GET", "/requests/new/resident", L, 403, 403, 200, 403, 403, 403, 200, 403),
    ("GET", "/requests/new/for/{r1}", L, 403, 403, R, 403, 403, 403, 404, 403),
    ("GET", "/requests/new/for/{r3}", L, 403, 403, 404, 403, 403, 403, 404, 403),
    ("GET", "/requests/queue", L, 200, 200, 200, 403, 403, 200, 200, 403),
    ("GET", "/requests/overdue", L, 200, 200, 403, 403, 403, 200, 403, 403),
    ("GET", "/requests/K7MX3PQA", L, 200, 200, 200, 403, 403, 404, 404, 403),
    ("GET", "/requests/DNP7QX3E", L, 200, 200, 404, 403, 403, 404, 404, 403),
    ("GET", "/requests/CYW3EA7N", L, 200, 404, 404, 403, 403, 200, 200, 403),
    ("GET", "/requests/NOSUCHAA", L, 404, 404, 404, 403, 403, 404, 404, 403),
    ("POST", "/requests/K7MX3PQA/phone", L, 200, 200, 200, 403, 403, 404, 404, 403),
    ("POST", "/requests/CYW3EA7N/phone", L, 200, 404, 404, 403, 403, 200, 200, 403),  # the family contact
    ("POST", "/requests/K7MX3PQA/transition", L, 200, 200, 200, 403, 403, 404, 404, 403),
    ("POST", "/requests/K7MX3PQA/reassign", L, 200, 200, 200, 403, 403, 404, 404, 403),
    ("GET", "/requests/K7MX3PQA/photo", L, 404, 404, 404, 403, 403, 404, 404, 403),
    ("GET", "/requests/K7MX3PQA/receipt", 404, 200, 200, 200, 404, 404, 404, 404, 404),
    ("GET", "/requests/CYW3EA7N/receipt", 404, 200, 404, 404, 404, 404, 200, 200, 404),
    ("GET", "/requests/status", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "/requests/status/K7MX3PQA", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "/requests/status/NOSUCHAA", 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("POST", "/requests/status/K7MX3PQA/cancel", 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("GET", "/requests/status/K7MX3PQA/cancel", 404, 404, 404, 404, 404, 404, 404, 404, 404),
    ("GET", "/open311/v2/requests/K7MX3PQA.json", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "/open311/v2/services.json", 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("GET", "/requests/categories", L, 200, 403, 403, 403, 403, 403, 403, 403),
    ("GET", "/requests/categories/new", L, 200, 403, 403, 403, 403, 403, 403, 403),
    ("POST", "/requests/categories/new", L, 200, 403, 403, 403, 403, 403, 403, 403),
    ("GET", "/requests/categories/1", L, 200, 403, 403, 403, 403, 403, 403, 403),
    ("POST", "/requests/categories/1", L, 200, 403, 403, 403, 403, 403, 403, 403),
]


def make_other_community_accounts(app):
    with app.app_context():
        community = db.session.scalars(db.select(Community).filter_by(name="月河社区")).one()
        for username, role, grids in [
            ("other_staff", "staff", []),
            ("other_gridworker", "gridworker", [1]),
            ("other_volunteer", "volunteer", []),
        ]:
            account = Account(username=username, display_name=username, role=role, community_id=community.id)
            account.set_password("linli-demo")
            account.grids = [g for g in community.grids if g.number in grids]
            db.session.add(account)
        db.session.commit()


def resident_numbers(app) -> dict:
    with app.app_context():

        def first_in(grid_id):
            return db.session.scalars(
                db.select(Resident.number).where(Resident.grid_id == grid_id).order_by(Resident.id)
            ).first()

        return {"r1": first_in(1), "r3": first_in(3), "r5": first_in(5)}


@pytest.mark.parametrize("role", ROLES)
def test_every_new_route_with_every_role(app, client, auth, role):
    make_other_community_accounts(app)
    numbers = resident_numbers(app)
    if role != "anonymous":
        assert auth.login(role).status_code == 303
    client.get("/requests/status")  # a page with a CSRF token for the posts
    column = ROLES.index(role) + 2
    wrong = []
    for route in ROUTES:
        method, path, expected = route[0], route[1].format(**numbers), route[column]
        response = client.submit(path, {}) if method == "POST" else client.get(path)
        got = response.status_code
        if expected == L:
            ok = got == 303 and response.headers["Location"].startswith("/login?next=")
        elif expected == R:
            ok = got in (302, 303) and not response.headers["Location"].startswith("/login")
        else:
            ok = got == expected
        if not ok:
            wrong.append(f"{method} {path}: expected {expected}, got {got} {response.headers.get('Location', '')}")
    assert not wrong, "\n".join(wrong)
