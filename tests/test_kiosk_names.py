"""A kiosk's name in both languages, like other place names: the kiosk bar shows it in the page's language
with the word "kiosk" translated (自助机), staff give both names when registering, the demo has both."""

import re

from portal.extensions import db
from portal.kiosk.seed import seed_kiosks
from portal.models import Kiosk

from tests.support.kiosk import DEMO_KIOSK, activate

PLACE = re.compile(r'<span class="kiosk-place">([^<]*)</span>')


def kiosk_place(html: str) -> str:
    return PLACE.search(html).group(1).strip()


def test_the_kiosk_bar_names_the_kiosk_in_the_pages_language(kiosk):
    assert kiosk_place(kiosk.get("/kiosk").get_data(as_text=True)) == "南湖社区服务中心自助机"
    assert kiosk_place(kiosk.get("/kiosk?lang=en").get_data(as_text=True)) == "Nanhu Community Centre kiosk"
    assert kiosk_place(kiosk.get("/kiosk/join?lang=zh").get_data(as_text=True)) == "南湖社区服务中心自助机"


def test_staff_register_a_kiosk_with_both_names(app, client, auth):
    auth.login("staff")
    html = client.get("/admin/kiosks/new").get_data(as_text=True)
    assert 'name="name_en"' in html and "英文名称（选填）" in html
    too_long = client.submit("/admin/kiosks/new", {"name": "健康站门口", "name_en": "x" * 121, "community": "1"})
    html = too_long.get_data(as_text=True)
    assert too_long.status_code == 200 and "英文名称请不要超过120个字符" in html and 'value="健康站门口"' in html
    response = client.submit(
        "/admin/kiosks/new", {"name": "健康站门口", "name_en": "Health station door", "location": "", "community": "1"}
    )
    assert response.status_code == 303
    detail = client.get(response.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert "<h1>Health station door</h1>" in detail and "健康站门口" in detail
    with app.app_context():
        device = db.session.scalars(db.select(Kiosk).filter_by(name="健康站门口")).one()
        assert device.name_en == "Health station door"
    # The code was shown once already; make a new one to set up the screen.
    client.submit(f"/admin/kiosks/{device.id}/code")
    code = re.search(
        r"K\d+-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", client.get(f"/admin/kiosks/{device.id}").get_data(as_text=True)
    ).group(0)
    screen = app.test_client()
    assert activate(screen, code).status_code == 303
    assert kiosk_place(screen.get("/kiosk?lang=en").get_data(as_text=True)) == "Health station door kiosk"
    assert kiosk_place(screen.get("/kiosk?lang=zh").get_data(as_text=True)) == "健康站门口自助机"


def test_a_kiosk_without_an_english_name_shows_its_chinese_name(app, kiosk):
    with app.app_context():
        db.session.scalars(db.select(Kiosk).filter_by(name=DEMO_KIOSK)).one().name_en = ""
        db.session.commit()
    assert kiosk_place(kiosk.get("/kiosk?lang=en").get_data(as_text=True)) == "南湖社区服务中心 kiosk"


def test_seeding_again_renames_the_earlier_one_language_demo_kiosk(app):
    with app.app_context():
        demo = db.session.scalars(db.select(Kiosk).filter_by(name=DEMO_KIOSK)).one()
        demo.name, demo.name_en = "南湖社区服务中心 kiosk", ""  # as earlier demo data left it
        db.session.commit()
        seed_kiosks()
        seed_kiosks()
        kiosks = db.session.scalars(db.select(Kiosk).where(Kiosk.community_id == demo.community_id)).all()
        assert [(k.id, k.name, k.name_en) for k in kiosks] == [(demo.id, "南湖社区服务中心", "Nanhu Community Centre")]
