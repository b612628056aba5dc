"""The volunteer register (活地图): joining it with consent, changing or leaving one's entry, the staff's list
and building plan, showing a volunteer's contact on request (audited each time), and call-outs: staff pick
the volunteers of a grid by skill and time, each gets a short message with a signed answer link, and each
answer (from the link, or ticked by a grid worker after a call) is set once by a conditional UPDATE:

    INSERT INTO volunteer ...                                   -- a second entry fails UNIQUE (resident_id)
    UPDATE call_out_reply SET answer = :a WHERE id = :id AND answer IS NULL        -- one row, or none

A change of answer names the answer it replaces (`expected`), so two changes at once cannot both count.
Each public function that changes something commits on success and rolls back on refusal.
"""

import re
import secrets
from datetime import datetime

from itsdangerous import BadSignature, Signer
from sqlalchemy import delete, func, literal_column, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..models import Building, CallOut, CallOutReply, Volunteer
from .audit import record_event
from .dates import as_utc_naive
from .outbox import queue_message

SKILLS = ("first_aid", "driving", "language", "repairs", "companionship", "errands", "phones")
PARTS = ("morning", "afternoon", "evening")
DAYS = tuple(range(7))  # Monday 0
ANSWERS = ("yes", "no")


class VolunteerRefused(Exception):
    """A rule said no. `reason`: duplicate (already on the register), gone (left the register a moment
    ago), nobody (no volunteer matches a call-out), answered (the answer changed in the meantime)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# -- skills and weekly availability as bit sets ---------------------------------------------------
def skill_bits(codes) -> int:
    return sum(1 << SKILLS.index(code) for code in set(codes) if code in SKILLS)


def skills_of(bits: int) -> list[str]:
    return [code for i, code in enumerate(SKILLS) if bits & (1 << i)]


def slot_index(day: int, part: str) -> int:
    return day * len(PARTS) + PARTS.index(part)


def availability_bits(slots) -> int:
    """From (day, part) pairs."""
    return sum(1 << slot_index(day, part) for day, part in set(slots) if day in DAYS and part in PARTS)


def slots_of(bits: int) -> list[tuple[int, str]]:
    return [(day, part) for day in DAYS for part in PARTS if bits & (1 << slot_index(day, part))]


# -- the register -----------------------------------------------------------------------------------
def entry_of(session, *, resident=None, account=None) -> Volunteer | None:
    if resident is not None:
        return session.scalars(select(Volunteer).where(Volunteer.resident_id == resident.id)).first()
    if account is not None:
        return session.scalars(select(Volunteer).where(Volunteer.account_id == account.id)).first()
    return None


def audit_entry(session, action, volunteer_id, resident, origin, actor, reason="") -> None:
    record_event(
        session,
        action,
        actor=actor,
        resident=resident,
        reason=reason,
        detail=f"volunteer={volunteer_id}",
        channel=origin["channel"],
        kiosk_id=origin.get("kiosk_id"),
    )


def register_volunteer(
    session,
    *,
    building: Building,
    skills: int,
    availability: int,
    origin: dict,
    now: datetime,
    other_skill: str = "",
    resident=None,
    account=None,
    actor=None,
    reason: str = "",
) -> Volunteer:
    """A new entry, with consent given now, for a resident (themselves, at a kiosk or through a helper:
    `actor`) or a volunteer account. VolunteerRefused("duplicate") when they are on it already. Commits."""
    now_utc = as_utc_naive(now)
    entry = Volunteer(
        community_id=building.grid.community_id,
        grid_id=building.grid_id,
        building_id=building.id,
        resident_id=resident.id if resident is not None else None,
        account_id=account.id if account is not None else None,
        skills=skills,
        other_skill=other_skill,
        availability=availability,
        consented_at=now_utc,
        channel=origin["channel"],
        entered_by_id=origin.get("entered_by_id"),
        kiosk_id=origin.get("kiosk_id"),
        created_at=now_utc,
        updated_at=now_utc,
    )
    try:
        session.add(entry)
        session.flush()
    except IntegrityError:
        session.rollback()
        raise VolunteerRefused("duplicate") from None
    audit_entry(session, "volunteer.register", entry.id, resident, origin, actor or account, reason)
    session.commit()
    return entry


def change_entry(
    session,
    volunteer: Volunteer,
    *,
    building: Building,
    skills: int,
    availability: int,
    origin: dict,
    now: datetime,
    other_skill: str = "",
    actor=None,
    reason: str = "",
) -> None:
    """New skills, building or times for an entry. Commits."""
    changed = session.execute(
        update(Volunteer)
        .where(Volunteer.id == volunteer.id)
        .values(
            community_id=building.grid.community_id,
            grid_id=building.grid_id,
            building_id=building.id,
            skills=skills,
            other_skill=other_skill,
            availability=availability,
            updated_at=as_utc_naive(now),
        ),
        execution_options={"synchronize_session": False},
    ).rowcount
    if changed != 1:
        session.rollback()
        raise VolunteerRefused("gone")
    audit_entry(
        session, "volunteer.change", volunteer.id, volunteer.resident, origin, actor or volunteer.account, reason
    )
    session.commit()
    session.expire(volunteer)


def leave_register(session, volunteer: Volunteer, *, origin: dict, actor=None, reason: str = "") -> None:
    """The entry goes, with its replies to call-outs: nothing of it is kept but the audit event. Commits."""
    volunteer_id, resident, account = volunteer.id, volunteer.resident, volunteer.account
    session.execute(delete(CallOutReply).where(CallOutReply.volunteer_id == volunteer_id))
    gone = session.execute(delete(Volunteer).where(Volunteer.id == volunteer_id)).rowcount
    if gone != 1:
        session.rollback()
        raise VolunteerRefused("gone")
    audit_entry(session, "volunteer.leave", volunteer_id, resident, origin, actor or account, reason)
    session.commit()


def remove_entry_of_resident(session, resident_id: int) -> None:
    """A removed resident leaves the register (services/removal.py). Does not commit."""
    quiet = {"synchronize_session": False}
    ids = select(Volunteer.id).where(Volunteer.resident_id == resident_id)
    session.execute(delete(CallOutReply).where(CallOutReply.volunteer_id.in_(ids)).execution_options(**quiet))
    session.execute(delete(Volunteer).where(Volunteer.resident_id == resident_id).execution_options(**quiet))


# -- the staff's list and plan --------------------------------------------------------------------
def matching(query, *, grid_id=None, skill: str = "", slot: int | None = None):
    """`query` (a SELECT of Volunteer) narrowed to a grid, a skill and a time of the week."""
    if grid_id is not None:
        query = query.where(Volunteer.grid_id == grid_id)
    if skill in SKILLS:
        query = query.where(Volunteer.skills.op("&")(1 << SKILLS.index(skill)) != 0)
    if slot is not None:
        query = query.where(Volunteer.availability.op("&")(1 << slot) != 0)
    return query


NUMBER = re.compile(r"\d+")


def building_key(name: str) -> tuple:
    """A building's place in its grid's natural order: by the number in its name (8幢 before 10幢), then by
    the name; names without a number come after those with one."""
    found = NUMBER.search(name or "")
    return (0, int(found.group()), name) if found else (1, 0, name or "")


def in_natural_order(buildings) -> list:
    return sorted(buildings, key=lambda building: building_key(building.name))


def building_ranks(session, grids) -> dict[int, int]:
    """{building id: its place in the natural order} for the buildings of these grids (one SELECT)."""
    ids = [grid.id for grid in grids]
    if not ids:
        return {}
    rows = session.execute(select(Building.id, Building.name).where(Building.grid_id.in_(ids))).all()
    ordered = sorted(rows, key=lambda row: (building_key(row.name), row.id))
    return {row.id: rank for rank, row in enumerate(ordered)}


def natural_rank(ranks: dict[int, int]):
    """CASE volunteer.building_id WHEN <id> THEN <rank> ... END, written out: a community has a few hundred
    buildings, and as bound parameters each would cost two literal objects on every page view. Only
    whole numbers read from the database go into it."""
    whens = " ".join(f"WHEN {int(building_id)} THEN {int(rank)}" for building_id, rank in ranks.items())
    return literal_column(f"CASE volunteer.building_id {whens} ELSE {len(ranks)} END")


def listed(query, ranks: dict[int, int] | None = None):
    """Building by building (in the natural order of `ranks`, from building_ranks()), with what each row
    shows loaded in the same statement."""
    building = natural_rank(ranks) if ranks else Volunteer.building_id
    return query.order_by(Volunteer.grid_id, building, Volunteer.building_id, Volunteer.id).options(
        joinedload(Volunteer.resident),
        joinedload(Volunteer.account),
        joinedload(Volunteer.building),
        joinedload(Volunteer.grid),
    )


def building_counts(session, grids) -> dict[int, int]:
    """Volunteers per building of these grids (one GROUP BY)."""
    ids = [grid.id for grid in grids]
    if not ids:
        return {}
    rows = session.execute(
        select(Volunteer.building_id, func.count()).where(Volunteer.grid_id.in_(ids)).group_by(Volunteer.building_id)
    )
    return dict(rows.all())


def volunteer_name(volunteer: Volunteer) -> str:
    if volunteer.resident is not None:
        return volunteer.resident.name
    return volunteer.account.display_name if volunteer.account is not None else ""


def volunteer_phone(volunteer: Volunteer) -> str:
    if volunteer.resident is not None:
        return volunteer.resident.phone or ""
    return (volunteer.account.work_phone or "") if volunteer.account is not None else ""


def reveal_contact(session, volunteer: Volunteer, *, actor, reason: str = "") -> tuple[str, str]:
    """(full name, phone) for staff who asked to see them: audited, every time. Commits."""
    record_event(
        session,
        "volunteer.contact_view",
        actor=actor,
        resident=volunteer.resident,
        reason=reason,
        detail=f"volunteer={volunteer.id}",
        channel="staff",
    )
    contact = volunteer_name(volunteer), volunteer_phone(volunteer)
    session.commit()
    return contact


# -- call-outs ------------------------------------------------------------------------------------
def answer_token(reply: CallOutReply, secret: str) -> str:
    return Signer(secret, salt="linli-volunteer-answer").sign(f"{reply.id}.{reply.nonce}").decode()


def reply_for_token(session, token: str, secret: str) -> CallOutReply | None:
    try:
        value = Signer(secret, salt="linli-volunteer-answer").unsign(token or "").decode()
    except (BadSignature, UnicodeError):
        return None
    reply_id, _dot, nonce = value.partition(".")
    if not reply_id.isdigit() or len(reply_id) > 12:
        return None
    reply = session.get(CallOutReply, int(reply_id))
    if reply is None or not secrets.compare_digest(reply.nonce, nonce):
        return None
    return reply


def call_out(
    session, *, grid, message: str, skill: str, slot: int | None, actor, now: datetime, link_for, secret: str
) -> CallOut:
    """Ask the matching volunteers of `grid`: one reply row each and, for those with a phone, a message
    with their answer link (`link_for(token)` makes it a full address). Commits."""
    volunteers = list(
        session.scalars(
            matching(select(Volunteer), grid_id=grid.id, skill=skill, slot=slot)
            .order_by(Volunteer.building_id, Volunteer.id)
            .options(joinedload(Volunteer.resident), joinedload(Volunteer.account))
        )
    )
    if not volunteers:
        raise VolunteerRefused("nobody")
    callout = CallOut(
        community_id=grid.community_id,
        grid_id=grid.id,
        message=message,
        skill=skill if skill in SKILLS else "",
        slot=slot,
        created_by_id=actor.id,
        created_at=as_utc_naive(now),
    )
    session.add(callout)
    session.flush()
    for volunteer in volunteers:
        reply = CallOutReply(callout_id=callout.id, volunteer_id=volunteer.id, nonce=secrets.token_urlsafe(16))
        session.add(reply)
        session.flush()
        text = f"{message}\n能来帮忙吗？请点这里回答：{link_for(answer_token(reply, secret))}"
        sent = (
            queue_message(
                session,
                kind="volunteer.callout",
                text=text,
                recipient=volunteer.resident.phone or "",
                resident=volunteer.resident,
            )  # fmt: skip
            if volunteer.resident is not None
            else queue_message(session, kind="volunteer.callout", text=text, channel="staff", account=volunteer.account)
        )
        reply.messaged = sent is not None
    record_event(
        session,
        "volunteer.callout",
        actor=actor,
        detail=f"callout={callout.id}; grid={grid.id}; volunteers={len(volunteers)}; skill={callout.skill}; "
        f"slot={'' if callout.slot is None else callout.slot}",
        channel="staff",
    )
    session.commit()
    return callout


def answer_callout(
    session, reply_id: int, answer: str, *, now: datetime, expected: str | None = None, actor=None
) -> None:
    """Set a reply's answer: from the volunteer's link, or (`actor`) ticked by a grid worker after a call.
    `expected` is the answer it replaces (None: there was none); VolunteerRefused("answered") when the
    answer is no longer that. Commits."""
    if answer not in ANSWERS:
        raise VolunteerRefused("unknown")
    condition = CallOutReply.answer.is_(None) if expected is None else CallOutReply.answer == expected
    done = session.execute(
        update(CallOutReply)
        .where(CallOutReply.id == reply_id, condition)
        .values(
            answer=answer,
            answered_at=as_utc_naive(now),
            answered_via="call" if actor is not None else "link",
            ticked_by_id=actor.id if actor is not None else None,
        ),
        execution_options={"synchronize_session": False},
    ).rowcount
    if done != 1:
        session.rollback()
        raise VolunteerRefused("answered")
    reply = session.get(CallOutReply, reply_id)
    record_event(
        session,
        "volunteer.answer_call" if actor is not None else "volunteer.answer",
        actor=actor,
        resident=reply.volunteer.resident,
        detail=f"callout={reply.callout_id}; answer={answer}",
        channel="staff" if actor is not None else "online",
    )
    session.commit()
    session.expire(reply)


def replies_of(session, callout_id: int) -> list[CallOutReply]:
    """Who was asked, coming first, then those with no answer yet, then those who cannot come."""
    order = {"yes": 0, None: 1, "no": 2}
    rows = session.scalars(
        select(CallOutReply)
        .where(CallOutReply.callout_id == callout_id)
        .order_by(CallOutReply.id)
        .options(
            joinedload(CallOutReply.volunteer).joinedload(Volunteer.resident),
            joinedload(CallOutReply.volunteer).joinedload(Volunteer.account),
            joinedload(CallOutReply.volunteer).joinedload(Volunteer.building),
        )
    ).all()
    return sorted(rows, key=lambda reply: order.get(reply.answer, 1))


def callouts_query(grid_ids):
    return (
        select(CallOut)
        .where(CallOut.grid_id.in_(list(grid_ids) or [-1]))
        .order_by(CallOut.created_at.desc(), CallOut.id.desc())
        .options(joinedload(CallOut.grid))
    )


def answer_counts(session, callout_ids) -> dict[int, dict]:
    """{callout id: {"yes": n, "no": n, None: n}} for a page of call-outs (one GROUP BY)."""
    counts = {callout_id: {"yes": 0, "no": 0, None: 0} for callout_id in callout_ids}
    if counts:
        rows = session.execute(
            select(CallOutReply.callout_id, CallOutReply.answer, func.count())
            .where(CallOutReply.callout_id.in_(list(counts)))
            .group_by(CallOutReply.callout_id, CallOutReply.answer)
        )
        for callout_id, answer, how_many in rows:
            counts[callout_id][answer] = how_many
    return counts
