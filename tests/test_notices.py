"""Notices (通知公告): who may post where, what is current and in which order, the language a reader sees,
links without HTML, one read per resident (also when opened at the same moment), and the pages."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from markupsafe import Markup

from portal.extensions import db
from portal.models import AuditEvent, Community, Grid, Notice, NoticeRead, Resident, notice_grids
from portal.services import permissions
from portal.services.cards import card_token
from portal.services.clock import today_local, utcnow
from portal.services.notice_text import paragraphs_html
from portal.services.notices import (
    NoticeDraft,
    NoticeRefused,
    count_read,
    current_query,
    notice_text,
    post_notice,
    read_counts,
)
from portal.services.posters import active_grid_poster

from tests.support.factories import account, grid_resident
from tests.support.flows import main_text, start_assisting
from tests.support.signin import Auth

ORIGIN = {"channel": "online", "entered_by_id": None, "kiosk_id": None}


def grid(number, community="南湖社区"):
    community_id = db.session.scalars(db.select(Community.id).filter_by(name=community)).one()
    return db.session.scalars(db.select(Grid).filter_by(community_id=community_id, number=number)).one()


def draft(title="停电通知", days=(0, 7), grids=(), whole=False, important=False, **more):
    today = today_local()
    return NoticeDraft(
        title=title,
        body="明天停电。",
        starts_on=today + timedelta(days=days[0]),
        ends_on=today + timedelta(days=days[1]),
        important=important,
        whole_community=whole,
        grids=list(grids),
        **more,
    )


def post(username, community_grid, **kwargs):
    return post_notice(
        db.session, account=account(username), community=community_grid.community, draft=draft(**kwargs), now=utcnow()
    )


# -- who may post where -----------------------------------------------------------------------------
def test_staff_post_in_their_own_community_only(app):
    with app.app_context():
        staff, g1, other = account("staff"), grid(1), grid(1, "月河社区")
        assert permissions.can_post_to_community(staff, g1.community_id)
        assert not permissions.can_post_to_community(staff, other.community_id)
        assert post("staff", g1, whole=True).whole_community
        with pytest.raises(NoticeRefused):
            post("staff", other, grids=[other])
        with pytest.raises(NoticeRefused):
            post("staff", other, whole=True)


def test_grid_workers_post_to_their_own_grids_only(app):
    with app.app_context():
        worker, g1, g3 = account("gridworker"), grid(1), grid(3)
        assert permissions.can_post_to_grid(worker, g1) and not permissions.can_post_to_grid(worker, g3)
        assert [g.number for g in post("gridworker", g1, grids=[g1, grid(2)]).grids] == [1, 2]
        for refused in ({"grids": [g3]}, {"grids": [g1, g3]}, {"whole": True}, {"grids": []}):
            with pytest.raises(NoticeRefused):
                post("gridworker", g1, **refused)
        # ... and may change a notice only when every grid it is for is theirs.
        assert not permissions.can_manage_notice(worker, post("staff", g1, grids=[g1, g3]))
        assert not permissions.can_manage_notice(account("volunteer"), post("staff", g1, grids=[g1]))


# -- what is current, in which order ---------------------------------------------------------------
def test_current_notices_important_first_then_newest_and_only_for_their_grids(app):
    with app.app_context():
        db.session.execute(db.delete(notice_grids))
        db.session.execute(db.delete(Notice))
        g1, g3 = grid(1), grid(3)
        old = post("staff", g1, title="old", days=(-5, 5), grids=[g1])
        new = post("staff", g1, title="new", days=(-1, 5), whole=True)
        important = post("staff", g1, title="important", days=(-9, 5), grids=[g1], important=True)
        post("staff", g1, title="ended", days=(-9, -1), whole=True)
        post("staff", g1, title="not yet", days=(1, 5), whole=True)
        withdrawn = post("staff", g1, title="withdrawn", days=(-1, 5), whole=True)
        withdrawn.withdrawn_at = utcnow()
        post("admin", grid(1, "月河社区"), title="other community", days=(-1, 5), whole=True)
        db.session.flush()
        today = today_local()
        shown = db.session.scalars(current_query(today, community_id=g1.community_id, grid_id=g1.id)).all()
        assert [n.title for n in shown] == [important.title, new.title, old.title]
        assert [
            n.title for n in db.session.scalars(current_query(today, community_id=g3.community_id, grid_id=g3.id))
        ] == ["new"]
        # The last day is still current; the day after, it is gone.
        last_day = db.session.scalars(
            current_query(today + timedelta(days=5), community_id=g1.community_id, grid_id=g1.id)
        )
        assert len(last_day.all()) == 4  # and "not yet" has started
        assert (
            db.session.scalars(
                current_query(today + timedelta(days=6), community_id=g1.community_id, grid_id=g1.id)
            ).all()
            == []
        )


def test_a_notice_shows_in_the_readers_language_when_it_has_one_and_as_written_otherwise(app):
    with app.app_context():
        g1 = grid(1)
        both = post("staff", g1, grids=[g1], title_other="Power cut", body_other="No power tomorrow.")
        assert notice_text(both, "en") == ("Power cut", "No power tomorrow.", "en")
        assert notice_text(both, "zh") == ("停电通知", "明天停电。", "zh")
        only = post("staff", g1, grids=[g1])
        assert notice_text(only, "en") == ("停电通知", "明天停电。", "zh")
        # A translation with a title but no text is not kept: readers would see half of it.
        half = post("staff", g1, grids=[g1], title_other="Power cut")
        assert notice_text(half, "en")[0] == "停电通知"
        english = post("staff", g1, grids=[g1], language="en", title_other="中文标题", body_other="中文正文")
        assert notice_text(english, "zh")[0] == "中文标题" and notice_text(english, "en")[0] == "停电通知"


def test_paragraphs_links_and_no_html(app):
    body = 'Line one\nline two\n\n<script>alert(1)</script> see https://example.cn/a?b=1&c="x" or http://x.cn/p.\n\n\n'
    html = paragraphs_html(body)
    assert isinstance(html, Markup)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<p>") == 2 and "Line one<br>\nline two" in html
    assert '<a href="https://example.cn/a?b=1&amp;c=" rel="nofollow noopener">' in html
    assert '<a href="http://x.cn/p" rel="nofollow noopener">http://x.cn/p</a>.' in html
    assert '"javascript' not in paragraphs_html("javascript:alert(1) <a href=javascript:x>")
    assert "<a " not in paragraphs_html("javascript:alert(1) <a href=javascript:x>")
    # Chinese punctuation ends an address.
    assert '<a href="https://linli.cn/health" rel="nofollow noopener">https://linli.cn/health</a>。' in paragraphs_html(
        "请预约：https://linli.cn/health。"
    )


# -- reads -----------------------------------------------------------------------------------------
def test_a_read_is_counted_once_even_when_opened_at_the_same_moment(app):
    with app.app_context():
        g1 = grid(1)
        notice_id = post("staff", g1, grids=[g1]).id
        residents = db.session.scalars(db.select(Resident.id).where(Resident.grid_id == g1.id).limit(4)).all()
        db.session.commit()
    opens = [resident for resident in residents for _ in range(5)]  # each resident opens it 5 times at once
    gate = threading.Barrier(len(opens))

    def open_notice(resident_id):
        with app.app_context():
            try:
                gate.wait(timeout=60)
                counted = count_read(
                    db.session, notice_id=notice_id, resident_id=resident_id, origin=ORIGIN, now=utcnow()
                )
                db.session.commit()
                return counted
            except Exception as error:  # noqa: BLE001  (the race must raise nothing at all)
                return f"error: {error!r}"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(opens)) as pool:
        results = list(pool.map(open_notice, opens))
    assert [r for r in results if isinstance(r, str)] == []
    assert results.count(True) == len(residents)
    with app.app_context():
        assert read_counts(db.session, [notice_id]) == {notice_id: len(residents)}
        rows = db.session.scalars(db.select(NoticeRead.resident_id).filter_by(notice_id=notice_id)).all()
        assert sorted(rows) == sorted(residents)


# -- pages -----------------------------------------------------------------------------------------
def demo_notice(app, title):
    with app.app_context():
        return db.session.scalars(db.select(Notice.id).filter_by(title=title)).one()


def test_the_grid_page_is_public_with_the_work_phone_and_nothing_personal(app, client):
    html = client.get("/grids/1").get_data(as_text=True)
    text = main_text(html)
    assert "李网格员" in text and "057382012345" in text
    assert "重要" in text and "12月5日上午停水通知" in text and "1幢楼道灯更换" in text
    assert "国庆假期值班安排" not in text  # ended
    assert "近期活动" in text and "免费书法班（邻居王老师教）" in text  # the activities open to grid 1
    with app.app_context():
        residents = db.session.scalars(db.select(Resident).filter_by(grid_id=1)).all()
    for resident in residents:
        assert resident.name not in text, text[max(0, text.find(resident.name) - 300) :][:400]
        assert (resident.phone or "\0") not in text and resident.number not in text
    assert "发布通知" not in text and "居民名单" not in text
    # The grid page and the grid's join page lead to each other.
    with app.app_context():
        code = active_grid_poster(db.session, 1).code
    assert f'href="/j/{code}"' in text
    assert 'href="/grids/1"' in client.get(f"/join/{code}").get_data(as_text=True)
    # Grid 3 does not get grid 1's notice, and says when nothing is there.
    assert "1幢楼道灯更换" not in client.get("/grids/3").get_data(as_text=True)


def test_staff_set_the_work_phone_and_it_is_audited(app, client, auth):
    auth.login("staff")
    client.get("/grids/1/work-phone")
    with app.app_context():
        worker_id = account("gridworker").id
    key = f"phone-{worker_id}"
    for bad in ("12", "abc", "1" * 40, "0573\x008201", "x" * 5000):
        response = client.submit("/grids/1/work-phone", {key: bad})
        assert response.status_code == 200 and "请填写工作电话" in response.get_data(as_text=True)
    response = client.submit("/grids/1/work-phone", {key: "０５７３-８２０１ ９９９９"})
    assert response.status_code == 303
    assert "057382019999" in client.get("/grids/1").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(AuditEvent).filter_by(action="grid.work_phone")).one().actor_id
    auth.login("gridworker")
    assert client.get("/grids/1/work-phone").status_code == 403


FORM = {
    "title": "周六义诊",
    "body": "周六上午在社区中心义诊。\n\n详见 https://linli.example.cn/health/",
    "language": "zh",
    "title_other": "",
    "body_other": "",
    "starts_on": "2026-11-25",
    "ends_on": "2026-11-30",
    "audience": "grids",
    "grids": ["1"],
}


@pytest.mark.parametrize(
    "change, field_message",
    [
        ({"title": ""}, "请填写标题"),
        ({"title": "x" * 500}, "太长"),
        ({"body": "a\x00b"}, "特殊字符"),
        ({"starts_on": "２０２６-１１-２５"}, "请填写通知开始显示的日期"),
        ({"starts_on": "9999-01-01"}, "请填写通知开始显示的日期"),
        ({"starts_on": "2029-01-01", "ends_on": "2029-01-02"}, "一年以内"),
        ({"ends_on": "2026-11-01"}, "不能早于开始日期"),
        ({"starts_on": "2026-01-01", "ends_on": "2026-11-01"}, "不能是过去"),
        ({"ends_on": "2027-12-30"}, "最多显示一年"),
        ({"grids": []}, "请至少选择一个网格"),
        ({"grids": ["3"]}, "请至少选择一个网格"),  # not one of the grid worker's
        ({"audience": "community"}, "请选择通知发给谁"),  # grid workers post to grids only
        ({"title_other": "Clinic"}, "另一种语言的正文"),
        ({"language": "fr"}, "请选择通知所用的语言"),
    ],
)
def test_the_notice_form_explains_each_problem_and_keeps_what_was_typed(client, auth, change, field_message):
    auth.login("gridworker")
    client.get("/notices/new?grid=1")
    response = client.submit("/notices/new?grid=1", {**FORM, **change})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html or "出现问题" in html or "error-summary" in html
    assert field_message in html
    assert "周六上午在社区中心义诊" in html or change.get("body")


def test_post_read_count_edit_and_withdraw_a_notice(app, client, auth):
    auth.login("gridworker")
    client.get("/notices/new?grid=1")
    response = client.submit("/notices/new?grid=1", FORM)
    assert response.status_code == 303
    url = response.headers["Location"].split("?")[0]
    page = client.get(url).get_data(as_text=True)
    assert "周六义诊" in page and '<a href="https://linli.example.cn/health/"' in page
    assert "0 位居民已打开" in page or "已有 0 位居民打开过这条通知" in page
    # Two identified residents open it, one of them twice: counted 2.
    with app.app_context():
        tokens = [
            card_token(r, app.config["SECRET_KEY"])
            for r in db.session.scalars(db.select(Resident).filter_by(grid_id=1).order_by(Resident.id).limit(2))
        ]
    for token, times in zip(tokens, (2, 1), strict=True):
        resident = app.test_client()
        resident.get("/identify")
        assert resident.submit("/identify", {"token": token}).status_code == 303
        for _ in range(times):
            assert "周六义诊" in resident.get(url).get_data(as_text=True)
        assert "居民打开过" not in resident.get(url).get_data(as_text=True)  # residents do not see the count
    assert "已有 2 位居民打开过这条通知" in client.get(url).get_data(as_text=True)
    assert "2 位居民已打开" in client.get("/grids/1/notices").get_data(as_text=True)
    # Edit, then withdraw: the address is gone and the audit log has all three.
    edit = client.submit(url + "/edit", {**FORM, "title": "周日义诊", "important": "yes"})
    assert edit.status_code == 303
    assert "周日义诊" in client.get("/grids/1").get_data(as_text=True)
    assert client.submit(url + "/withdraw", {}).status_code == 303
    assert client.get(url).status_code == 404
    assert "周日义诊" not in client.get("/grids/1").get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.action.like("notice.%"))).all()
    assert sorted(actions) == ["notice.edit", "notice.post", "notice.withdraw"]
    audit = Auth(client)
    audit.login("staff")
    log = client.get("/audit").get_data(as_text=True)
    assert "发布了一条通知" in log and "撤回了一条通知" in log


def test_an_ended_notice_keeps_its_address_and_says_when_it_ended(app, client):
    notice_id = demo_notice(app, "国庆假期值班安排")
    response = client.get(f"/notices/{notice_id}")
    assert response.status_code == 200
    assert "这条通知已于" in response.get_data(as_text=True) and "结束" in response.get_data(as_text=True)
    assert "国庆假期值班安排" not in client.get("/grids/1/notices").get_data(as_text=True)


def test_english_readers_see_the_translation_or_the_notice_as_written(app, client):
    clinic, water = demo_notice(app, "冬季义诊：免费量血压、测血糖"), demo_notice(app, "12月5日上午停水通知")
    client.get("/?lang=en")
    assert "Free winter clinic" in client.get(f"/notices/{clinic}").get_data(as_text=True)
    html = client.get(f"/notices/{water}").get_data(as_text=True)
    assert '<span lang="zh-CN">12月5日上午停水通知</span>' in html and "Important" in html


def test_notices_lead_the_identified_resident_to_their_grid_and_others_to_identify(app, client):
    assert "告诉我们您是谁" in client.get("/notices").get_data(as_text=True)
    with app.app_context():
        resident = grid_resident(2)
        token, grid_id = card_token(resident, app.config["SECRET_KEY"]), resident.grid_id
    client.get("/identify")
    client.submit("/identify", {"token": token})
    assert client.get("/notices").headers["Location"] == f"/grids/{grid_id}/notices"
    assert client.get("/my/grid").headers["Location"] == f"/grids/{grid_id}"


def test_a_withdrawn_notice_is_not_found(app, client):
    notice_id = demo_notice(app, "1幢楼道灯更换")
    with app.app_context():
        db.session.get(Notice, notice_id).withdrawn_at = utcnow()
        db.session.commit()
    assert client.get(f"/notices/{notice_id}").status_code == 404
    assert client.get(f"/notices/{notice_id}/print").status_code == 404


def test_the_tables_come_from_migration_0017(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert [d for d in differences if "notice" in repr(d) or "work_phone" in repr(d)] == []


def test_a_notice_opened_with_a_helper_counts_for_the_resident_and_says_who_helped(app, client, auth):
    notice = demo_notice(app, "1幢楼道灯更换")
    with app.app_context():
        resident = grid_resident(1)
        number, resident_id, volunteer_id = resident.number, resident.id, account("volunteer").id
    auth.login("volunteer")
    client.get("/me")
    start_assisting(client, number)
    assert client.get(f"/notices/{notice}").status_code == 200
    with app.app_context():
        read = db.session.scalars(db.select(NoticeRead).filter_by(notice_id=notice)).one()
        assert (read.resident_id, read.channel, read.entered_by_id) == (resident_id, "volunteer", volunteer_id)
