"""The volunteer register (活地图) for seed-scale: about 3 % of the city's residents on the register, with their
building, one to three skills and a few free times a week (the community's volunteer accounts join too),
and a few call-outs by staff to a grid's matching volunteers with their answers (yes, no, or none yet;
ticked by the grid worker after a call or given from the message's link).

One entry per resident and per account, one reply per volunteer and call-out: the unique constraints the
register's services rely on. A call-out asks the volunteers of its grid who have its skill and are free at
its time, as services/volunteers.call_out() picks them."""

from datetime import timedelta

from sqlalchemy import func, select

from ..models import CallOut, CallOutReply, Resident, Volunteer
from ..services.volunteers import PARTS, SKILLS, slot_index
from .fake import Weighted
from .helpers import HelperPicker

CHANNELS = Weighted([("online", 40), ("kiosk", 15), ("volunteer", 15), ("gridworker", 30)])
OTHER_SKILLS = ["会讲温州话", "会理发", "会修自行车", "会手语", "做过厨师"]
MESSAGES = [
    "周六上午在小区门口搬运爱心捐赠的米和油，需要两三位志愿者。",
    "下周二上午社区义诊，需要志愿者帮忙排队引导。",
    "明天下午陪两位独居老人去医院复查，需要会开车的志愿者。",
    "周日上午清理楼道杂物，需要几位志愿者。",
]
ANSWERS = Weighted([("yes", 40), ("no", 25), (None, 35)])


def bits(rng, names: list, low: int, high: int) -> int:
    return sum(1 << i for i in rng.sample(range(len(names)), rng.randint(low, high)))


def build_volunteers(loader, rng, figures, city, people, now) -> None:
    session = loader.session
    helpers = HelperPicker(rng, city, loader.audit)
    listed = set(session.scalars(select(Volunteer.account_id).where(Volunteer.account_id.is_not(None))))
    grids_of = {}
    for grid in city.grids:
        if city.buildings.get(grid["id"]):
            grids_of.setdefault(grid["community_id"], []).append(grid["id"])
    accounts = [
        (account_id, cid)
        for cid, ids in city.volunteers.items()
        for account_id in ids
        if account_id not in listed and grids_of.get(cid)
    ]
    slots = len(PARTS) * 7
    rows = []

    def entry(**where) -> dict:
        created = (now - timedelta(days=rng.uniform(1, 700))).replace(microsecond=0)
        return {
            **where,
            "skills": bits(rng, SKILLS, 1, 3),
            "other_skill": rng.choice(OTHER_SKILLS) if rng.random() < 0.1 else "",
            "availability": bits(rng, range(slots), 2, 6),
            "consented_at": created,
            "created_at": created,
            "updated_at": created,
        }

    for account_id, cid in accounts:
        grid_id = rng.choice(grids_of[cid])
        place = {"community_id": cid, "grid_id": grid_id, "building_id": rng.choice(city.buildings[grid_id])}
        rows.append(entry(**place, resident_id=None, account_id=account_id, channel="staff", entered_by_id=None,
                          kiosk_id=None))  # fmt: skip
    chosen = rng.sample(people, min(len(people), max(0, figures.volunteers - len(accounts))))
    for person in chosen:
        place = {"community_id": person.community_id, "grid_id": person.grid_id, "building_id": person.building_id}
        row = entry(**place, resident_id=person.id, account_id=None, **helpers.origin(person, CHANNELS.pick(rng)))
        rows.append(row)
    loader.insert(Volunteer.__table__, rows)
    ids = loader.ids_by(Volunteer.__table__, "resident_id", [person.id for person in chosen])
    for person, row in zip(chosen, rows[len(accounts) :], strict=True):
        helpers.audit_origin(row, person, "volunteer.register", f"volunteer={ids[person.id]}")
    build_callouts(loader, rng, figures, city, now)


def build_callouts(loader, rng, figures, city, now) -> None:
    """Call-outs to the grids with the most volunteers, one reply row for each volunteer asked."""
    session = loader.session
    entries = session.execute(
        select(
            Volunteer.id,
            Volunteer.grid_id,
            Volunteer.community_id,
            Volunteer.skills,
            Volunteer.availability,
            Volunteer.resident_id,
            Resident.phone,
        )
        .outerjoin(Resident, Resident.id == Volunteer.resident_id)
        .order_by(Volunteer.id)  # fmt: skip
    ).all()
    by_grid = {}
    for row in entries:
        by_grid.setdefault(row.grid_id, []).append(row)
    busiest = sorted(by_grid, key=lambda grid_id: (-len(by_grid[grid_id]), grid_id))
    if not busiest:
        return
    first = (session.scalar(select(func.max(CallOut.id))) or 0) + 1
    callouts, asked = [], []
    for k in range(figures.callouts):
        grid_id = busiest[k % min(len(busiest), 20)]
        pool = by_grid[grid_id]
        skill = rng.choice(SKILLS) if rng.random() < 0.4 else ""
        slot = slot_index(rng.randrange(7), rng.choice(PARTS)) if rng.random() < 0.4 else None
        matching = [
            v
            for v in pool
            if (not skill or v.skills & (1 << SKILLS.index(skill))) and (slot is None or v.availability & (1 << slot))
        ]
        if not matching:
            skill, slot, matching = "", None, pool
        community_id = pool[0].community_id
        staff = city.staff.get(community_id) or [city.demo["staff"]]
        created = (now - timedelta(days=rng.uniform(0.5, 90))).replace(microsecond=0)
        callouts.append({"community_id": community_id, "grid_id": grid_id, "message": rng.choice(MESSAGES),
                         "skill": skill, "slot": slot, "created_by_id": rng.choice(staff), "created_at": created})  # fmt: skip
        asked.append(matching)
    loader.insert(CallOut.__table__, callouts)
    ids = loader.session.scalars(select(CallOut.id).where(CallOut.id >= first).order_by(CallOut.id)).all()
    replies = []
    for callout_id, callout, volunteers in zip(ids, callouts, asked, strict=True):
        loader.audit.add(callout["created_at"], "volunteer.callout", actor_id=callout["created_by_id"], channel="staff",
                         detail=f"callout={callout_id}; grid={callout['grid_id']}; volunteers={len(volunteers)}")  # fmt: skip
        for volunteer in volunteers:
            answer = ANSWERS.pick(rng)
            by_call = answer is not None and rng.random() < 0.3
            answered = callout["created_at"] + timedelta(hours=rng.uniform(0.2, 12)) if answer else None
            replies.append(
                {
                    "callout_id": callout_id,
                    "volunteer_id": volunteer.id,
                    "nonce": f"{rng.getrandbits(128):032x}",
                    # A message went out to an account or a resident with a mobile (the seed keeps whether, not
                    # the outbox's messages, as the demo does); the others are phoned by the grid worker.
                    "messaged": volunteer.resident_id is None or volunteer.phone is not None,
                    "answer": answer,
                    "answered_at": answered.replace(microsecond=0) if answered else None,
                    "answered_via": ("call" if by_call else "link") if answer else None,
                    "ticked_by_id": city.worker.get(callout["grid_id"]) if by_call else None,
                }
            )
    loader.insert(CallOutReply.__table__, replies, background=True)
