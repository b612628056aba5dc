"""A resident with a record of every kind Linli keeps, made through every channel, for the My
information, removal and retention tests."""

from datetime import time, timedelta

from portal.extensions import db
from portal.models import Account, Community, Kiosk, OneTimeCode, RequestEvent, Resident
from portal.seed import DEMO_PASSWORD
from portal.services.audit import record_event
from portal.services.booking import book_slot
from portal.services.cards import reissue_card
from portal.services.clock import now_utc
from portal.services.data_requests import ask_correction
from portal.services.filing import file_request
from portal.services.residents import new_resident_number

from .factories import account, category
from .health import TZ, local_today, make_slot, make_station

CHANNELS = ("online", "kiosk", "volunteer", "gridworker", "phone", "staff")
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
    return {"id": resident.id, "bookings": bookings, "tickets": tickets, "past_booking": past_booking.reference}


def other_staff(community_index: int = 1) -> Account:
    """A staff account of another community than the demo staff's."""
    community = db.session.scalars(db.select(Community).order_by(Community.id)).all()[community_index]
    staff = Account(username="otherstaff", display_name="别社区社工", role="staff", community_id=community.id)
    staff.set_password(DEMO_PASSWORD)
    db.session.add(staff)
    db.session.commit()
    return staff
