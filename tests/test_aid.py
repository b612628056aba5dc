"""Mutual aid (邻里互助): the rules in services/aid.py (one answer per post and resident, only neighbours of
the grid, confirming tells both sides by text or the call list, done, close, report, moderation), and the
pages over HTTP in both languages with JavaScript off: posting one question per page, "I can help", the
grid worker's queue, a helper posting for a resident in words in the audit log, and the statistics."""

import pytest

from portal.aid.seed import DONE_OFFER, MATCHED_NEED, OPEN_NEED, OPEN_OFFER
from portal.extensions import db
from portal.models import AidCall, AidMatch, AidPost, AuditEvent, OutboxMessage, Resident
from portal.services.aid import (
    AidRefused,
    confirm_match,
    decline_match,
    mark_done,
    moderate_post,
    propose_match,
    report_post,
)
from portal.services.cards import card_token
from portal.services.clock import now_utc

from tests.support.factories import account
from tests.support.flows import HTMX, main_text, post_aid_through_the_steps, start_assisting
from tests.support.signin import sign_in

ORIGIN = {"channel": "online", "entered_by_id": None, "kiosk_id": None}


def demo_post(text) -> AidPost:
    return db.session.scalars(db.select(AidPost).where(AidPost.text == text)).one()


@pytest.fixture
def aid(app):
    """The demo's posts, and residents of grid 1 who have nothing to do with them (with card tokens)."""
    with app.app_context():
        involved = set(db.session.scalars(db.select(AidPost.resident_id))) | set(
            db.session.scalars(db.select(AidMatch.resident_id))
        )
        free = db.session.scalars(
            db.select(Resident).where(Resident.grid_id == 1, Resident.id.not_in(involved)).order_by(Resident.id)
        ).all()
        other_grid = db.session.scalars(
            db.select(Resident).where(Resident.community_id == 1, Resident.grid_id != 1).order_by(Resident.id)
        ).first()
        return {
            "need": demo_post(OPEN_NEED).id,
            "offer": demo_post(OPEN_OFFER).id,
            "matched": demo_post(MATCHED_NEED).id,
            "done": demo_post(DONE_OFFER).id,
            "free": [(r.id, r.number, r.name, card_token(r, app.config["SECRET_KEY"])) for r in free],
            "other_grid": other_grid.id,
        }


def identify(client, token):
    client.get("/identify")
    assert client.submit("/identify", {"token": token}).status_code == 303


def resident(rid) -> Resident:
    return db.session.get(Resident, rid)


# -- services -----------------------------------------------------------------------------------
def test_one_answer_per_post_and_resident_and_only_for_neighbours(app, aid):
    with app.app_context():
        me = resident(aid["free"][0][0])
        propose_match(db.session, post_id=aid["need"], resident=me, origin=ORIGIN, now=now_utc())
        with pytest.raises(AidRefused) as twice:
            propose_match(db.session, post_id=aid["need"], resident=me, origin=ORIGIN, now=now_utc())
        assert twice.value.reason == "duplicate"
        with pytest.raises(AidRefused) as elsewhere:
            propose_match(db.session, post_id=aid["need"], resident=resident(aid["other_grid"]), origin=ORIGIN,
                          now=now_utc())  # fmt: skip
        assert elsewhere.value.reason == "not_for_you"
        # The offer is for the whole community: a resident of another grid may answer it.
        propose_match(db.session, post_id=aid["offer"], resident=resident(aid["other_grid"]), origin=ORIGIN,
                      now=now_utc())  # fmt: skip
        poster = demo_post(OPEN_NEED).resident
        with pytest.raises(AidRefused) as own:
            propose_match(db.session, post_id=aid["need"], resident=poster, origin=ORIGIN, now=now_utc())
        assert own.value.reason == "own_post"
        with pytest.raises(AidRefused) as matched:
            propose_match(db.session, post_id=aid["matched"], resident=me, origin=ORIGIN, now=now_utc())
        assert matched.value.reason == "not_open"
        assert db.session.scalar(db.select(db.func.count()).where(AidMatch.resident_id == me.id)) == 1


def test_confirming_tells_both_sides_by_text_or_the_call_list(app, aid):
    with app.app_context():
        post = demo_post(OPEN_NEED)
        match = db.session.scalars(db.select(AidMatch).where(AidMatch.post_id == post.id)).one()
        post.resident.phone = None  # the poster has no mobile: the grid worker tells them
        match.resident.phone = "13900001234"
        db.session.commit()
        confirm_match(db.session, match, agreed="周四十点送药上门", actor=account("gridworker"), now=now_utc())
        db.session.expire_all()
        assert db.session.get(AidPost, post.id).state == "matched"
        text = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "aid.matched")).one()
        assert text.recipient == "13900001234" and "周四十点送药上门" in text.text
        call = db.session.scalars(db.select(AidCall)).one()
        assert call.resident_id == post.resident_id and call.reason == "matched" and "周四十点送药上门" in call.text
        with pytest.raises(AidRefused) as again:
            confirm_match(db.session, match, agreed="x", actor=account("gridworker"), now=now_utc())
        assert again.value.reason == "not_proposed"
        event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "aid.confirm")).one()
        assert event.reason == "周四十点送药上门" and "told=call+sms" in event.detail
        mark_done(db.session, db.session.get(AidPost, post.id), origin=ORIGIN, resident=post.resident,
                  now=now_utc())  # fmt: skip
        assert db.session.get(AidPost, post.id).state == "done"
        with pytest.raises(AidRefused):
            mark_done(db.session, db.session.get(AidPost, post.id), origin=ORIGIN, now=now_utc())


def test_decline_reports_and_moderation_are_audited(app, aid):
    with app.app_context():
        worker = account("gridworker")
        match = db.session.scalars(db.select(AidMatch).where(AidMatch.post_id == aid["need"])).one()
        decline_match(db.session, match, why="对方住得太远", actor=worker, now=now_utc())
        assert db.session.get(AidMatch, match.id).state == "declined"
        post = db.session.get(AidPost, aid["offer"])
        report_post(db.session, post, resident=resident(aid["free"][0][0]), why="像是在卖东西", origin=ORIGIN,
                    now=now_utc())  # fmt: skip
        with pytest.raises(AidRefused) as twice:
            report_post(db.session, post, resident=resident(aid["free"][0][0]), why="x", origin=ORIGIN,
                        now=now_utc())  # fmt: skip
        assert twice.value.reason == "reported"
        assert db.session.get(AidPost, aid["offer"]).open_reports == 1
        moderate_post(db.session, post, action="hide", why="核实中", actor=worker, now=now_utc())
        assert post.state == "hidden" and post.open_reports == 0
        moderate_post(db.session, post, action="restore", why="核实无误", actor=worker, now=now_utc())
        assert post.state == "open"
        actions = set(db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.action.like("aid.%"))))
        assert {"aid.decline", "aid.report", "aid.hide", "aid.restore"} <= actions


# -- pages --------------------------------------------------------------------------------------
def test_anyone_reads_the_posts_in_both_languages_with_masked_names(app, client, aid):
    with app.app_context():
        poster = demo_post(OPEN_NEED).resident
        from portal.services.place_names import place_name as place_name_in

        name, room, building = poster.name, poster.room, place_name_in(poster.building, "en")
    chinese = main_text(client.get("/aid?grid=1&lang=zh").get_data(as_text=True))
    assert OPEN_NEED in chinese and OPEN_OFFER in chinese and "邻里互助" in chinese
    assert DONE_OFFER not in chinese  # done posts leave the list
    english = main_text(client.get("/aid?grid=1&lang=en").get_data(as_text=True))
    assert "Mutual aid" in english and "Posted 2 days ago" in english and building in english
    assert name not in english and name[0] + "*" in english
    page = main_text(client.get(f"/aid/{aid['need']}?lang=en").get_data(as_text=True))
    assert OPEN_NEED in page and "I can help" in page and name not in page and room not in page
    assert "I would like this" in client.get(f"/aid/{aid['offer']}?lang=en").get_data(as_text=True)
    assert client.get("/aid/999999").status_code == 404
    grid_page = client.get("/grids/1?lang=en").get_data(as_text=True)
    assert OPEN_NEED in grid_page and "Mutual aid" in grid_page
    hub = client.get("/neighbours?lang=en").get_data(as_text=True)
    assert 'href="/aid"' in hub and "Mutual aid" in hub
    # htmx asking for the list alone gets the list alone (it was a server error: the block's macros
    # were imported outside it).
    fragment = client.get("/aid?grid=1&lang=en", headers=HTMX)
    assert fragment.status_code == 200
    listed = fragment.get_data(as_text=True)
    assert "<html" not in listed and OPEN_NEED in listed and name not in listed


def test_a_resident_posts_a_need_one_question_per_page_without_javascript(app, client, aid):
    _rid, _number, name, token = aid["free"][0]
    asked = client.get("/aid/new")
    assert asked.status_code == 303 and "/identify" in asked.headers["Location"]
    identify(client, token)
    assert client.get("/aid/new").headers["Location"] == "/aid/new/kind"
    bad = client.submit("/aid/new/kind?lang=en", {"kind": "sell"})
    assert bad.status_code == 200 and "Choose whether you need help or offer it" in bad.get_data(as_text=True)
    assert client.submit("/aid/new/kind", {"kind": "need"}).headers["Location"] == "/aid/new/category"
    assert client.submit("/aid/new/category", {"category": "errand"}).headers["Location"] == "/aid/new/text"
    empty = client.submit("/aid/new/text?lang=en", {"text": "  "})
    assert empty.status_code == 200 and "Say in a few words" in empty.get_data(as_text=True)
    assert client.submit("/aid/new/text", {"text": "帮我买点菜"}).headers["Location"] == "/aid/new/where"
    assert client.submit("/aid/new/where", {"where": "grid"}).headers["Location"] == "/aid/new/check"
    check = main_text(client.get("/aid/new/check?lang=en").get_data(as_text=True))
    assert "帮我买点菜" in check and "An errand" in check and name not in check
    done = client.submit("/aid/new/check")
    assert done.status_code == 303
    shown = main_text(client.get(done.headers["Location"] + "&lang=en").get_data(as_text=True))
    assert "Your post is up" in shown and "帮我买点菜" in shown and "Close my post" in shown
    with app.app_context():
        post = db.session.scalars(db.select(AidPost).where(AidPost.text == "帮我买点菜")).one()
        assert post.channel == "online" and not post.whole_community and post.state == "open"
    assert client.submit(f"/aid/{post.id}/close").status_code == 303
    with app.app_context():
        assert db.session.get(AidPost, post.id).state == "closed"


def test_i_can_help_goes_to_the_grid_workers_queue_who_confirms(app, client, auth, aid):
    _rid, _number, name, token = aid["free"][1]
    identify(client, token)
    confirm = client.get(f"/aid/{aid['need']}/respond?lang=en").get_data(as_text=True)
    assert "I can help?" in confirm
    assert client.submit(f"/aid/{aid['need']}/respond").status_code == 303
    again = main_text(client.get(f"/aid/{aid['need']}?lang=en").get_data(as_text=True))
    assert "You answered this post" in again
    twice = client.submit(f"/aid/{aid['need']}/respond?lang=en")
    assert twice.status_code == 200 and "already answered" in twice.get_data(as_text=True)
    sign_in(auth, "gridworker")
    queue = main_text(client.get("/aid/queue?lang=en").get_data(as_text=True))
    assert OPEN_NEED in queue and name[0] + "*" in queue and name not in queue
    with app.app_context():
        match = db.session.scalars(
            db.select(AidMatch).where(AidMatch.post_id == aid["need"], AidMatch.resident_id == _rid)
        ).one()
        phone = resident(_rid).phone
    page = main_text(client.get(f"/aid/matches/{match.id}/confirm?lang=en").get_data(as_text=True))
    assert name in page and (phone is None or phone in page)  # the grid worker phones them
    empty = client.submit(f"/aid/matches/{match.id}/confirm?lang=en", {"agreed": ""})
    assert empty.status_code == 200 and "Write what was agreed" in empty.get_data(as_text=True)
    assert client.submit(f"/aid/matches/{match.id}/confirm", {"agreed": "周四上午十点取药"}).status_code == 303
    with app.app_context():
        assert db.session.get(AidPost, aid["need"]).state == "matched"
        events = set(db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.action.like("aid.%"))))
        assert {"aid.propose", "aid.contact_view", "aid.confirm"} <= events
    assert client.submit(f"/aid/{aid['need']}/staff-done").status_code == 303
    with app.app_context():
        assert db.session.get(AidPost, aid["need"]).state == "done"


def test_a_helper_posts_for_a_resident_and_the_audit_log_says_so_in_words(app, client, auth, aid):
    _rid, number, _name, _token = aid["free"][2]
    sign_in(auth, "volunteer")
    assert "/assist" in client.get("/aid/new").headers["Location"]
    assert start_assisting(client, number, reason="她不会用手机").status_code == 303
    assert post_aid_through_the_steps(client, "offer", "item", "有一副拐杖可以借", "community").status_code == 303
    with app.app_context():
        post = db.session.scalars(db.select(AidPost).where(AidPost.text == "有一副拐杖可以借")).one()
        assert post.channel == "volunteer" and post.entered_by_id == account("volunteer").id
        assert post.resident_id == _rid and post.whole_community
        event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "aid.post")).one()
        assert event.reason == "她不会用手机" and event.resident_id == _rid
    auth.logout()
    sign_in(auth, "staff")
    audit = main_text(client.get("/audit?lang=en").get_data(as_text=True))
    assert "Posted a need or an offer for the neighbours" in audit and "她不会用手机" in audit


def test_a_grid_worker_sees_only_their_own_grids_posts(app, client, auth, aid):
    sign_in(auth, "gridworker")
    assert client.get(f"/aid/{aid['need']}/moderate").status_code == 200
    with app.app_context():
        other = db.session.scalars(db.select(Resident).where(Resident.community_id == 1, Resident.grid_id > 2)).first()
    if other is not None:
        with app.app_context():
            from portal.services.aid import post_aid

            far = post_aid(db.session, resident=db.session.get(Resident, other.id), kind="need", category="other",
                           text="远处的", whole_community=False, origin=ORIGIN, now=now_utc())  # fmt: skip
            far_id = far.id
        assert client.get(f"/aid/{far_id}/moderate").status_code == 404
        assert "远处的" not in client.get("/aid/queue").get_data(as_text=True)


def test_the_statistics_count_posts_matches_and_channels(app, client, auth):
    sign_in(auth, "staff")
    page = main_text(client.get("/communities/1/stats?period=this_year&lang=en").get_data(as_text=True))
    assert "Mutual aid" in page and "Posts matched" in page and "How residents posted needs and offers" in page


def test_odd_input_never_gives_a_server_error(client, auth, aid):
    identify(client, aid["free"][0][3])
    client.get("/aid/new")
    for url, data in [
        ("/aid/new/kind", {"kind": "\x00" * 3}),
        (f"/aid/{aid['offer']}/report", {"why": "\u202e" + "a" * 5000}),
    ]:
        assert client.submit(url, data).status_code == 200, url
    assert client.get("/aid?grid=abc&community=-5&page=x").status_code == 200
    assert client.get("/aid/new/nowhere").status_code == 404


def test_the_tables_come_from_migration_0022(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert [d for d in differences if "aid_" in repr(d)] == []


def test_removal_closes_their_posts_with_no_name_and_declines_their_answers(app, aid):
    from portal.services.clock import portal_zone
    from portal.services.removal import remove_resident

    with app.app_context():
        post = db.session.get(AidPost, aid["need"])
        poster_id = post.resident_id
        answerer = db.session.scalars(db.select(AidMatch).where(AidMatch.post_id == post.id)).one().resident
        remove_resident(db.session, answerer, actor=account("staff"), now=now_utc(), tz=portal_zone(),
                        photo_folder=None)  # fmt: skip
        assert db.session.scalars(db.select(AidMatch).where(AidMatch.post_id == post.id)).one().state == "declined"
        remove_resident(db.session, db.session.get(Resident, poster_id), actor=account("staff"), now=now_utc(),
                        tz=portal_zone(), photo_folder=None)  # fmt: skip
        db.session.expire_all()
        post = db.session.get(AidPost, aid["need"])
        assert post.resident_id is None and post.state == "closed" and post.text == OPEN_NEED


def test_the_retention_sweep_keeps_an_old_done_post_without_its_poster(app, aid):
    from datetime import timedelta

    from portal.services.retention import DEFAULT_DAYS, sweep

    with app.app_context():
        done = sweep(db.session, now=now_utc() + timedelta(days=DEFAULT_DAYS + 30))
        assert done["aid_posts"] == 1
        db.session.expire_all()
        assert db.session.get(AidPost, aid["done"]).resident_id is None
        assert db.session.get(AidPost, aid["need"]).resident_id is not None  # still open: kept


def test_my_information_lists_my_posts_and_answers(client, aid):
    identify(client, aid["free"][0][3])
    client.submit(f"/aid/{aid['offer']}/respond")
    page = main_text(client.get("/my-information?lang=en").get_data(as_text=True))
    assert "Neighbours' posts you answered" in page and OPEN_OFFER in page
