"""The pause after five failed tries holds per phone and per card on every path: web, kiosk, helper."""

from portal.extensions import db
from portal.models import AuditEvent
from portal.seed import DEMO_PASSWORD

from tests.support.identity import sent_codes, wrong_code

PHONE = "/kiosk/identify/phone"
YEAR = "/kiosk/identify/year"


def forged(token: str, n: int) -> str:
    """The same resident number with a signature that is not right."""
    head, signature = token.rsplit("-", 1)
    return f"{head}-{'ABCDEFGHIJKLMNOP'[n] * 16 if signature[0] != 'ABCDEFGHIJKLMNOP'[n] else 'Q' * 16}"


def test_wrong_codes_on_the_web_pause_the_phone_at_the_kiosk_too(app, kiosk, senior):
    web = app.test_client()
    web.get("/identify")
    web.submit(
        "/identify",
        {"phone": senior["phone"], "birth_year": senior["birth_year"]},
        environ_overrides={"REMOTE_ADDR": "198.51.100.20"},
    )
    [code] = sent_codes(app, senior["phone"])
    for n in range(5):
        web.submit("/identify/code", {"code": wrong_code(code)}, environ_overrides={"REMOTE_ADDR": f"198.51.100.{n}"})
    # At the kiosk the right phone and year are refused for now, in plain words, with what to do instead.
    kiosk.submit(PHONE, {"phone": senior["phone"], "key": "next"})
    html = kiosk.submit(YEAR, {"birth_year": senior["birth_year"], "key": "next"}).get_data(as_text=True)
    assert "这个手机号码试了太多次，暂停15分钟" in html and "使用居民卡" in html
    with kiosk.session_transaction() as sess:
        assert "resident_identity" not in sess
    # The card still works: it is another way in, not the paused phone.
    assert kiosk.submit("/kiosk/identify", {"token": senior["token"]}).status_code == 303


def test_five_forged_cards_for_one_resident_pause_that_card_everywhere(app, kiosk, senior):
    auth_client = app.test_client()
    auth_client.get("/login")
    auth_client.submit("/login", {"username": "volunteer", "password": DEMO_PASSWORD})
    auth_client.get("/assist")
    for n in range(3):
        html = auth_client.submit("/assist/card", {"token": forged(senior["token"], n)}).get_data(as_text=True)
        assert "卡片编码不对" in html
    for n in range(3, 5):
        kiosk.submit("/kiosk/identify", {"token": forged(senior["token"], n)})
    # The real card is refused for 15 minutes, on the web too, and says what to do instead.
    web = app.test_client()
    web.get("/identify")
    html = web.submit("/identify", {"token": senior["token"], "how": "card"}).get_data(as_text=True)
    assert "这张卡试了太多次，暂停15分钟" in html and "使用手机号码" in html
    with app.app_context():
        failed = db.session.scalars(db.select(AuditEvent).filter_by(action="resident.identify_failed")).all()
        assert len(failed) == 5 and {e.channel for e in failed} == {"volunteer", "kiosk"}
        assert all("reason=token_tampered" in e.detail for e in failed)
