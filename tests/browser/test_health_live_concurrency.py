"""Fifty residents press "Book this appointment" at the same moment, over real HTTP against the live
server, for a slot with 5 places. Five get their slip; the others see the plain "full" sentence on the
confirm page (status 200, their choices kept); nobody sees an error page. No browser needed."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time, timedelta, timezone

from portal.extensions import db
from portal.models import Booking, Slot, Station
from portal.services.slots import get_zone, local_to_utc

from tests.support.flows import signed_in_resident_session
from tests.support.health import make_residents

PEOPLE, PLACES = 50, 5


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_fifty_simultaneous_http_bookings_of_five_places(live, live_app):
    tz = get_zone(live_app.config["PORTAL_TIMEZONE"])
    day = datetime.now(timezone.utc).astimezone(tz).date() + timedelta(days=3)
    with live_app.app_context():
        station = db.session.scalars(db.select(Station).order_by(Station.id)).first()
        service = station.services[0]
        starts_at = local_to_utc(day, time(6, 15), tz)  # a time no schedule makes, so the slot is ours alone
        slot = Slot(
            service_id=service.id,
            day=day,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=30),
            capacity=PLACES,
        )
        db.session.add(slot)
        db.session.commit()
        ids = {"station": station.id, "service": service.id, "slot": slot.id}
        residents = [r.id for r in make_residents(PEOPLE)]
    # Each in its own request context (and app context), so each gets its own CSRF token.
    sessions = [
        signed_in_resident_session(live_app, rid, ids["station"], ids["service"], day, ids["slot"]) for rid in residents
    ]
    opener = urllib.request.build_opener(NoRedirect)
    gate = threading.Barrier(PEOPLE)

    def press_book(index):
        cookie, token = sessions[index]
        request = urllib.request.Request(
            f"{live.url}/health/book/confirm",
            data=urllib.parse.urlencode({"csrf_token": token}).encode(),
            headers={"Cookie": f"session={cookie}", "Content-Type": "application/x-www-form-urlencoded"},
        )
        gate.wait(timeout=60)
        try:
            response = opener.open(request, timeout=60)
            return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode(), answer.headers.get("Location", "")

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        answers = list(pool.map(press_book, range(PEOPLE)))

    statuses = Counter(status for status, _body, _location in answers)
    assert statuses == {303: PLACES, 200: PEOPLE - PLACES}, statuses
    assert all(location.startswith("/health/bookings/") for status, _b, location in answers if status == 303)
    refused = [body for status, body, _location in answers if status == 200]
    assert all("已经约满了，请选其他时间" in body for body in refused)
    assert all('class="error-summary"' in body and "06:15" in body for body in refused)  # choices kept
    with live_app.app_context():
        assert db.session.get(Slot, ids["slot"]).booked == PLACES
        assert (
            db.session.scalar(db.select(db.func.count()).select_from(Booking).filter_by(slot_id=ids["slot"])) == PLACES
        )
