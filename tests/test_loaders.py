"""Every loader in portal/auth/loaders.py, asked by 南湖社区's accounts (and an identified 南湖 resident)
for an object of the other demo community, 月河社区: always 404, exactly like an object that does not
exist, so no page confirms that it exists. The same address with 南湖's own object works."""

import inspect
from datetime import date, timedelta

import pytest

from portal.auth import loaders
from portal.extensions import db
from portal.models import (
    Account,
    Booking,
    Closure,
    DataRequest,
    Kiosk,
    Notice,
    Request,
    Resident,
    Service,
    Station,
    utcnow,
)
from portal.services.activities import sign_up
from portal.services.cards import card_token
from portal.services.posters import active_grid_poster
from portal.services.staff_calls import raise_call
from portal.services.topics import propose_topic

from tests.support.activities import make_activity
from tests.support.health import NOW

# loader -> (visitor, method, address with {…} of the object in question)
THROUGH = {
    "community_or_404": ("staff", "GET", "/communities/{community}/posters"),
    "grid_or_404": ("staff", "GET", "/grids/{grid}/residents"),
    "station_or_404": ("nurse", "GET", "/health/roster/{station}"),
    "service_or_404": ("staff", "GET", "/health/manage/services/{service}/edit"),
    "schedule_or_404": ("staff", "POST", "/health/manage/schedules/{schedule}/delete"),
    "closure_or_404": ("staff", "POST", "/health/manage/closures/{closure}/delete"),
    "kiosk_or_404": ("staff", "GET", "/admin/kiosks/{kiosk}"),
    "poster_or_404": ("staff", "GET", "/posters/{poster}"),
    "resident_or_404": ("volunteer", "GET", "/assist/residents/{number}"),
    "request_or_404": ("staff", "GET", "/requests/{ticket}"),
    "booking_or_404": ("resident", "GET", "/health/bookings/{booking}"),
    "own_booking_or_404": ("resident", "GET", "/health/my/{booking}/cancel"),
    "station_booking_or_404": ("nurse", "GET", "/health/roster/{own_station}/bookings/{booking}/cancel"),
    "grid_booking_or_404": ("gridworker", "POST", "/health/calls/{booking}"),
    "staff_call_or_404": ("staff", "POST", "/admin/kiosks/calls/{call}/coming"),
    "data_request_or_404": ("staff", "GET", "/data-requests/{ask}"),
    "managed_activity_or_404": ("staff", "GET", "/activities/manage/{activity}"),
    "signup_or_404": ("resident", "GET", "/activities/tickets/{signup}"),
    "own_signup_or_404": ("resident", "GET", "/activities/my/{signup}/cancel"),
    "activity_signup_or_404": ("staff", "GET", "/activities/manage/{own_activity}/signups/{signup}/remove"),
    "grid_signup_or_404": ("gridworker", "POST", "/activities/calls/{signup}"),
    "managed_notice_or_404": ("gridworker", "GET", "/notices/{notice}/edit"),
    # Topics and meetings (议事会): anyone reads a topic, but a hidden one only its community's staff.
    "topic_or_404": ("staff", "GET", "/topics/{hidden_topic}"),
    "managed_topic_or_404": ("staff", "GET", "/topics/{topic}/edit"),
    # Votes (网络微投票): a poll's staff page and its paper ballots, only its community's staff.
    "managed_poll_or_404": ("staff", "GET", "/polls/manage/{poll}/paper"),
    # Volunteer register (活地图): a volunteer's contact and a call-out, for the staff of their community.
    "volunteer_or_404": ("staff", "POST", "/volunteers/{volunteer}/contact"),
    "callout_or_404": ("staff", "GET", "/volunteers/callouts/{callout}"),
    # Mutual aid (邻里互助): anyone reads a post, but a hidden one only the staff who look after it.
    "aid_post_or_404": ("staff", "GET", "/aid/{hidden_aid_post}"),
    "managed_aid_post_or_404": ("staff", "GET", "/aid/{aid_post}/moderate"),
    "aid_match_or_404": ("staff", "GET", "/aid/matches/{aid_match}/confirm"),
    "aid_call_or_404": ("staff", "POST", "/aid/calls/{aid_call}/done"),
}
# The resident's own only: the same address with another resident's object of their community is 404 too.
OWN_ONLY = {"own_booking_or_404", "booking_or_404", "own_signup_or_404", "signup_or_404"}
# Loaders that only find (no scope of their own): things that belong to no community, and notices, which
# anyone may read (tests/test_notices.py: a withdrawn one is not found).
UNSCOPED = {"found", "load_or_404", "notice_or_404", "record_kind_or_404"}
UNSCOPED |= {"poll_or_404"}  # votes (网络微投票): what a poll asks is public, like a notice


def objects_of(app, community_id: int) -> dict:
    with app.app_context():
        station = db.session.scalars(db.select(Station).filter_by(community_id=community_id)).first()
        service = db.session.scalars(db.select(Service).filter_by(station_id=station.id)).first()
        closure = Closure(station_id=station.id, start_date=date(2099, 1, 1), end_date=date(2099, 1, 1), reason="x")
        kiosk = Kiosk(name=f"kiosk {community_id}", location="", community_id=community_id)
        db.session.add_all([closure, kiosk])
        db.session.commit()
        call, _made = raise_call(db.session, kiosk, utcnow())
        db.session.commit()
        grid = station.community.grids[0]
        today = utcnow().date()
        notice = Notice(
            community_id=community_id, author_id=1, title="t", body="b", starts_on=today, ends_on=today, grids=[grid]
        )
        db.session.add(notice)
        db.session.commit()
        resident = db.session.scalars(db.select(Resident).filter_by(grid_id=grid.id).order_by(Resident.id)).first()
        booking = db.session.scalars(
            db.select(Booking)
            .join(Resident, Booking.resident_id == Resident.id)
            .where(
                Booking.service_id.in_([s.id for s in station.services]),
                Booking.status == "booked",
                Resident.grid_id == grid.id,
            )
        ).first()
        ticket = db.session.scalars(db.select(Request.ticket).filter_by(community_id=community_id)).first()
        ask = DataRequest(resident_id=resident.id, community_id=community_id, kind="removal")
        db.session.add(ask)
        db.session.commit()
        activity = make_activity(community_id=community_id)
        signup = sign_up(db.session, activity_id=activity.id, resident=booking.resident, now=NOW, announce=False)
        topics = topics_of(community_id, grid.id)
        polls = polls_of(community_id)
        volunteers = volunteers_of(community_id, resident)  # volunteer register (活地图)
        aid = aid_of(grid.id)  # mutual aid (邻里互助)
        return {
            **topics,
            **polls,
            **volunteers,
            **aid,
            "activity": activity.id,
            "signup": signup.code,
            "community": community_id,
            "notice": notice.id,
            "grid": grid.id,
            "station": station.id,
            "service": service.id,
            "schedule": service.schedules[0].id,
            "closure": closure.id,
            "kiosk": kiosk.id,
            "call": call.id,
            "poster": active_grid_poster(db.session, grid.id).code,
            "number": resident.number,
            "ticket": ticket,
            "booking": booking.reference,
            "booker": booking.resident_id,
            "ask": ask.id,
        }


def topics_of(community_id: int, grid_id: int) -> dict:
    """Topics and meetings (议事会): an open topic of the grid and a hidden one."""
    staff = db.session.scalars(db.select(Account).filter_by(community_id=community_id, role="staff")).first()
    origin = {"channel": "staff", "entered_by_id": None, "kiosk_id": None}
    made = {}
    for key in ("topic", "hidden_topic"):
        made[key] = propose_topic(db.session, community_id=community_id, grid_id=grid_id, title=key, body="b",
                                  origin=origin, now=NOW, staff=staff)  # fmt: skip
    made["hidden_topic"].state = "hidden"
    db.session.commit()
    return {key: topic.id for key, topic in made.items()}


def polls_of(community_id: int) -> dict:
    """Votes (网络微投票): an open poll of the community."""
    from portal.services.polls import create_poll

    staff = db.session.scalars(db.select(Account).filter_by(username="admin")).one()
    poll = create_poll(db.session, community_id=community_id, question="q", options=["a", "b"], multiple=False,
                       opens_at=NOW, closes_at=NOW + timedelta(days=1), whole_community=True, grids=[],
                       results_before_close=False, actor=staff, now=NOW)  # fmt: skip
    return {"poll": poll.id}


def volunteers_of(community_id: int, resident) -> dict:
    """Volunteer register (活地图): the resident on the register, and a call-out to their grid."""
    from portal.services.volunteers import call_out, entry_of, register_volunteer

    entry = entry_of(db.session, resident=resident) or register_volunteer(
        db.session, resident=resident, building=resident.building, skills=1, availability=1, now=NOW,
        origin={"channel": "online", "entered_by_id": None, "kiosk_id": None},
    )  # fmt: skip
    admin = db.session.scalars(db.select(Account).filter_by(username="admin")).one()
    callout = call_out(db.session, grid=resident.grid, message="m", skill="", slot=None, actor=admin, now=NOW,
                       link_for=lambda token: token, secret="s")  # fmt: skip
    return {"volunteer": entry.id, "callout": callout.id}


def aid_of(grid_id: int) -> dict:
    """Mutual aid (邻里互助): an open post of the grid with an answer, a hidden post, and a call to make."""
    from portal.models import AidCall
    from portal.services.aid import post_aid, propose_match

    poster, neighbour = db.session.scalars(
        db.select(Resident).filter_by(grid_id=grid_id).order_by(Resident.id.desc()).limit(2)
    ).all()
    origin = {"channel": "online", "entered_by_id": None, "kiosk_id": None}
    made = {
        key: post_aid(
            db.session,
            resident=poster,
            kind="need",
            category="other",
            text=key,
            whole_community=False,
            origin=origin,
            now=NOW,
        )  # fmt: skip
        for key in ("aid_post", "hidden_aid_post")
    }
    match = propose_match(db.session, post_id=made["aid_post"].id, resident=neighbour, origin=origin, now=NOW)
    made["hidden_aid_post"].state = "hidden"
    call = AidCall(grid_id=grid_id, resident_id=poster.id, post_id=made["aid_post"].id, reason="matched", text="t")
    db.session.add(call)
    db.session.commit()
    return {**{key: post.id for key, post in made.items()}, "aid_match": match.id, "aid_call": call.id}


def become(app, client, auth, visitor, ids):
    if visitor == "resident":
        with app.app_context():
            # A 南湖 resident who is not the booker of the object asked for.
            resident = db.session.scalars(
                db.select(Resident)
                .where(Resident.community_id == 1, Resident.id != ids["booker"])
                .order_by(Resident.id)
            ).first()
            token = card_token(resident, app.config["SECRET_KEY"])
        client.get("/identify")
        assert client.submit("/identify", {"token": token}).status_code == 303
    else:
        assert auth.login(visitor).status_code == 303
        client.get("/me")  # a page with this session's CSRF token, for the posts


def test_every_loader_is_tried():
    defined = {
        name for name, fn in inspect.getmembers(loaders, inspect.isfunction) if fn.__module__ == loaders.__name__
    }
    assert defined - UNSCOPED == set(THROUGH), "add each new loader to THROUGH with an address that uses it"


@pytest.mark.parametrize("loader", sorted(THROUGH))
def test_the_other_communitys_object_is_not_found(app, client, auth, loader):
    visitor, method, address = THROUGH[loader]
    other, own = objects_of(app, 2), objects_of(app, 1)
    become(app, client, auth, visitor, own)
    url = address.format(own_station=own["station"], own_activity=own["activity"], **other)
    response = client.submit(url, {"done": "1"}) if method == "POST" else client.get(url)
    assert response.status_code == 404, f"{method} {url} as {visitor}"
    if loader not in OWN_ONLY:
        url = address.format(own_station=own["station"], own_activity=own["activity"], **own)
        response = client.submit(url, {"done": "1"}) if method == "POST" else client.get(url)
        assert response.status_code in (200, 303), f"{method} {url} as {visitor}: {response.status_code}"
