"""Topics and meetings (议事会): the rules in services/topics.py (one support per resident, withdrawing,
who may support, closing and hiding, edits kept), and the pages over HTTP in both languages: proposing,
supporting with JavaScript off (plain forms and redirects), a helper's support in words in the audit log,
staff edits shown on the topic, a meeting posted through the activity form with the topic chosen, the
outcome and the meeting's attendance for everyone, My information and removal."""

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import Activity, AuditEvent, Resident, Topic, TopicEdit, TopicSupport, topic_meetings
from portal.services.cards import card_token
from portal.services.clock import now_utc
from portal.services.topics import (
    TopicRefused,
    attendance,
    edit_topic,
    moderate_topic,
    propose_topic,
    support_topic,
    topics_query,
    withdraw_support,
)
from portal.topics.seed import DECIDED_TITLE, MEETING_TITLE, OPEN_TITLE

from tests.support.factories import account
from tests.support.flows import main_text, start_assisting
from tests.support.signin import sign_in

ORIGIN = {"channel": "online", "entered_by_id": None, "kiosk_id": None}


def demo_topic(title) -> Topic:
    return db.session.scalars(db.select(Topic).where(Topic.title == title)).one()


def residents_of(grid_id, how_many=3):
    return db.session.scalars(
        db.select(Resident).where(Resident.grid_id == grid_id).order_by(Resident.id.desc()).limit(how_many)
    ).all()


@pytest.fixture
def topics(app):
    """The demo's two topics, and a resident of grid 1 who supports neither (with their card token)."""
    with app.app_context():
        opened, decided = demo_topic(OPEN_TITLE), demo_topic(DECIDED_TITLE)
        supporting = set(db.session.scalars(db.select(TopicSupport.resident_id)))
        free = db.session.scalars(
            db.select(Resident).where(Resident.grid_id == 1, Resident.id.not_in(supporting)).order_by(Resident.id)
        ).all()
        return {
            "open": opened.id,
            "decided": decided.id,
            "free": [(r.id, r.number, r.name, card_token(r, app.config["SECRET_KEY"])) for r in free],
        }


def identify(client, token):
    client.get("/identify")
    assert client.submit("/identify", {"token": token}).status_code == 303


# -- services -----------------------------------------------------------------------------------
def test_one_support_per_resident_withdraw_and_support_again(app, topics):
    with app.app_context():
        resident = db.session.get(Resident, topics["free"][0][0])
        before = db.session.get(Topic, topics["open"]).supports
        support_topic(db.session, topic_id=topics["open"], resident=resident, origin=ORIGIN, now=now_utc())
        with pytest.raises(TopicRefused) as twice:
            support_topic(db.session, topic_id=topics["open"], resident=resident, origin=ORIGIN, now=now_utc())
        assert twice.value.reason == "duplicate"
        assert db.session.get(Topic, topics["open"]).supports == before + 1
        withdraw_support(db.session, topic_id=topics["open"], resident=resident, origin=ORIGIN, now=now_utc())
        db.session.expire_all()
        assert db.session.get(Topic, topics["open"]).supports == before
        with pytest.raises(TopicRefused) as nothing:
            withdraw_support(db.session, topic_id=topics["open"], resident=resident, origin=ORIGIN, now=now_utc())
        assert nothing.value.reason == "not_supported"
        support_topic(db.session, topic_id=topics["open"], resident=resident, origin=ORIGIN, now=now_utc())
        db.session.expire_all()
        assert db.session.get(Topic, topics["open"]).supports == before + 1
        rows = db.session.scalars(
            db.select(TopicSupport).where(
                TopicSupport.topic_id == topics["open"], TopicSupport.resident_id == resident.id
            )
        ).all()
        assert len(rows) == 2 and sum(r.withdrawn_at is None for r in rows) == 1


def test_a_grid_topic_is_for_that_grid_and_a_decided_one_takes_no_support(app, topics):
    with app.app_context():
        other_grid = db.session.scalars(
            db.select(Resident).where(Resident.community_id == 1, Resident.grid_id != 1).order_by(Resident.id)
        ).first()
        with pytest.raises(TopicRefused) as elsewhere:
            support_topic(db.session, topic_id=topics["open"], resident=other_grid, origin=ORIGIN, now=now_utc())
        assert elsewhere.value.reason == "not_for_you"
        with pytest.raises(TopicRefused) as decided:
            support_topic(db.session, topic_id=topics["decided"], resident=other_grid, origin=ORIGIN, now=now_utc())
        assert decided.value.reason == "not_open"
        outsider = db.session.scalars(db.select(Resident).where(Resident.community_id != 1)).first()
        with pytest.raises(TopicRefused):
            support_topic(db.session, topic_id=topics["decided"], resident=outsider, origin=ORIGIN, now=now_utc())


def test_the_list_is_ordered_by_support_and_hides_hidden_topics(app, topics):
    with app.app_context():
        staff = account("staff")
        low = propose_topic(db.session, community_id=1, grid_id=1, title="少人支持", body="x", origin=ORIGIN,
                            now=now_utc(), staff=staff)  # fmt: skip
        listed = [t.title for t in db.session.scalars(topics_query(1, 1)).unique()]
        assert listed.index(DECIDED_TITLE) < listed.index(OPEN_TITLE) < listed.index("少人支持")
        moderate_topic(db.session, low, action="hide", reason="重复", actor=staff, now=now_utc())
        assert "少人支持" not in [t.title for t in db.session.scalars(topics_query(1, 1)).unique()]
        assert "少人支持" in [t.title for t in db.session.scalars(topics_query(1, 1, with_hidden=True)).unique()]
        events = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.action.like("topic.%"))).all()
        assert "topic.propose" in events and "topic.hide" in events


def test_staff_edits_are_kept_with_before_and_after(app, topics):
    with app.app_context():
        topic = db.session.get(Topic, topics["open"])
        old_title = topic.title
        change = edit_topic(db.session, topic, title="3号楼门口放两张长椅", body=topic.body, editor=account("staff"),
                            now=now_utc())  # fmt: skip
        assert change.title_before == old_title and change.title_after == "3号楼门口放两张长椅"
        assert edit_topic(db.session, topic, title=topic.title, body=topic.body, editor=account("staff"),
                          now=now_utc()) is None  # fmt: skip
        assert db.session.scalar(db.select(db.func.count()).select_from(TopicEdit)) == 1


def test_attendance_is_the_count_kept_at_closing(app, topics):
    with app.app_context():
        meeting = db.session.scalars(db.select(Activity).where(Activity.title == MEETING_TITLE)).one()
        assert meeting.state == "closed" and attendance(db.session, [meeting]) == {meeting.id: 4}


# -- pages --------------------------------------------------------------------------------------
def test_anyone_reads_the_topics_in_both_languages_with_masked_names(app, client, topics):
    with app.app_context():
        proposer = demo_topic(OPEN_TITLE).resident.name
    chinese = main_text(client.get("/topics?grid=1&lang=zh").get_data(as_text=True))
    assert OPEN_TITLE in chinese and DECIDED_TITLE in chinese and "议事" in chinese
    english = main_text(client.get("/topics?grid=1&lang=en").get_data(as_text=True))
    assert "Topics for the neighbours' meeting" in english and "2 supports" in english
    assert proposer not in english and proposer[0] + "*" in english
    page = main_text(client.get(f"/topics/{topics['decided']}?lang=en").get_data(as_text=True))
    assert "Outcome" in page and "六点半" in page and "4 people came" in page and MEETING_TITLE in page
    zh_page = main_text(client.get(f"/topics/{topics['decided']}?lang=zh").get_data(as_text=True))
    assert "六点半" in zh_page and "4" in zh_page and "Outcome" not in zh_page
    assert client.get("/topics/999999").status_code == 404
    # The activity's page lists its topics.
    with app.app_context():
        meeting_id = db.session.scalar(db.select(Activity.id).where(Activity.title == MEETING_TITLE))
    assert DECIDED_TITLE in client.get(f"/activities/{meeting_id}").get_data(as_text=True)
    # And the grid's page shows its open topics.
    assert OPEN_TITLE in client.get("/grids/1").get_data(as_text=True)


def test_a_resident_supports_and_withdraws_with_plain_forms(client, topics):
    _rid, _number, _name, token = topics["free"][0]
    page = client.get(f"/topics/{topics['open']}?lang=en").get_data(as_text=True)
    assert "Support this topic" in page
    # Not yet identified: the support page asks who they are first, then comes back.
    asked = client.get(f"/topics/{topics['open']}/support")
    assert asked.status_code == 303 and "/identify" in asked.headers["Location"]
    identify(client, token)
    confirm = client.get(f"/topics/{topics['open']}/support?lang=en").get_data(as_text=True)
    assert "Yes, I support it" in confirm
    done = client.submit(f"/topics/{topics['open']}/support")
    assert done.status_code == 303
    shown = main_text(client.get(done.headers["Location"] + "&lang=en").get_data(as_text=True))
    assert (
        "Your support is counted" in shown and "3 residents support it" in shown and "You support this topic" in shown
    )
    # A second tap changes nothing.
    assert client.submit(f"/topics/{topics['open']}/support").status_code == 303
    assert "3 residents support it" in main_text(client.get(f"/topics/{topics['open']}").get_data(as_text=True))
    assert client.submit(f"/topics/{topics['open']}/withdraw").status_code == 303
    after = main_text(client.get(f"/topics/{topics['open']}?lang=en").get_data(as_text=True))
    assert "2 residents support it" in after and "Support this topic" in after


def test_a_resident_proposes_a_topic_and_bad_input_is_explained(client, topics):
    _rid, _number, name, token = topics["free"][1]
    identify(client, token)
    bad = client.submit("/topics/new?lang=en", {"title": "", "body": "x\x00", "where": "nowhere"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "error-summary" in page
    assert "Enter the topic in a few words" in page and "Choose who the topic is for" in page
    done = client.submit(
        "/topics/new", {"title": "垃圾桶挪远一点", "body": "太近了，夏天有味道。", "where": "community"}
    )
    assert done.status_code == 303
    topic_page = main_text(client.get(done.headers["Location"] + "&lang=en").get_data(as_text=True))
    assert "垃圾桶挪远一点" in topic_page and "Everyone in" in topic_page
    assert name not in topic_page


def test_a_helper_supports_for_a_resident_and_the_audit_log_says_so_in_words(app, client, auth, topics):
    _rid, number, _name, _token = topics["free"][2]
    sign_in(auth, "volunteer")
    # Outside an assisted session a volunteer is sent to "Help a resident" first.
    assert "/assist" in client.get(f"/topics/{topics['open']}/support").headers["Location"]
    assert start_assisting(client, number, reason="他不会用手机").status_code == 303
    assert client.submit(f"/topics/{topics['open']}/support").status_code == 303
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "topic.support")).one()
        assert event.reason == "他不会用手机" and event.channel == "volunteer"
        support = db.session.scalars(db.select(TopicSupport).where(TopicSupport.channel == "volunteer")).one()
        assert support.entered_by_id == account("volunteer").id
    auth.logout()
    sign_in(auth, "staff")
    audit = main_text(client.get("/audit?lang=en").get_data(as_text=True))
    assert "Supported a topic" in audit and "他不会用手机" in audit


def test_staff_edit_close_and_hide_and_everyone_sees_the_edit(app, client, auth, topics):
    sign_in(auth, "staff")
    url = f"/topics/{topics['open']}"
    with app.app_context():
        body = db.session.get(Topic, topics["open"]).body
    assert client.submit(f"{url}/edit", {"title": "3号楼门口放两张长椅", "body": body}).status_code == 303
    staff_view = main_text(client.get(url + "?lang=en").get_data(as_text=True))
    assert "Before" in staff_view and OPEN_TITLE in staff_view
    refused = client.submit(f"{url}/moderate?lang=en", {"action": "close", "reason": ""})
    assert refused.status_code == 200 and "Say why" in refused.get_data(as_text=True)
    assert client.submit(f"{url}/moderate", {"action": "close", "reason": "已经安排施工"}).status_code == 303
    auth.logout()
    public = main_text(client.get(url + "?lang=en").get_data(as_text=True))
    assert "Edited by staff for clarity" in public and "已经安排施工" in public and "Closed" in public
    assert OPEN_TITLE not in public  # the words before the edit are for staff only
    sign_in(auth, "staff")
    assert client.submit(f"{url}/moderate", {"action": "hide", "reason": "写了别人的电话"}).status_code == 303
    auth.logout()
    assert client.get(url).status_code == 404
    assert "3号楼门口放两张长椅" not in client.get("/topics?grid=1").get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.action.like("topic.%"))).all()
        assert {"topic.edit", "topic.close", "topic.hide"} <= set(actions)


def test_a_meeting_is_posted_through_the_activity_form_and_the_outcome_is_recorded(app, client, auth, topics):
    sign_in(auth, "staff")
    form_page = client.get(f"/activities/manage/new?topic={topics['open']}&lang=en").get_data(as_text=True)
    assert "Topics of this neighbours' meeting" in form_page and 'value="%d" checked' % topics["open"] in form_page
    day = (now_utc() + timedelta(days=7)).date().isoformat()
    made = client.submit(
        "/activities/manage/new",
        {"title": "议事会：长椅", "place": "社区服务中心", "day": day, "start": "19:00", "end": "20:00",
         "capacity": "30", "held_back": "0", "waiting_list": "1", "helpers": "1", "who": "community",
         "topic": str(topics["open"]), "topics": str(topics["open"])},
    )  # fmt: skip
    assert made.status_code == 303
    with app.app_context():
        linked = (
            db.session.execute(
                db.select(topic_meetings.c.activity_id).where(topic_meetings.c.topic_id == topics["open"])
            )
            .scalars()
            .all()
        )
        assert len(linked) == 1 and db.session.get(Activity, linked[0]).title == "议事会：长椅"
    page = main_text(client.get(f"/topics/{topics['open']}?lang=en").get_data(as_text=True))
    assert "议事会：长椅" in page and "Coming up" in page
    assert OPEN_TITLE in client.get(f"/activities/{linked[0]}").get_data(as_text=True)
    empty = client.submit(f"/topics/{topics['open']}/outcome?lang=en", {"outcome": " "})
    assert empty.status_code == 200 and "Write what was decided" in empty.get_data(as_text=True)
    assert client.submit(f"/topics/{topics['open']}/outcome", {"outcome": "下个月放两张长椅。"}).status_code == 303
    auth.logout()
    public = main_text(client.get(f"/topics/{topics['open']}?lang=en").get_data(as_text=True))
    assert "下个月放两张长椅" in public and "Decided" in public


def test_a_grid_worker_manages_only_their_own_grids_topics(app, client, auth, topics):
    sign_in(auth, "gridworker")
    assert client.get(f"/topics/{topics['decided']}/edit").status_code == 404  # the whole community's: staff
    with app.app_context():
        mine = {g.id for g in account("gridworker").grids}
    expected = 200 if 1 in mine else 404
    assert client.get(f"/topics/{topics['open']}/edit").status_code == expected


def test_removal_withdraws_supports_and_keeps_topics_with_no_name(app, topics):
    from portal.services.clock import portal_zone
    from portal.services.removal import remove_resident

    with app.app_context():
        topic = db.session.get(Topic, topics["open"])
        proposer, before = topic.resident, topic.supports
        supporter = db.session.scalars(
            db.select(Resident)
            .join(TopicSupport, TopicSupport.resident_id == Resident.id)
            .where(TopicSupport.topic_id == topic.id, Resident.id != proposer.id)
        ).first()
        remove_resident(db.session, supporter, actor=account("staff"), now=now_utc(), tz=portal_zone(),
                        photo_folder=None)  # fmt: skip
        remove_resident(db.session, db.session.get(Resident, proposer.id), actor=account("staff"), now=now_utc(),
                        tz=portal_zone(), photo_folder=None)  # fmt: skip
        topic = db.session.get(Topic, topics["open"])
        assert topic.supports == before - 1 and topic.resident_id is None and topic.title == OPEN_TITLE


def test_my_information_lists_my_topics_and_supports(app, client, topics):
    _rid, _number, _name, token = topics["free"][3]
    identify(client, token)
    client.submit(f"/topics/{topics['open']}/support")
    page = main_text(client.get("/my-information?lang=en").get_data(as_text=True))
    assert "Topics you supported" in page and OPEN_TITLE in page and "Topics you suggested" in page


def test_the_statistics_count_topics_and_supports_by_channel(app, client, auth):
    sign_in(auth, "staff")
    page = main_text(client.get("/communities/1/stats?period=this_year&lang=en").get_data(as_text=True))
    assert "Topics proposed and decided" in page and "How residents supported topics" in page


def test_odd_input_never_gives_a_server_error(client, auth, topics):
    sign_in(auth, "staff")
    for url, data in [
        ("/topics/new", {"title": "\u202e\x00" * 3, "body": "a" * 5000, "where": "-1"}),
        (f"/topics/{topics['open']}/moderate", {"action": "explode", "reason": "\x00"}),
        (f"/topics/{topics['open']}/meeting", {"activity": "99999999999999999999"}),
        (f"/topics/{topics['open']}/outcome", {"outcome": "x" * 3000}),
    ]:
        assert client.submit(url, data).status_code == 200, url
    assert client.get("/topics?grid=abc&community=-5&page=x").status_code == 200


def test_the_tables_come_from_migration_0021(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert [d for d in differences if "topic" in repr(d)] == []


def test_the_neighbours_hub_leads_to_the_topics(client):
    hub = client.get("/neighbours?lang=en").get_data(as_text=True)
    assert "Topics and meetings" in hub and 'href="/topics"' in hub
    assert "议事会" in client.get("/neighbours?lang=zh").get_data(as_text=True)


def test_the_retention_sweep_keeps_an_old_settled_topic_without_its_proposer(app, topics):
    from portal.services.retention import DEFAULT_DAYS, sweep

    with app.app_context():
        topic = db.session.get(Topic, topics["decided"])
        topic.resident_id = topics["free"][0][0]
        opened = db.session.get(Topic, topics["open"])
        db.session.commit()
        done = sweep(db.session, now=now_utc() + timedelta(days=DEFAULT_DAYS + 30))
        assert done["topics"] == 1
        db.session.expire_all()
        assert db.session.get(Topic, topics["decided"]).resident_id is None
        assert db.session.get(Topic, topics["decided"]).outcome != ""
        assert db.session.get(Topic, topics["open"]).resident_id == opened.resident_id  # still open: kept


def test_a_grid_worker_helping_a_resident_supports_for_them(app, client, auth, topics):
    _rid, number, _name, _token = topics["free"][1]
    sign_in(auth, "gridworker")
    assert start_assisting(client, number, reason="上门帮忙").status_code == 303
    page = main_text(client.get(f"/topics/{topics['open']}?lang=en").get_data(as_text=True))
    assert "Support this topic" in page
    assert client.submit(f"/topics/{topics['open']}/support").status_code == 303
    with app.app_context():
        support = db.session.scalars(db.select(TopicSupport).where(TopicSupport.resident_id == _rid)).one()
        assert support.channel == "gridworker" and support.entered_by_id == account("gridworker").id
