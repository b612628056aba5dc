"""A resident with a record of every kind Linli keeps, made through every channel, for the My
information, removal and retention tests."""

from datetime import time, timedelta

from portal.extensions import db
from portal.models import Account, Community, Kiosk, OneTimeCode, RequestEvent, Resident
from portal.seed import DEMO_PASSWORD
from portal.services.activities import sign_up
from portal.services.activity_admin import check_in
from portal.services.audit import record_event
from portal.services.booking import book_slot
from portal.services.cards import reissue_card
from portal.services.clock import now_utc, today_local
from portal.services.data_requests import ask_correction
from portal.services.filing import file_request
from portal.services.notices import NoticeDraft, count_read, post_notice
from portal.services.residents import new_resident_number

from .activities import make_activity
from .factories import account, category
from .health import TZ, local_today, make_residents, make_slot, make_station

CHANNELS = ("online", "kiosk", "volunteer", "gridworker", "phone", "staff")
# Activity sign-ups: by themselves online or at a kiosk, through a volunteer or grid worker, at the staff desk.
SIGNUP_CHANNELS = ("online", "kiosk", "volunteer", "gridworker", "staff")
NAME = "甄删除测"
PHONE = "13766554433"
FAMILY = "儿子 13955667788"


def origin_for(channel: str) -> dict:
    if channel == "kiosk":
        kiosk = db.session.scalars(db.select(Kiosk).order_by(Kiosk.id)).first()
        return {"channel": "kiosk", "entered_by_id": None, "kiosk_id": kiosk.id}
    if channel in ("online",):
        return {"channel": channel, "entered_by_id": None, "kiosk_id": None}
    username = {"volunteer": "volunteer", "gridworker": "gridworker"}.get(channel, "staff")
    return {"channel": channel, "entered_by_id": account(username).id, "kiosk_id": None}


def resident_with_everything(app) -> dict:
    """In an app context: a new resident of the first community with, for every channel, a booking (one
    in the past) and a request naming them, plus a card reissue, a phone view, a message, a one-time code
    and a correction. Returns the resident's id and the references made."""
    community = db.session.scalars(db.select(Community).order_by(Community.id)).first()
    grid = community.grids[0]
    resident = Resident(
        number=new_resident_number(),
        name=NAME,
        phone=PHONE,
        family_contact=FAMILY,
        birth_year=1948,
        community_id=community.id,
        grid_id=grid.id,
        building_id=grid.buildings[0].id,
        room="1203",
        lives_alone=True,
        channel="gridworker",
        entered_by_id=account("gridworker").id,
    )
    db.session.add(resident)
    db.session.commit()
    station = make_station(name="个人信息测试站")
    service = station.services[0]
    today = local_today(app)
    now = now_utc()
    bookings, tickets = [], []
    for index, channel in enumerate(CHANNELS):
        slot = make_slot(service, today + timedelta(days=index + 1), time(9, 0))
        booking = book_slot(db.session, slot_id=slot.id, resident=resident, now=now, tz=TZ, origin=origin_for(channel))
        bookings.append(booking.reference)
        req = file_request(
            db.session,
            resident=resident,
            category=category("repairs"),
            description=f"{NAME}家门口的灯坏了, 电话{PHONE}",
            origin=origin_for(channel),
            now=now,
        )
        db.session.add(RequestEvent(request_id=req.id, kind="reassigned", note=f"{NAME}说晚上在家", public=False))
        tickets.append(req.ticket)
    db.session.commit()
    past = make_slot(service, today - timedelta(days=3), time(9, 0))
    past_booking = book_slot(
        db.session, slot_id=past.id, resident=resident, now=now - timedelta(days=5), tz=TZ, origin=origin_for("online")
    )
    staff = account("staff")
    reissue_card(db.session, resident)
    record_event(db.session, "card.reissue", actor=staff, resident=resident, reason=f"{NAME}的卡丢了", channel="staff")
    record_event(
        db.session,
        "phone.view",
        actor=staff,
        resident=resident,
        reason="回电",
        detail="number=resident",
        channel="staff",
    )
    db.session.add(
        OneTimeCode(
            purpose="identify", phone=PHONE, code_hash="x", expires_at=now.replace(tzinfo=None) + timedelta(minutes=5)
        )
    )
    db.session.commit()
    ask_correction(
        db.session,
        resident,
        field="room",
        what_is_wrong=f"{NAME}的房号错了",
        should_be="1204",
        origin=origin_for("online"),
    )
    made = {"id": resident.id, "bookings": bookings, "tickets": tickets, "past_booking": past_booking.reference}
    made.update(activity_signups(resident, now))
    made["notice"] = notice_read(resident, now)
    return made


def helper_of(channel: str):
    username = {"volunteer": "volunteer", "gridworker": "gridworker", "staff": "staff"}.get(channel)
    return account(username) if username else None


def activity_at(now, days: int, **fields):
    starts = now.replace(tzinfo=None) + timedelta(days=days)
    return make_activity(starts_at=starts, ends_at=starts + timedelta(hours=2), signup_closes_at=starts, **fields)


def activity_signups(resident, now) -> dict:
    """A sign-up through every channel for activities to come (the first one full, with a neighbour
    waiting behind the resident), a place on another full activity's waiting list, and a past sign-up
    they came to."""
    neighbours = make_residents(2, start=9100)
    codes = []
    for index, channel in enumerate(SIGNUP_CHANNELS):
        full = index == 0
        activity = activity_at(
            now, 10 + index, capacity=1 if full else 20, held_back=0 if full else 5, title=f"测试活动{index}"
        )
        signup = sign_up(
            db.session,
            activity_id=activity.id,
            resident=resident,
            now=now,
            origin=origin_for(channel),
            actor=helper_of(channel),
            desk=channel == "staff",
            reason=f"{NAME}请志愿者帮忙报名" if channel == "volunteer" else "",
        )
        codes.append(signup.code)
        if full:
            behind = sign_up(db.session, activity_id=activity.id, resident=neighbours[0], now=now, wait_if_full=True)
            full_activity, waiting_neighbour = activity.id, behind.id
    queue = activity_at(now, 20, capacity=1, held_back=0, title="测试排队活动")
    sign_up(db.session, activity_id=queue.id, resident=neighbours[1], now=now)
    waiting = sign_up(db.session, activity_id=queue.id, resident=resident, now=now, wait_if_full=True)
    past = activity_at(now, -3, title="测试过去的活动")
    came = sign_up(db.session, activity_id=past.id, resident=resident, now=now - timedelta(days=5))
    check_in(db.session, came, now=past.starts_at, actor=account("staff"), origin=origin_for("staff"))
    return {
        "signups": codes,
        "full_activity": full_activity,
        "waiting_neighbour": waiting_neighbour,
        "waiting_code": waiting.code,
        "past_signup": came.id,
    }


def notice_read(resident, now) -> int:
    """A notice of the resident's community, opened with a volunteer beside them."""
    today = today_local()
    draft = NoticeDraft(
        title="测试停水通知",
        body="周五停水。",
        starts_on=today,
        ends_on=today + timedelta(days=7),
        whole_community=True,
    )
    community = db.session.get(Community, resident.community_id)
    notice = post_notice(db.session, account=account("staff"), community=community, draft=draft, now=now)
    count_read(db.session, notice_id=notice.id, resident_id=resident.id, origin=origin_for("volunteer"), now=now)
    db.session.commit()
    return notice.id


def other_staff(community_index: int = 1) -> Account:
    """A staff account of another community than the demo staff's."""
    community = db.session.scalars(db.select(Community).order_by(Community.id)).all()[community_index]
    staff = Account(username="otherstaff", display_name="别社区社工", role="staff", community_id=community.id)
    staff.set_password(DEMO_PASSWORD)
    db.session.add(staff)
    db.session.commit()
    return staff
