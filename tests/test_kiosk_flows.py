"""The web flows as a kiosk shows them: a problem reported at a kiosk skips the photo (a file chooser
would open the browser's own window), "I am finished" is Start again, the slip and receipt print with
the shared Print button, and records made there carry channel kiosk and the kiosk's id."""

from portal.extensions import db
from portal.models import Booking, Category, Request, Resident, utcnow
from portal.services.filing import file_request

from tests.support.kiosk import demo_kiosk_id
from tests.support.records import audit_events


def identify(client, senior):
    return client.submit("/kiosk/identify", {"token": senior["token"], "next": ""})


def test_a_problem_reported_at_a_kiosk_skips_the_photo_and_records_the_kiosk(app, kiosk, senior):
    identify(kiosk, senior)
    assert kiosk.get("/requests/new").headers["Location"] == "/requests/new/category"
    assert kiosk.submit("/requests/new/category", {"category": "1"}).headers["Location"] == "/requests/new/description"
    kiosk.submit("/requests/new/description", {"description": "三楼楼道灯坏了"})
    response = kiosk.submit("/requests/new/location", {"location": "none"})
    assert response.headers["Location"] == "/requests/new/check"
    # The photo question is never asked here, even by its address, and the check page leaves it out.
    assert kiosk.get("/requests/new/photo").headers["Location"] == "/requests/new/check"
    html = kiosk.get("/requests/new/check").get_data(as_text=True)
    assert 'type="file"' not in html and "/requests/new/photo" not in html
    assert 'href="/requests/new/location"' in html  # Back goes to the last question asked
    sent = kiosk.submit("/requests/new/check")
    html = kiosk.get(sent.headers["Location"]).get_data(as_text=True)
    assert 'class="button button-primary print-button no-print"' in html and "data-print" in html
    assert "浏览器" not in html  # no "use your browser's Print command" at a kiosk
    with app.app_context():
        filed = db.session.scalars(db.select(Request).order_by(Request.id.desc())).first()
        assert (filed.resident_id, filed.channel, filed.kiosk_id, filed.photo_path) == (
            senior["id"],
            "kiosk",
            demo_kiosk_id(app),
            None,
        )
    [event] = audit_events(app, "request.file")
    assert (event["channel"], event["kiosk_id"], event["resident_id"]) == ("kiosk", demo_kiosk_id(app), senior["id"])


def test_the_web_still_asks_for_a_photo(app, client, senior):
    client.get("/identify")
    client.submit("/identify", {"token": senior["token"]})
    client.get("/requests/new")
    client.submit("/requests/new/category", {"category": "1"})
    client.submit("/requests/new/description", {"description": "三楼楼道灯坏了"})
    assert client.submit("/requests/new/location", {"location": "none"}).headers["Location"] == "/requests/new/photo"
    assert 'type="file"' in client.get("/requests/new/photo").get_data(as_text=True)


def test_a_health_check_booked_at_a_kiosk_records_the_kiosk_and_finishing_starts_again(app, kiosk, senior):
    identify(kiosk, senior)
    kiosk.get("/health/stations/1")
    html = kiosk.get("/health/stations/1").get_data(as_text=True)
    service = html.split('name="service" value="')[1].split('"')[0]
    kiosk.submit("/health/stations/1", {"service": service})
    html = kiosk.get("/health/book/day").get_data(as_text=True)
    day = html.split('name="day" value="')[2].split('"')[0]
    kiosk.submit("/health/book/day", {"day": day})
    html = kiosk.get("/health/book/time").get_data(as_text=True)
    kiosk.submit("/health/book/time", {"slot": html.split('name="slot" value="')[1].split('"')[0]})
    slip = kiosk.submit("/health/book/confirm").headers["Location"]
    html = kiosk.get(slip).get_data(as_text=True)
    assert 'class="button button-primary print-button no-print"' in html and 'href="/kiosk"' in html
    reference = slip.split("/")[-1].split("?")[0]
    with app.app_context():
        booking = db.session.scalars(db.select(Booking).filter_by(reference=reference)).one()
        assert (booking.resident_id, booking.channel, booking.kiosk_id, booking.entered_by_id) == (
            senior["id"],
            "kiosk",
            demo_kiosk_id(app),
            None,
        )
    [event] = audit_events(app, "booking.create")
    assert (event["channel"], event["kiosk_id"], event["actor"]) == ("kiosk", demo_kiosk_id(app), None)
    # My appointments: "I am finished" is Start again, which wipes the whole visit.
    html = kiosk.get("/health/my").get_data(as_text=True)
    assert 'action="/kiosk/reset"' in html and 'action="/identify/forget"' not in html
    assert kiosk.post("/kiosk/reset").headers["Location"] == "/kiosk"
    assert kiosk.get("/health/my").headers["Location"] == "/identify?next=/health/my"  # nobody is identified


def test_check_my_request_lists_the_identified_residents_requests_to_tap(app, kiosk, senior):
    html = kiosk.get("/requests/status").get_data(as_text=True)
    assert "查看我的诉求" in html and 'href="/identify?next=/requests/status"' in html
    identify(kiosk, senior)
    with app.app_context():
        resident = db.session.get(Resident, senior["id"])
        file_request(
            db.session,
            resident=resident,
            category=db.session.get(Category, 1),
            description="楼道灯坏了",
            origin={"channel": "online"},
            now=utcnow(),
        )
        db.session.commit()
        own = db.session.scalars(db.select(Request).where(Request.resident_id == senior["id"])).all()
        others = db.session.scalars(db.select(Request).where(Request.resident_id != senior["id"])).all()
    assert own and others
    html = kiosk.get("/requests/status").get_data(as_text=True)
    assert "您的诉求" in html and "查看我的诉求" not in html
    for r in own:
        assert f'href="/requests/status/{r.ticket}"' in html
    for r in others:
        assert f'href="/requests/status/{r.ticket}"' not in html
