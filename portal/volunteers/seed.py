"""Demo data for the volunteer register (活地图): five residents of 南湖社区 and the demo volunteer account on
the register with their skills and free times, and one call-out to grid 1 with a yes, a no and a volunteer
still to answer. Idempotent, like seed_demo()."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from ..extensions import db
from ..models import Account, Community, OutboxMessage, Resident, Volunteer
from ..services.clock import now_utc
from ..services.volunteers import answer_callout, availability_bits, call_out, replies_of, skill_bits

SEED_ORIGIN = {"channel": "seed", "entered_by_id": None, "kiosk_id": None}
CALLOUT_MESSAGE = "周六上午在第一网格1幢门口搬运爱心捐赠的米和油，需要两三位志愿者。"
# (skills, free times) of the demo volunteers, in order.
ENTRIES = [
    (("first_aid", "companionship"), [(0, "morning"), (2, "morning"), (5, "morning")]),
    (("driving", "errands"), [(5, "morning"), (5, "afternoon"), (6, "morning")]),
    (("repairs",), [(1, "evening"), (3, "evening"), (5, "morning")]),
    (("language", "companionship"), [(0, "afternoon"), (4, "afternoon")]),
    (("phones",), [(2, "evening"), (6, "afternoon")]),
]


def seed_volunteers() -> None:
    community = db.session.scalars(select(Community).where(Community.name == "南湖社区")).first()
    staff = db.session.scalars(select(Account).filter_by(username="staff")).first()
    helper = db.session.scalars(select(Account).filter_by(username="volunteer")).first()
    if community is None or staff is None or helper is None:
        return
    if db.session.scalars(select(Volunteer.id).where(Volunteer.community_id == community.id)).first() is not None:
        return
    grid = next(g for g in community.grids if g.number == 1)
    residents = list(
        db.session.scalars(
            select(Resident)
            .where(Resident.community_id == community.id, Resident.phone.is_not(None))
            .order_by(Resident.id)
        )
    )
    # Three of grid 1 (one without a phone), two of other grids.
    of_grid = [r for r in residents if r.grid_id == grid.id][:2]
    no_phone = db.session.scalars(
        select(Resident).where(Resident.grid_id == grid.id, Resident.phone.is_(None)).order_by(Resident.id)
    ).first()
    others = [r for r in residents if r.grid_id != grid.id][:2]
    now = now_utc()
    chosen = [*of_grid, *([no_phone] if no_phone is not None else []), *others]
    for resident, (skills, times) in zip(chosen, ENTRIES, strict=False):
        db.session.add(
            Volunteer(
                community_id=resident.community_id,
                grid_id=resident.grid_id,
                building_id=resident.building_id,
                resident_id=resident.id,
                skills=skill_bits(skills),
                other_skill="",
                availability=availability_bits(times),
                consented_at=(now - timedelta(days=20)).replace(tzinfo=None),
                **SEED_ORIGIN,
            )
        )
    db.session.add(
        Volunteer(
            community_id=community.id,
            grid_id=grid.id,
            building_id=grid.buildings[0].id,
            account_id=helper.id,
            skills=skill_bits(("phones", "errands")),
            other_skill="会讲温州话",
            availability=availability_bits([(5, "morning"), (5, "afternoon")]),
            consented_at=(now - timedelta(days=30)).replace(tzinfo=None),
            **SEED_ORIGIN,
        )
    )
    db.session.commit()
    callout = call_out(
        db.session,
        grid=grid,
        message=CALLOUT_MESSAGE,
        skill="",
        slot=None,
        actor=staff,
        now=now - timedelta(days=1),
        link_for=lambda token: f"/v/{token}",
        secret=current_app.config["SECRET_KEY"],
    )
    # The call-out went out yesterday; the demo's outbox starts empty all the same (its page, `flask
    # send-outbox` and their tests start from nothing to send), so the call-out's messages are not kept.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.kind == "volunteer.callout"))
    db.session.commit()
    replies = replies_of(db.session, callout.id)
    answer_callout(db.session, replies[0].id, "yes", now=now - timedelta(hours=20))
    if len(replies) > 1:
        gridworker = db.session.scalars(select(Account).filter_by(username="gridworker")).first()
        answer_callout(db.session, replies[1].id, "no", now=now - timedelta(hours=18), actor=gridworker)
