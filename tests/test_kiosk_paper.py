"""The paper a kiosk's printer takes: set on the kiosk's admin page, audited, refused in plain words when
unknown; slips printed at that kiosk follow it, and every other browser (staff desks) stays on A4."""

import pytest

from portal.extensions import db
from portal.models import Kiosk

from tests.support.kiosk import activate, demo_kiosk_id, new_code
from tests.support.records import audit_events
from tests.support.signin import sign_in


def paper_of(app):
    with app.app_context():
        return db.session.get(Kiosk, demo_kiosk_id(app)).paper


@pytest.mark.parametrize("paper", ["roll80", "roll58", "a5", "a4"])
def test_staff_set_the_paper_on_the_kiosks_page(app, client, auth, paper):
    sign_in(auth, "staff")
    kiosk_id = demo_kiosk_id(app)
    page = client.get(f"/admin/kiosks/{kiosk_id}").get_data(as_text=True)
    assert "打印纸" in page and 'value="roll58"' in page and "58 毫米" in page
    response = client.submit(f"/admin/kiosks/{kiosk_id}/paper", {"paper": paper})
    assert response.status_code == 303
    assert paper_of(app) == paper
    assert "已保存" in client.get(response.headers["Location"]).get_data(as_text=True)
    changes = audit_events(app, "kiosk.paper")
    assert [e["detail"] for e in changes] == ([] if paper == "a4" else [f"kiosk {kiosk_id}; paper={paper}"])


@pytest.mark.parametrize("odd", ["", "a3", "roll80 ", "\x00", "x" * 500])
def test_an_unknown_paper_is_refused_in_plain_words(app, client, auth, odd):
    sign_in(auth, "staff")
    response = client.submit(f"/admin/kiosks/{demo_kiosk_id(app)}/paper", {"paper": odd})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "error-summary" in html and "请选择这台自助机的打印机用的纸" in html
    assert paper_of(app) == "a4"


def test_slips_at_the_kiosk_follow_its_paper_and_staff_desks_keep_a4(app, client, auth):
    with app.app_context():
        db.session.get(Kiosk, demo_kiosk_id(app)).paper = "roll80"
        db.session.commit()
    assert activate(client, new_code(app)).status_code == 303
    assert 'class="page paper-roll80"' in client.get("/kiosk").get_data(as_text=True)
    desk = app.test_client()
    assert 'class="page paper-a4"' in desk.get("/health/").get_data(as_text=True)
