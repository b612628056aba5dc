"""QR posters: codes, retiring and replacing, counting, the staff pages and /j/<code>."""

import re

import pytest
from flask import redirect
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import AuditEvent, Grid, Poster, Station
from portal.posters import POSTER_HANDLERS
from portal.services import posters as svc

AMBIGUOUS = set("0O1lIL")


def grid_poster(grid_id=1):
    return svc.active_grid_poster(db.session, grid_id)


# -- codes -----------------------------------------------------------------------------------
def test_alphabet_has_no_look_alikes_and_codes_are_short():
    assert not AMBIGUOUS & set(svc.ALPHABET)
    assert len(set(svc.ALPHABET)) == len(svc.ALPHABET) >= 30
    for _ in range(500):
        code = svc.new_poster_code()
        assert 6 <= len(code) <= 8
        assert set(code) <= set(svc.ALPHABET)


def test_codes_are_random_not_sequential():
    codes = {svc.new_poster_code() for _ in range(5000)}
    assert len(codes) == 5000  # 31^7 codes: a repeat here would mean a broken generator
    # Every character position uses most of the alphabet (a counter would not).
    for position in range(svc.CODE_LENGTH):
        assert len({c[position] for c in codes}) == len(svc.ALPHABET)


def test_every_seeded_grid_and_station_has_a_poster_with_its_own_code(app):
    with app.app_context():
        posters = db.session.scalars(db.select(Poster)).all()
        count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
        assert len([p for p in posters if p.kind == "grid"]) == count(Grid)
        assert len([p for p in posters if p.kind == "station"]) == count(Station) == 2
        for poster in posters:
            assert len(poster.code) == svc.CODE_LENGTH and set(poster.code) <= set(svc.ALPHABET)
        assert len({p.code for p in posters}) == len(posters)


def test_codes_are_unique_in_the_database(app):
    with app.app_context():
        existing = grid_poster(1)
        duplicate = Poster(
            kind="grid", community_id=1, grid_id=2, code=existing.code, active=False, retired_at=existing.created_at
        )
        db.session.add(duplicate)
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_a_code_collision_draws_again(app, monkeypatch):
    with app.app_context():
        taken = grid_poster(1).code
        draws = iter([taken, taken, "ZZZZ999"])
        monkeypatch.setattr(svc, "new_poster_code", lambda length=7: next(draws))
        old = grid_poster(3)
        new = svc.retire_and_replace(db.session, old)
        db.session.commit()
        assert new.code == "ZZZZ999"


def test_only_one_working_poster_per_grid(app):
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.add(Poster(kind="grid", community_id=1, grid_id=1, code="ABCDEFG", active=True))
            db.session.flush()
        db.session.rollback()


def test_ensure_grid_posters_is_idempotent(app):
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count()).select_from(Poster))
        grids = db.session.scalars(db.select(Grid)).all()
        first = svc.ensure_grid_posters(db.session, grids)
        again = svc.ensure_grid_posters(db.session, grids)
        db.session.commit()
        assert [p.id for p in first] == [p.id for p in again]
        assert db.session.scalar(db.select(db.func.count()).select_from(Poster)) == before


# -- retiring, replacing, counting -------------------------------------------------------------------
def test_retire_and_replace_keeps_the_old_counts_and_links_the_new_poster(app):
    with app.app_context():
        old = grid_poster(1)
        svc.count_scan(db.session, old.id)
        svc.count_signup(db.session, old.id)
        new = svc.retire_and_replace(db.session, old)
        db.session.commit()
        db.session.refresh(old)
        assert not old.active and old.retired_at is not None and old.replaced_by_id == new.id
        assert (old.scans, old.signups) == (1, 1)
        assert new.active and new.grid_id == 1 and new.code != old.code and (new.scans, new.signups) == (0, 0)
        assert grid_poster(1).id == new.id


def test_replacing_twice_gives_the_same_replacement(app):
    with app.app_context():
        old = grid_poster(2)
        first = svc.retire_and_replace(db.session, old)
        second = svc.retire_and_replace(db.session, old)
        db.session.commit()
        assert first.id == second.id
        assert db.session.scalar(db.select(db.func.count()).select_from(Poster).where(Poster.grid_id == 2)) == 2


def test_counters_are_single_updates(app):
    with app.app_context():
        poster = grid_poster(1)
        for _ in range(3):
            svc.count_scan(db.session, poster.id)
        svc.count_signup(db.session, poster.id)
        db.session.commit()
        db.session.refresh(poster)
        assert (poster.scans, poster.signups) == (3, 1)


# -- /j/<code> -------------------------------------------------------------------------------------
def code_of(app, grid_id=1):
    with app.app_context():
        return grid_poster(grid_id).code


def scans_of(app, code):
    with app.app_context():
        return db.session.scalars(db.select(Poster.scans).where(Poster.code == code)).one()


def test_scanning_a_grid_poster_counts_and_starts_the_sign_up(app, client):
    code = code_of(app)
    response = client.get(f"/j/{code}")
    assert response.status_code == 303 and response.headers["Location"] == f"/join/{code}"
    assert scans_of(app, code) == 1
    html = client.get(f"/join/{code}").get_data(as_text=True)
    assert "南湖社区" in html and "第一网格" in html and "3 分钟" in html


def test_typed_codes_are_forgiving(app, client):
    code = code_of(app)
    response = client.get(f"/j/{code.lower()}")
    assert response.status_code == 302 and response.headers["Location"] == f"/j/{code}"
    assert client.submit("/j", {"code": f" {code[:3]} {code[3:].lower()} "}).headers["Location"] == f"/j/{code}"


def test_unknown_code_is_a_friendly_404(client):
    response = client.get("/j/ZZZZ222")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "没有找到这个海报编码" in html and 'name="code"' in html
    html = client.submit("/j?lang=en", {"code": "nope"}).get_data(as_text=True)
    assert "We do not know that code" in html


def test_retired_code_is_a_friendly_410(app, client):
    with app.app_context():
        old = grid_poster(1)
        code = old.code
        svc.retire_and_replace(db.session, old)
        db.session.commit()
    response = client.get(f"/j/{code}?lang=en")
    assert response.status_code == 410
    assert "This poster is out of date" in response.get_data(as_text=True)
    assert client.get(f"/join/{code}").status_code == 410
    assert scans_of(app, code) == 1  # a retired poster still up somewhere shows in the counts


def test_posters_dispatch_by_kind_through_the_registry(app, client, monkeypatch):
    with app.app_context():
        poster = svc.create_poster(db.session, kind="event", community_id=1)
        db.session.commit()
        code = poster.code
    assert client.get(f"/j/{code}").status_code == 404  # no capability handles events yet
    monkeypatch.setitem(POSTER_HANDLERS, "event", lambda p: redirect(f"/events/for-{p.code}", code=303))
    assert client.get(f"/j/{code}").headers["Location"] == f"/events/for-{code}"
    assert scans_of(app, code) == 2


# -- staff pages ------------------------------------------------------------------------------------
def test_posters_page_shows_every_grid_with_counts(app, client, auth):
    code = code_of(app, 2)
    client.get(f"/j/{code}")
    client.get(f"/j/{code}")
    auth.login("staff")
    assert client.get("/posters").headers["Location"] == "/communities/1/posters"
    html = client.get("/communities/1/posters").get_data(as_text=True)
    for number in ("第一网格", "第二网格", "第三网格", "第四网格"):
        assert number in html
    row = re.search(r"<tr>\s*<th scope=\"row\">第二网格</th>.*?</tr>", html, re.S).group(0)
    assert code in row and 'data-label="扫码次数">2</td>' in row


def test_posters_page_makes_posters_for_new_grids(app, client, auth):
    with app.app_context():
        db.session.add(Grid(community_id=1, number=9, name="第九网格", name_en="Grid 9"))
        db.session.commit()
    auth.login("staff")
    assert "第九网格" in client.get("/communities/1/posters").get_data(as_text=True)
    with app.app_context():
        grid = db.session.scalars(db.select(Grid).filter_by(number=9)).one()
        assert grid_poster(grid.id) is not None


@pytest.mark.parametrize(
    "user, url, status",
    [
        (None, "/communities/1/posters", 303),
        ("gridworker", "/communities/1/posters", 403),
        ("volunteer", "/posters", 403),
        ("staff", "/communities/2/posters", 404),
        ("staff", "/communities/2/posters/print", 404),
        ("admin", "/communities/2/posters", 200),
        ("staff", "/communities/99/posters", 404),
    ],
)
def test_posters_pages_are_scoped(client, auth, user, url, status):
    if user:
        auth.login(user)
    assert client.get(url).status_code == status


def test_staff_cannot_open_or_replace_another_communitys_poster(app, client, auth):
    code = code_of(app, 5)  # 月河社区
    auth.login("staff")
    assert client.get(f"/posters/{code}").status_code == 404
    assert client.submit(f"/posters/{code}/replace").status_code == 404


def test_print_all_has_one_poster_per_grid_and_station_with_its_qr_and_code(app, client, auth):
    auth.login("staff")
    html = client.get("/communities/1/posters/print").get_data(as_text=True)
    with app.app_context():
        codes = [grid_poster(g).code for g in (1, 2, 3, 4)] + [svc.active_station_poster(db.session, 1).code]
    assert html.count('<section class="poster"') == 5
    assert html.count('<svg class="qr poster-qr-code"') == 5
    assert "5 张海报" in html
    for code in codes:
        assert f"http://localhost/j/{code}" not in html  # the QR is a drawing, the text is the short URL
        assert f"localhost/j/{code}" in html
        assert f"<strong>{code}</strong>" in html


def test_replacing_a_code_from_the_page_is_audited(app, client, auth):
    old = code_of(app, 1)
    auth.login("staff")
    assert "更换编码" in client.get(f"/posters/{old}/replace").get_data(as_text=True)
    response = client.submit(f"/posters/{old}/replace")
    assert response.status_code == 303
    new = code_of(app, 1)
    assert new != old and response.headers["Location"] == f"/posters/{new}?replaced={old}"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert old in html and new in html
    assert client.get(f"/j/{old}").status_code == 410
    assert client.get(f"/j/{new}").status_code == 303
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="poster.replace")).one()
        assert event.actor.username == "staff" and old in event.detail and new in event.detail
    listing = client.get("/communities/1/posters").get_data(as_text=True)
    assert "已停用的旧海报" in listing and old in listing


def test_concurrent_scans_are_all_counted(app):
    """Ten phones scan at once. Each request read the poster before any of them wrote; a
    read-modify-write counter would end at 1, the single UPDATE ends at 10."""
    import threading

    with app.app_context():
        poster_id = grid_poster(1).id
    barrier, errors = threading.Barrier(10), []

    def scan():
        try:
            with app.app_context():
                db.session.get(Poster, poster_id)
                barrier.wait(timeout=10)
                svc.count_scan(db.session, poster_id)
                db.session.commit()
        except Exception as error:  # reported below; a thread's exception would otherwise vanish
            errors.append(error)

    threads = [threading.Thread(target=scan) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with app.app_context():
        assert db.session.get(Poster, poster_id).scans == 10
