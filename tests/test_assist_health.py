"""Booking a health check for the resident a helper is with (issue 5, with issue 4): from the helping
page to the slip, recorded as the helper's channel with the helper as the one who entered it, for the
assisted resident, and audited with the session's reason. Helpers without a session are sent to
"Help a resident" first."""

import re

import pytest

from portal.extensions import db
from portal.models import Account, Booking, Resident

from tests.support.flows import start_assisting
from tests.support.records import audit_events, resident_in
from tests.support.signin import sign_in

REASON = "帮居民约量血压"


def values(html, name):
    return re.findall(rf'name="{name}" value="([^"]+)"', html)


def masked(name: str) -> str:
    return name[0] + "*" * (len(name) - 2) + name[-1]


def book_from_the_helping_page(client, day_index=4):
    """Helping page -> station -> service -> day -> time -> confirm -> slip. Returns (pages, slip URL)."""
    pages = {}
    html = client.get("/assist/now").get_data(as_text=True)
    assert 'href="/health/"' in html and 'href="/health/my"' in html
    pages["stations"] = client.get("/health/").get_data(as_text=True)
    pages["service"] = client.get("/health/stations/1").get_data(as_text=True)
    service = values(pages["service"], "service")[0]
    assert client.submit("/health/stations/1", {"service": service}).headers["Location"] == "/health/book/day"
    pages["day"] = client.get("/health/book/day").get_data(as_text=True)
    day = values(pages["day"], "day")[day_index]
    assert client.submit("/health/book/day", {"day": day}).headers["Location"] == "/health/book/time"
    pages["time"] = client.get("/health/book/time").get_data(as_text=True)
    slot = values(pages["time"], "slot")[0]
    assert client.submit("/health/book/time", {"slot": slot}).headers["Location"] == "/health/book/confirm"
    # No identification page: the helper checked who the resident is when the session started.
    response = client.get("/health/book/confirm")
    assert response.status_code == 200
    pages["confirm"] = response.get_data(as_text=True)
    response = client.submit("/health/book/confirm")
    assert response.status_code == 303
    slip_url = response.headers["Location"]
    assert re.match(r"^/health/bookings/[A-Z2-9]{8}\?new=1$", slip_url)
    pages["slip"] = client.get(slip_url).get_data(as_text=True)
    return pages, slip_url


@pytest.mark.parametrize("helper", ["volunteer", "gridworker"])
def test_a_helper_books_a_health_check_for_the_resident(app, client, auth, helper):
    senior = resident_in(app, 1)
    sign_in(auth, helper)
    start_assisting(client, senior["number"], reason=REASON)
    pages, slip_url = book_from_the_helping_page(client)
    for name, html in pages.items():
        assert "您正在帮助：" in html and f"<strong>{masked(senior['name'])}</strong>" in html, name
    assert masked(senior["name"]) in pages["confirm"] and "这不是我" not in pages["confirm"]
    assert "排队号" in pages["slip"] and 'href="/assist/now"' in pages["slip"]
    assert "打印预约单" in pages["slip"] and "data-print" in pages["slip"]
    reference = slip_url.split("/")[-1].split("?")[0]
    with app.app_context():
        booking = db.session.scalars(db.select(Booking).filter_by(reference=reference)).one()
        helper_id = db.session.scalars(db.select(Account.id).filter_by(username=helper)).one()
        assert (booking.resident_id, booking.channel, booking.entered_by_id, booking.kiosk_id) == (
            senior["id"],
            helper,
            helper_id,
            None,
        )
        queue_number = booking.queue_number
    [event] = audit_events(app, "booking.create")
    assert event == {
        "action": "booking.create",
        "actor": helper,
        "resident_id": senior["id"],
        "reason": REASON,
        "detail": reference,
        "channel": helper,
        "kiosk_id": None,
    }
    # Back on the helping page the appointment is listed; "Their appointments" shows it too.
    html = client.get("/assist/now").get_data(as_text=True)
    assert "居民接下来的预约" in html and f'href="/health/bookings/{reference}"' in html
    html = client.get("/health/my").get_data(as_text=True)
    assert "<h1>居民的预约</h1>" in html and f'<strong class="booking-queue">{queue_number}</strong>' in html
    assert 'href="/assist/now"' in html and 'action="/identify/forget"' not in html


def test_changing_and_cancelling_in_an_assisted_session_carry_its_reason(app, client, auth):
    senior = resident_in(app, 1)
    sign_in(auth, "volunteer")
    start_assisting(client, senior["number"], reason=REASON)
    _pages, slip_url = book_from_the_helping_page(client)
    reference = slip_url.split("/")[-1].split("?")[0]
    html = client.get(f"/health/my/{reference}/change").get_data(as_text=True)
    day = values(html, "day")[6]
    response = client.submit(f"/health/my/{reference}/change", {"day": day})
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    slot = values(html, "slot")[0]
    response = client.submit(f"/health/my/{reference}/change/{day}", {"slot": slot})
    assert response.headers["Location"] == f"/health/bookings/{reference}?changed=1"
    assert client.submit(f"/health/my/{reference}/cancel").headers["Location"] == "/health/my?cancelled=1"
    events = audit_events(app)
    changes = [e for e in events if e["action"] in ("booking.change", "booking.cancel")]
    assert [(e["action"], e["actor"], e["resident_id"], e["reason"], e["channel"]) for e in changes] == [
        ("booking.change", "volunteer", senior["id"], REASON, "volunteer"),
        ("booking.cancel", "volunteer", senior["id"], REASON, "volunteer"),
    ]
    # The audit log says it in words.
    sign_in(auth, "staff")
    html = client.get(f"/audit?resident={senior['number']}&lang=en").get_data(as_text=True)
    for words in ["Booked a health check", "Changed the time of a health check", "Cancelled a health check"]:
        assert words in html
    assert REASON in html


@pytest.mark.parametrize("helper", ["volunteer", "gridworker"])
@pytest.mark.parametrize("path", ["/health/book/confirm", "/health/my"])
def test_a_helper_without_an_assisted_session_is_sent_to_help_a_resident(client, auth, helper, path):
    sign_in(auth, helper)
    response = client.get(path)
    assert response.status_code == 303 and response.headers["Location"] == "/assist"


def test_the_helping_page_offers_health_checks_in_english(app, client, auth):
    # A resident the demo data books nothing for: the first one in grid 1 has a check this morning, which
    # is still to come before 8:30 (issue 9: this test failed when the suite ran early in the day).
    with app.app_context():
        number = db.session.scalars(
            db.select(Resident.number)
            .where(Resident.grid_id == 1, ~db.select(Booking.id).where(Booking.resident_id == Resident.id).exists())
            .order_by(Resident.id)
        ).first()
    sign_in(auth, "volunteer")
    start_assisting(client, number)
    html = client.get("/assist/now?lang=en").get_data(as_text=True)
    assert "Book a health check" in html and "Their appointments" in html
    assert "Their next appointments" not in html  # nothing booked yet
