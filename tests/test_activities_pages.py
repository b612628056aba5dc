"""Activity pages over HTTP: reading, signing up (and joining the waiting list when it is full), the ticket,
My activities and cancelling, a helper's sign-up in words in the audit log, and the staff pages: posting,
the manage page, the desk, the door (ticket code and card), the sheet, removing, cancelling, the call list,
and the poster that counts scans and sign-ups. Odd input never gives a 500."""

import pytest

from portal.extensions import db
from portal.models import Activity, ActivitySignup, AuditEvent, Poster, Resident
from portal.services.cards import card_token

from tests.support.flows import main_text, start_assisting
from tests.support.signin import sign_in

FULL_TITLE = "免费书法班（邻居王老师教）"


@pytest.fixture
def demo_activities(app):
    with app.app_context():
        rows = db.session.scalars(db.select(Activity).where(Activity.community_id == 1).order_by(Activity.id)).all()
        taken = set(db.session.scalars(db.select(ActivitySignup.resident_id)))
        free = db.session.scalars(
            db.select(Resident)
            .where(Resident.community_id == 1, Resident.phone.is_not(None), Resident.id.not_in(taken))
            .order_by(Resident.id)
        ).all()
        return {
            "full": next(a.id for a in rows if a.title == FULL_TITLE),
            "roomy": next(a.id for a in rows if a.title != FULL_TITLE and a.whole_community),
            "free": [(r.id, r.number, card_token(r, app.config["SECRET_KEY"])) for r in free],
        }


def identify(client, token):
    client.get("/identify")
    assert client.submit("/identify", {"token": token}).status_code == 303


def test_anyone_reads_the_list_and_a_full_activity_offers_the_waiting_list(client, demo_activities):
    listing = main_text(client.get("/activities/").get_data(as_text=True))
    assert FULL_TITLE in listing and "书法" in listing
    page = main_text(client.get(f"/activities/{demo_activities['full']}?lang=en").get_data(as_text=True))
    assert "Full" in page and "Join the waiting list" in page
    assert client.get("/activities/999999").status_code == 404


def test_a_resident_signs_up_gets_a_ticket_and_cancels(client, demo_activities):
    rid, _number, token = demo_activities["free"][0]
    identify(client, token)
    url = f"/activities/{demo_activities['roomy']}/sign-up"
    assert "Yes, sign me up" in client.get(url + "?lang=en").get_data(as_text=True)
    done = client.submit(url, {"wait": "1"})
    assert done.status_code == 303 and "/activities/tickets/" in done.headers["Location"]
    ticket = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "You are signed up" in ticket and 'class="slip"' in ticket and "<svg" in ticket
    code = done.headers["Location"].split("/tickets/")[1].split("?")[0]
    # A second tap goes to the ticket, never a second sign-up.
    assert client.submit(url, {"wait": "1"}).status_code == 303
    mine = main_text(client.get("/activities/my").get_data(as_text=True))
    assert "Signed up" in mine
    assert client.submit(f"/activities/my/{code}/cancel").status_code == 303
    assert "Cancelled" in main_text(client.get("/activities/my").get_data(as_text=True))


def test_full_activity_puts_the_resident_on_the_waiting_list_with_their_position(client, demo_activities):
    _rid, _number, token = demo_activities["free"][1]
    identify(client, token)
    url = f"/activities/{demo_activities['full']}/sign-up?lang=en"
    page = main_text(client.get(url).get_data(as_text=True))
    assert "you would be number 3" in page
    done = client.submit(url, {"wait": "1"})
    ticket = main_text(client.get(done.headers["Location"]).get_data(as_text=True))
    assert "number 3 on the waiting list" in ticket


def test_a_helper_signs_up_for_a_resident_and_the_audit_log_says_so_in_words(app, client, auth, demo_activities):
    _rid, number, _token = demo_activities["free"][2]
    with app.app_context():
        grid_one = db.session.scalars(db.select(Resident).filter_by(number=number)).one().grid_id
    sign_in(auth, "volunteer" if grid_one else "gridworker")
    assert start_assisting(client, number, reason="她不会用手机").status_code == 303
    done = client.submit(f"/activities/{demo_activities['roomy']}/sign-up", {"wait": "1"})
    assert done.status_code == 303
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "activity.sign_up")).one()
        assert event.reason == "她不会用手机" and event.channel == "volunteer"
    auth.logout()
    sign_in(auth, "staff")
    audit = main_text(client.get("/audit?lang=en").get_data(as_text=True))
    assert "Signed up for a community activity" in audit


def test_staff_post_run_and_close_an_activity(app, client, auth, demo_activities, clock):
    sign_in(auth, "staff")
    form = {
        "title": "剪纸课", "description": "第一段\n\n第二段", "place": "活动室", "day": "2026-12-10",
        "start": "０９：３０", "end": "11:00", "capacity": "3", "held_back": "1", "waiting_list": "1",
        "helpers": "1", "who": "community",
    }  # fmt: skip
    bad = client.submit("/activities/manage/new", {**form, "end": "08:00", "capacity": "x\x00", "title": "a" * 500})
    assert bad.status_code == 200 and "error-summary" in bad.get_data(as_text=True)
    made = client.submit("/activities/manage/new", form)
    assert made.status_code == 303
    activity_id = int(made.headers["Location"].split("/manage/")[1].split("?")[0])
    # The desk signs up two residents by number; the held-back place is theirs to give.
    for _rid, number, _token in demo_activities["free"][3:6]:
        assert client.submit(f"/activities/manage/{activity_id}/desk", {"resident": number}).status_code == 303
    refused = client.submit(f"/activities/manage/{activity_id}/desk?lang=en", {"resident": "12345678"})
    assert refused.status_code == 200 and "No resident" in refused.get_data(as_text=True)
    with app.app_context():
        signups = db.session.scalars(db.select(ActivitySignup).filter_by(activity_id=activity_id)).all()
        assert [s.state for s in signups] == ["signed_up"] * 3 and all(s.channel == "staff" for s in signups)
        codes = [s.code for s in signups]
    # The door: a ticket code, then a card, then a tick on the sheet.
    door = f"/activities/manage/{activity_id}/door?lang=en"
    assert "is checked in" in client.submit(door, {"code": codes[0].lower()}).get_data(as_text=True)
    assert "already checked in" in client.submit(door, {"code": codes[0]}).get_data(as_text=True)
    card = demo_activities["free"][4][2]
    assert "is checked in" in client.submit(door, {"code": card}).get_data(as_text=True)
    assert client.submit(door, {"code": "\x00" * 3}).status_code == 200
    assert client.submit(f"/activities/manage/{activity_id}/signups/{codes[2]}/attended").status_code == 303
    sheet = client.get(f"/activities/manage/{activity_id}/sheet").get_data(as_text=True)
    assert sheet.count("<tr>") == 4 and "*" in sheet  # a header and three masked lines
    manage = client.get(f"/activities/manage/{activity_id}").get_data(as_text=True)
    assert "剪纸课" in manage
    assert client.submit(f"/activities/manage/{activity_id}/close").status_code == 303
    with app.app_context():  # not before it starts
        assert db.session.get(Activity, activity_id).state == "open"
    clock.shift(16 * 24 * 3600)  # 2026-12-11: the day after
    assert client.submit(f"/activities/manage/{activity_id}/close").status_code == 303
    with app.app_context():
        assert db.session.get(Activity, activity_id).attendance == 3


def test_staff_remove_and_cancel_tell_people(app, client, auth, demo_activities):
    sign_in(auth, "staff")
    full = demo_activities["full"]
    with app.app_context():
        first = db.session.scalars(
            db.select(ActivitySignup).filter_by(activity_id=full, state="signed_up").order_by(ActivitySignup.id)
        ).first()
        waiting = db.session.scalars(
            db.select(ActivitySignup).filter_by(activity_id=full, state="waiting").order_by(ActivitySignup.position)
        ).first()
        code, waiting_id = first.code, waiting.id
    assert client.get(f"/activities/manage/{full}/signups/{code}/remove").status_code == 200
    assert client.submit(f"/activities/manage/{full}/signups/{code}/remove", {"reason": "电话取消"}).status_code == 303
    with app.app_context():
        assert db.session.get(ActivitySignup, waiting_id).state == "signed_up"
    empty = client.submit(f"/activities/manage/{full}/cancel?lang=en", {"reason": ""})
    assert empty.status_code == 200 and "Say why" in empty.get_data(as_text=True)
    assert client.submit(f"/activities/manage/{full}/cancel", {"reason": "老师生病"}).status_code == 303
    page = main_text(client.get(f"/activities/{full}?lang=en").get_data(as_text=True))
    assert "Cancelled" in page and "老师生病" in page


def test_the_grid_worker_call_list_and_other_communities(app, client, auth, demo_activities):
    sign_in(auth, "gridworker")
    assert client.get("/activities/calls").status_code == 200
    assert client.get("/activities/manage").status_code == 200
    with app.app_context():
        # (Open to the whole community: the demo's neighbours' meeting, held last week, is for grid 1 only.)
        other = db.session.scalars(
            db.select(Activity).where(Activity.community_id == 1, Activity.whole_community.is_(True))
        ).first()
    # An activity open to the whole community is not a grid worker's to run.
    assert client.get(f"/activities/manage/{other.id}").status_code == 404


def test_the_activity_poster_counts_scans_and_sign_ups(app, client, auth, demo_activities):
    roomy = demo_activities["roomy"]
    with app.app_context():
        poster = db.session.scalars(db.select(Poster).filter_by(kind="activity", activity_id=roomy)).one()
        code, scans = poster.code, poster.scans
    scanned = client.get(f"/j/{code}")
    assert scanned.status_code == 303 and scanned.headers["Location"].endswith(f"/activities/{roomy}")
    identify(client, demo_activities["free"][6][2])
    assert client.submit(f"/activities/{roomy}/sign-up", {"wait": "1"}).status_code == 303
    with app.app_context():
        poster = db.session.get(Poster, poster.id)
        assert (poster.scans, poster.signups) == (scans + 1, 1)
    sign_in(auth, "staff")
    page = main_text(client.get(f"/activities/manage/{roomy}/poster?lang=en").get_data(as_text=True))
    assert "Sign-ups from this poster: 1" in page
    # The community's posters page counts them too.
    listed = client.get("/communities/1/posters?lang=en").get_data(as_text=True)
    assert "Activity posters" in listed and code in listed
