"""Health-station posters: the same poster machinery as the grids' join posters, leading to the
station's booking page. Creation and the database's rules, /j/<code>, the bookings counter, and the
staff posters pages."""
import re

import pytest
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import AuditEvent, Poster, Service, Station
from portal.services import posters as svc

from .identity_helpers import identify_on_web
from .test_health_flow import walk_to_confirm


def station_poster(station_id=1):
    return svc.active_station_poster(db.session, station_id)


def code_of(app, station_id=1):
    with app.app_context():
        return station_poster(station_id).code


def counts_of(app, code):
    with app.app_context():
        poster = db.session.scalars(db.select(Poster).where(Poster.code == code)).one()
        return poster.scans, poster.bookings


@pytest.fixture
def demo(app):
    """The first demo station's blood-pressure service and a resident of its community who has a phone."""
    from portal.models import Resident

    with app.app_context():
        station = db.session.scalars(db.select(Station).order_by(Station.id)).first()
        pressure = db.session.scalars(db.select(Service).filter_by(station_id=station.id, name="血压测量")).one()
        senior = db.session.scalars(db.select(Resident).where(
            Resident.community_id == station.community_id, Resident.phone.is_not(None))
            .order_by(Resident.id.desc())).first()
        return {"station": station.id, "service": pressure.id, "phone": senior.phone, "year": str(senior.birth_year),
                "resident": senior.id}


# -- creation and the database's rules ------------------------------------------------------------
def test_every_seeded_station_has_one_working_poster_of_its_own_community(app):
    with app.app_context():
        for station in db.session.scalars(db.select(Station)).all():
            posters = db.session.scalars(db.select(Poster).filter_by(station_id=station.id)).all()
            assert len(posters) == 1
            poster = posters[0]
            assert (poster.kind, poster.active, poster.grid_id) == ("station", True, None)
            assert poster.community_id == station.community_id and poster.place is station
            assert len(poster.code) == svc.CODE_LENGTH and set(poster.code) <= set(svc.ALPHABET)


def test_only_one_working_poster_per_station(app):
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.add(Poster(kind="station", community_id=1, station_id=1, code="ABCDEFG", active=True))
            db.session.flush()
        db.session.rollback()
        # A retired one beside the working one is fine: that is what replacing leaves behind.
        db.session.add(Poster(kind="station", community_id=1, station_id=1, code="ABCDEFG", active=False,
                              retired_at=station_poster(1).created_at))
        db.session.commit()


@pytest.mark.parametrize("columns", [
    {"kind": "station"},                                # a station poster without a station
    {"kind": "station", "station_id": 1, "grid_id": 1},  # ... or pointing at a grid as well
    {"kind": "grid", "grid_id": 1, "station_id": 1},     # a grid poster pointing at a station
    {"kind": "event", "station_id": 1},                  # only station posters point at a station
])
def test_a_poster_points_at_the_place_its_kind_says(app, columns):
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.add(Poster(community_id=1, code="HJKMNPQ", active=False, retired_at=db.func.now(),
                                  **columns))
            db.session.flush()
        db.session.rollback()


def test_ensure_station_posters_makes_one_for_a_new_station_and_is_idempotent(app):
    with app.app_context():
        station = Station(community_id=1, name="南湖第二健康站", address="南湖路20号")
        db.session.add(station)
        db.session.commit()
        assert station_poster(station.id) is None
        first = svc.ensure_station_posters(db.session, [station])
        again = svc.ensure_station_posters(db.session, [station])
        db.session.commit()
        assert [p.id for p in first] == [p.id for p in again] == [station_poster(station.id).id]
        before = db.session.scalar(db.select(db.func.count()).select_from(Poster))
        assert svc.seed_posters(db.session) == before  # the demo seed does not add a second one


def test_replacing_a_station_poster_keeps_its_counts_and_its_station(app):
    with app.app_context():
        old = station_poster(1)
        svc.count_scan(db.session, old.id)
        svc.count_booking(db.session, old.id)
        svc.count_booking(db.session, old.id)
        new = svc.retire_and_replace(db.session, old)
        db.session.commit()
        db.session.refresh(old)
        assert not old.active and old.replaced_by_id == new.id and (old.scans, old.bookings) == (1, 2)
        assert (new.kind, new.station_id, new.community_id, new.active) == ("station", 1, 1, True)
        assert (new.scans, new.bookings, new.signups) == (0, 0, 0) and new.code != old.code
        assert station_poster(1).id == new.id


# -- /j/<code> ---------------------------------------------------------------------------------
def test_scanning_a_station_poster_counts_and_opens_the_station_page(app, client):
    code = code_of(app)
    response = client.get(f"/j/{code}")
    assert response.status_code == 303 and response.headers["Location"] == "/health/stations/1"
    assert counts_of(app, code) == (1, 0)
    html = client.get("/health/stations/1").get_data(as_text=True)
    assert "您想预约哪一项？" in html and "南湖社区智慧健康站" in html and "血压测量" in html
    # Typed by hand, in small letters, from the short URL under the QR code: the same place.
    assert client.get(f"/j/{code.lower()}").headers["Location"] == f"/j/{code}"
    assert client.submit("/j", {"code": code.lower()}).headers["Location"] == f"/j/{code}"


def test_a_retired_station_poster_is_a_friendly_410_and_still_counted(app, client):
    with app.app_context():
        old = station_poster(1)
        code = old.code
        svc.retire_and_replace(db.session, old)
        db.session.commit()
    response = client.get(f"/j/{code}?lang=en")
    assert response.status_code == 410 and "This poster is out of date" in response.get_data(as_text=True)
    assert counts_of(app, code) == (1, 0)
    assert client.get(f"/j/{code_of(app)}").headers["Location"] == "/health/stations/1"


def test_a_poster_of_a_station_that_stopped_booking_leads_to_the_other_stations(app, client):
    code = code_of(app)
    with app.app_context():
        db.session.get(Station, 1).active = False
        db.session.commit()
    response = client.get(f"/j/{code}")
    assert response.status_code == 303 and response.headers["Location"] == "/health/"
    assert "月河社区智慧健康站" in client.get("/health/").get_data(as_text=True)


def book(client, demo, day_index=3):
    walk_to_confirm(client, demo, day_index=day_index)
    identify_on_web(client, demo["phone"], demo["year"], "/health/book/confirm")
    response = client.submit("/health/book/confirm", {})
    assert response.status_code == 303 and "/health/bookings/" in response.headers["Location"]


def test_a_booking_made_after_scanning_counts_once_on_the_poster(app, client, demo):
    code = code_of(app)
    client.get(f"/j/{code}")
    book(client, demo)
    assert counts_of(app, code) == (1, 1)
    # A second booking in the same visit, not from a new scan, is not the poster's doing.
    with app.app_context():
        other = db.session.scalars(db.select(Service).filter_by(station_id=1, name="血糖检测")).one().id
    book(client, {**demo, "service": other})
    assert counts_of(app, code) == (1, 1)


def test_bookings_without_the_poster_or_at_another_station_are_not_counted(app, client, demo):
    book(client, demo)  # came from the station list, not a poster
    assert counts_of(app, code_of(app)) == (0, 0)
    other = code_of(app, 2)
    client.get(f"/j/{other}")  # scanned 月河's poster, then booked at 南湖 all the same
    book(client, demo, day_index=5)
    assert counts_of(app, other) == (1, 0) and counts_of(app, code_of(app)) == (0, 0)


# -- staff pages -------------------------------------------------------------------------------
def test_posters_page_lists_the_station_poster_with_scans_and_bookings(app, client, auth):
    code = code_of(app)
    with app.app_context():
        poster = station_poster(1)
        svc.count_booking(db.session, poster.id)
        db.session.commit()
    client.get(f"/j/{code}")
    client.get(f"/j/{code}")
    auth.login("staff")
    html = client.get("/communities/1/posters").get_data(as_text=True)
    section = html[html.index('<h2 id="station-posters">健康站海报</h2>'):]
    row = re.search(r"<tr>\s*<th scope=\"row\">南湖社区智慧健康站</th>.*?</tr>", section, re.S).group(0)
    assert code in row and 'data-label="扫码次数">2</td>' in row and 'data-label="预约数">1</td>' in row
    assert f'href="/posters/{code}"' in row and f'href="/posters/{code}/replace"' in row
    assert "月河社区智慧健康站" not in html  # another community's station
    english = client.get("/communities/1/posters?lang=en").get_data(as_text=True)
    assert "Health station posters" in english and "Nanhu Community Smart Health Station" in english


def test_posters_page_makes_a_poster_for_a_new_station(app, client, auth):
    with app.app_context():
        station = Station(community_id=1, name="南湖第二健康站", address="南湖路20号")
        db.session.add(station)
        db.session.commit()
        station_id = station.id
    auth.login("staff")
    assert "南湖第二健康站" in client.get("/communities/1/posters").get_data(as_text=True)
    with app.app_context():
        assert station_poster(station_id) is not None


def test_the_station_poster_names_the_station_its_address_and_the_steps(app, client, auth):
    code = code_of(app)
    auth.login("staff")
    html = client.get(f"/posters/{code}").get_data(as_text=True)
    assert "南湖社区智慧健康站的预约海报" in html
    poster = html[html.index('<section class="poster"'):]
    for words in ("南湖社区智慧健康站", "扫码预约健康检查", "地址：南湖路18号社区服务中心一楼",
                  "可以预约：血压测量\u00a0· 血糖检测\u00a0· 义诊", "选好检查项目，再选日期和时间。", f"localhost/j/{code}",
                  f"<strong>{code}</strong>", "<svg class=\"qr poster-qr-code\""):
        assert words in poster
    assert poster.count('<li class="poster-step">') == 3
    english = client.get(f"/posters/{code}?lang=en").get_data(as_text=True)
    assert "Scan to book a health check" in english and "Address: Ground floor, Community Service Centre" in english


def test_replacing_a_station_poster_from_the_page_is_audited(app, client, auth):
    old = code_of(app)
    auth.login("staff")
    assert "要更换南湖社区智慧健康站海报的编码吗？" in client.get(f"/posters/{old}/replace").get_data(as_text=True)
    response = client.submit(f"/posters/{old}/replace")
    new = code_of(app)
    assert new != old and response.headers["Location"] == f"/posters/{new}?replaced={old}"
    assert client.get(f"/j/{old}").status_code == 410
    assert client.get(f"/j/{new}").headers["Location"] == "/health/stations/1"
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).filter_by(action="poster.replace")).one()
        assert event.detail == f"station poster {old} -> {new}"
    listing = client.get("/communities/1/posters").get_data(as_text=True)
    retired = listing[listing.index("已停用的旧海报"):]
    assert old in retired and "南湖社区智慧健康站" in retired and 'data-label="预约数">0</td>' in retired


def test_staff_cannot_open_or_replace_another_communitys_station_poster(app, client, auth):
    code = code_of(app, 2)  # 月河社区
    auth.login("staff")
    assert client.get(f"/posters/{code}").status_code == 404
    assert client.submit(f"/posters/{code}/replace").status_code == 404
    auth.login("admin")
    assert client.get(f"/posters/{code}").status_code == 200
