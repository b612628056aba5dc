"""The audit log at phone width: its wide table scrolls sideways inside a region that the keyboard reaches."""

import pytest

from portal.extensions import db
from portal.models import Account, Resident
from portal.services.audit import record_event

from tests.support.browser import PHONE, sign_in
from tests.support.browser_checks import axe_violations, has_horizontal_scroll

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang, name", [("zh", "操作记录，最新的在前"), ("en", "Audit log entries, newest first")])
def test_the_audit_table_scrolls_by_keyboard_at_phone_width(live, live_app, context_factory, lang, name):
    with live_app.app_context():
        volunteer = db.session.scalars(db.select(Account).filter_by(username="volunteer")).one()
        resident = db.session.scalars(db.select(Resident).filter_by(community_id=volunteer.community_id)).first()
        for action in ("assist.start", "request.file", "assist.end"):
            record_event(
                db.session,
                action,
                actor=volunteer,
                resident=resident,
                channel="volunteer",
                reason="Report a broken stair light",
                detail="identity=card; consent=given",
            )
        db.session.commit()
    page = context_factory(viewport=PHONE).new_page()
    sign_in(page, live.url, "staff")
    page.goto(f"{live.url}/audit?lang={lang}")
    region = page.locator(".table-wrap")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "the table fits: nothing to check"
    assert not has_horizontal_scroll(page)  # the page itself does not scroll, only the table
    assert axe_violations(page) == []
    assert region.get_attribute("role") == "region" and name in page.locator("#audit-caption").inner_text()
    for _press in range(40):  # Tab through the page until the table region has focus
        page.keyboard.press("Tab")
        if region.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reaches the audit table")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.table-wrap').scrollLeft > 0")
