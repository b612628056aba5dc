"""Loaders in the flaskr style: fetch one object for the signed-in account, or abort.

Each one carries the scope check from services/permissions.py. An object outside the account's scope
(another community's, another grid's) is 404, exactly like one that does not exist, so a page never
confirms that it exists. A role that cannot do something at all is refused with 403 earlier, by
guards.require_role.
"""

import re

from flask import abort, g

from ..extensions import db
from ..identify import current_resident
from ..models import (
    Activity,
    ActivitySignup,
    AidCall,
    AidMatch,
    AidPost,
    Booking,
    CallOut,
    Closure,
    Community,
    DataRequest,
    Grid,
    Kiosk,
    Notice,
    Poll,
    Request,
    Resident,
    Service,
    StaffCall,
    Station,
    Topic,
    Volunteer,
    WeeklySchedule,
)
from ..services import permissions
from ..services.booking import normalise_reference
from ..services.posters import find_poster


def found(obj, allowed: bool = True):
    if obj is None or not allowed:
        abort(404)
    return obj


def load_or_404(model, ident):
    """For things that belong to no community (request categories): exists, or 404."""
    return found(db.session.get(model, ident))


def community_or_404(community_id: int) -> Community:
    community = db.session.get(Community, community_id)
    return found(community, community is not None and permissions.can_see_community(g.account, community.id))


def grid_or_404(grid_id: int) -> Grid:
    grid = db.session.get(Grid, grid_id)
    return found(grid, grid is not None and permissions.can_see_grid(g.account, grid))


def station_or_404(station_id: int) -> Station:
    """A station the signed-in account works at (its community's, or any for an admin)."""
    station = db.session.get(Station, station_id)
    return found(station, station is not None and permissions.can_see_community(g.get("account"), station.community_id))


def service_or_404(service_id: int) -> Service:
    service = found(db.session.get(Service, service_id))
    station_or_404(service.station_id)
    return service


def schedule_or_404(row_id: int) -> WeeklySchedule:
    row = found(db.session.get(WeeklySchedule, row_id))
    service_or_404(row.service_id)
    return row


def closure_or_404(closure_id: int) -> Closure:
    closure = found(db.session.get(Closure, closure_id))
    station_or_404(closure.station_id)
    return closure


def kiosk_or_404(kiosk_id: int) -> Kiosk:
    kiosk = db.session.get(Kiosk, kiosk_id)
    return found(kiosk, kiosk is not None and permissions.can_see_community(g.account, kiosk.community_id))


def staff_call_or_404(call_id: int) -> StaffCall:
    """A call raised at a kiosk of the account's community (any, for an admin)."""
    call = db.session.get(StaffCall, call_id)
    return found(call, call is not None and permissions.can_see_community(g.account, call.community_id))


def poster_or_404(code: str, kinds: tuple[str, ...]):
    poster = find_poster(db.session, code)
    return found(
        poster,
        poster is not None and poster.kind in kinds and permissions.can_see_community(g.account, poster.community_id),
    )


def resident_or_404(number: str, may=None) -> Resident:
    """The resident with this 8-digit number; with `may` (a permissions check such as can_help), only
    if the signed-in account passes it."""
    if not re.fullmatch(r"\d{8}", number or ""):
        abort(404)
    resident = db.session.scalars(db.select(Resident).where(Resident.number == number)).first()
    return found(resident, resident is not None and (may is None or may(g.get("account"), resident)))


def request_or_404(ticket: str, may=permissions.can_handle) -> Request:
    """The request with this ticket, if the signed-in account may work on it (or passes `may`)."""
    req = db.session.scalars(db.select(Request).where(Request.ticket == ticket)).first()
    return found(req, req is not None and may(g.get("account"), req))


def booking_or_404(reference: str) -> Booking:
    """A booking by its reference, however it was typed. Callers that need a scope use the loaders below."""
    return found(db.session.scalars(db.select(Booking).filter_by(reference=normalise_reference(reference))).first())


def own_booking_or_404(reference: str) -> Booking:
    """One of the identified resident's own bookings (never someone else's)."""
    booking = booking_or_404(reference)
    resident = current_resident()
    return found(booking, resident is not None and booking.resident_id == resident.id)


def station_booking_or_404(station: Station, reference: str) -> Booking:
    """A booking at this station (already scope-checked by station_or_404)."""
    booking = booking_or_404(reference)
    return found(booking, booking.service.station_id == station.id)


def grid_booking_or_404(reference: str) -> Booking:
    """A booking of a resident in the signed-in account's grids (a grid worker's call list)."""
    booking = booking_or_404(reference)
    return found(booking, permissions.can_see_grid(g.account, booking.resident.grid))


def data_request_or_404(ask_id: int) -> DataRequest:
    """A correction or removal asked by a resident of the account's community (any, for an admin)."""
    ask = db.session.get(DataRequest, ask_id)
    return found(ask, ask is not None and permissions.can_see_community(g.account, ask.community_id))


def record_kind_or_404(key: str):
    """A registered kind of record on My information (portal/mydata/records.py)."""
    from ..mydata.records import kind_or_none

    return found(kind_or_none(key))


def managed_activity_or_404(activity_id: int) -> Activity:
    """An activity the signed-in account runs (services/permissions.py can_manage_activity)."""
    activity = db.session.get(Activity, activity_id)
    return found(activity, activity is not None and permissions.can_manage_activity(g.get("account"), activity))


def signup_or_404(code: str) -> ActivitySignup:
    """A sign-up by its ticket code, however it was typed. Callers check whose it is (the ticket page)."""
    return found(db.session.scalars(db.select(ActivitySignup).filter_by(code=normalise_reference(code))).first())


def own_signup_or_404(code: str) -> ActivitySignup:
    """One of the identified resident's own sign-ups (never someone else's)."""
    signup = signup_or_404(code)
    resident = current_resident()
    return found(signup, resident is not None and signup.resident_id == resident.id)


def activity_signup_or_404(activity: Activity, code: str) -> ActivitySignup:
    """A sign-up of this activity (already scope-checked by managed_activity_or_404)."""
    signup = signup_or_404(code)
    return found(signup, signup.activity_id == activity.id)


def grid_signup_or_404(code: str) -> ActivitySignup:
    """A sign-up of a resident in the signed-in account's grids (the activity call list)."""
    signup = signup_or_404(code)
    return found(signup, permissions.can_see_grid(g.account, signup.resident.grid))


def notice_or_404(notice_id: int) -> Notice:
    """A notice anyone may read (notices are public); a withdrawn one is gone."""
    notice = db.session.get(Notice, notice_id)
    return found(notice, notice is not None and notice.withdrawn_at is None)


def managed_notice_or_404(notice_id: int) -> Notice:
    """A notice the signed-in account may change or withdraw: its community's staff, or the grid worker
    of every grid it is for."""
    notice = notice_or_404(notice_id)
    return found(notice, permissions.can_manage_notice(g.account, notice))


# -- topics and meetings (议事会) ----------------------------------------------------------------------
def topic_or_404(topic_id: int) -> Topic:
    """A topic anyone may read; a hidden one only for the staff who may manage it."""
    topic = db.session.get(Topic, topic_id)
    return found(
        topic,
        topic is not None and (topic.state != "hidden" or permissions.can_manage_topic(g.get("account"), topic)),
    )


def managed_topic_or_404(topic_id: int) -> Topic:
    """A topic the signed-in account may edit, close, hide, give a meeting or an outcome."""
    topic = db.session.get(Topic, topic_id)
    return found(topic, topic is not None and permissions.can_manage_topic(g.get("account"), topic))


# -- votes (网络微投票) ------------------------------------------------------------------------------
def poll_or_404(poll_id: int) -> Poll:
    """A poll anyone may read: what it asks is public, like a notice."""
    return found(db.session.get(Poll, poll_id))


def managed_poll_or_404(poll_id: int) -> Poll:
    """A poll of the signed-in staff's community (any community's, for an admin)."""
    poll = db.session.get(Poll, poll_id)
    return found(poll, poll is not None and permissions.can_manage_poll(g.get("account"), poll))


# -- volunteer register (活地图) --------------------------------------------------------------------------
def volunteer_or_404(volunteer_id: int) -> Volunteer:
    """An entry of the register in the account's grids (staff: community)."""
    volunteer = db.session.get(Volunteer, volunteer_id)
    return found(volunteer, volunteer is not None and permissions.can_see_volunteer(g.get("account"), volunteer))


def callout_or_404(callout_id: int) -> CallOut:
    """A call-out to one of the account's grids (staff: community)."""
    callout = db.session.get(CallOut, callout_id)
    allowed = callout is not None and permissions.has_role(g.get("account"), *permissions.VOLUNTEER_ROLES)
    return found(callout, allowed and permissions.can_see_grid(g.get("account"), callout.grid))


# -- mutual aid (邻里互助) ---------------------------------------------------------------------------
def aid_post_or_404(post_id: int) -> AidPost:
    """A post anyone may read; a hidden one only for the staff and grid workers who look after it."""
    post = db.session.get(AidPost, post_id)
    return found(
        post, post is not None and (post.state != "hidden" or permissions.can_manage_aid(g.get("account"), post))
    )


def managed_aid_post_or_404(post_id: int) -> AidPost:
    """A post the signed-in account may hide, close, restore or mark done (its grid's worker, staff)."""
    post = db.session.get(AidPost, post_id)
    return found(post, post is not None and permissions.can_manage_aid(g.get("account"), post))


def aid_match_or_404(match_id: int) -> AidMatch:
    """A proposed match on a post the signed-in account looks after."""
    match = db.session.get(AidMatch, match_id)
    return found(match, match is not None and permissions.can_manage_aid(g.get("account"), match.post))


def aid_call_or_404(call_id: int) -> AidCall:
    """A call to make for a post of a grid the signed-in account looks after."""
    call = db.session.get(AidCall, call_id)
    return found(call, call is not None and permissions.can_manage_aid(g.get("account"), call.post))
