"""Sessions at a kiosk in Debian's Chromium: after Start again on a booking slip, Back lands on a clean
address, and the kiosk's old session cookie, put into another browser, opens nothing."""

import re
from datetime import time

import pytest
import time_machine

from portal.extensions import db
from portal.models import Kiosk, Resident
from portal.services.booking import book_slot
from portal.services.cards import card_token
from portal.services.kiosks import issue_activation_code

from tests.support.browser import KIOSK
from tests.support.health import NOW, TOMORROW, TZ, make_slot, make_station

pytestmark = pytest.mark.browser
HOME = re.compile(r"^[^?]*/kiosk(\?.*)?$")
MINE = re.compile(r"^[^?]*/health/my$")


@pytest.fixture
def slip(live):
    """Under a clock set to NOW: a resident of the demo kiosk's community, their booking tomorrow, and
    a fresh activation code for the demo kiosk."""
    with time_machine.travel(NOW, tick=True), live.app.app_context():
        resident = db.session.scalars(
            db.select(Resident).where(Resident.community_id == 1, Resident.phone.is_not(None)).order_by(Resident.id)
        ).first()
        station = make_station()
        slot = make_slot(station.services[0], TOMORROW, time(10))
        reference = book_slot(db.session, slot_id=slot.id, resident=resident, now=NOW, tz=TZ).reference
        code = issue_activation_code(db.session, db.session.scalars(db.select(Kiosk).order_by(Kiosk.id)).first())
        db.session.commit()
        token = card_token(resident, live.app.config["SECRET_KEY"])
        yield {"reference": reference, "code": code, "token": token}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_back_after_start_again_on_a_slip_lands_on_a_clean_address(live, context_factory, slip, javascript):
    context = context_factory(viewport=KIOSK, javascript=javascript)
    page = context.new_page()
    page.goto(f"{live.url}/kiosk/activate")
    page.fill("#code", slip["code"])
    page.locator("main button[type=submit]").click()
    page.wait_for_url(HOME)
    page.goto(f"{live.url}/kiosk/identify?next=/health/my")
    page.fill("#token", slip["token"])
    page.get_by_role("button", name="用居民卡继续").click()
    page.wait_for_url(MINE)
    page.goto(f"{live.url}/health/bookings/{slip['reference']}")
    assert page.url.endswith(f"/health/bookings/{slip['reference']}")
    old_cookie = next(c for c in context.cookies() if c["name"] == "session")
    page.get_by_role("button", name="重新开始").click()
    page.wait_for_url(HOME)
    page.go_back()
    page.wait_for_load_state()
    assert page.url.endswith("/kiosk/identify")
    assert slip["reference"] not in page.url and slip["reference"] not in page.content()
    # The previous person's session cookie, in another browser, shows none of their appointments.
    other = context_factory()
    other.add_cookies([{k: old_cookie[k] for k in ("name", "value", "domain", "path")}])
    elsewhere = other.new_page()
    elsewhere.goto(f"{live.url}/health/my")
    assert "/identify" in elsewhere.url and slip["reference"] not in elsewhere.content()
