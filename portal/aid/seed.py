"""Demo data for mutual aid (邻里互助): four posts in 南湖社区's grid 1 and the community. An open need with a
neighbour's answer waiting in the grid worker's queue, an open offer for the whole community, a need matched
by the grid worker (what was agreed recorded), and an older offer marked done: three residents of grid 1, so
the others have nothing to do with mutual aid yet (the tests need some). Idempotent, like seed_demo()."""

from datetime import timedelta

from ..extensions import db
from ..models import Account, AidMatch, AidPost, Community, Resident
from ..services.aid import OPEN_DAYS
from ..services.clock import now_utc
from ..services.dates import as_utc_naive

OPEN_NEED = "周四上午需要有人帮我去社区医院取一下降压药"
OPEN_OFFER = "家里有一台闲置的轮椅，可以借给需要的邻居"
MATCHED_NEED = "厨房水龙头一直滴水，想请会修的邻居帮看看"
DONE_OFFER = "可以陪独居老人聊聊天、散散步，每周两次"
SEED_ORIGIN = {"channel": "seed", "entered_by_id": None, "kiosk_id": None}


def new_post(resident, kind, category, text, created, **extra) -> AidPost:
    post = AidPost(
        community_id=resident.community_id,
        grid_id=resident.grid_id,
        building_id=resident.building_id,
        resident_id=resident.id,
        kind=kind,
        category=category,
        text=text,
        state=extra.pop("state", "open"),
        state_reason="",
        created_at=created,
        expires_at=created + timedelta(days=OPEN_DAYS),
        open_reports=0,
        whole_community=extra.pop("whole_community", False),
        **SEED_ORIGIN,
        **extra,
    )
    db.session.add(post)
    db.session.flush()
    return post


def seed_aid() -> None:
    community = db.session.scalars(db.select(Community).where(Community.name == "南湖社区")).first()
    worker = db.session.scalars(db.select(Account).filter_by(username="gridworker")).first()
    if community is None or worker is None:
        return
    if db.session.scalars(db.select(AidPost.id).where(AidPost.community_id == community.id)).first() is not None:
        return
    grid = next(g for g in community.grids if g.number == 1)
    of_grid = list(
        db.session.scalars(db.select(Resident).where(Resident.grid_id == grid.id).order_by(Resident.id.desc()))
    )
    if len(of_grid) < 3:
        return
    now = as_utc_naive(now_utc())
    need = new_post(of_grid[0], "need", "errand", OPEN_NEED, now - timedelta(days=2))
    db.session.add(AidMatch(post_id=need.id, resident_id=of_grid[1].id, state="proposed", agreed="",
                            decline_reason="", created_at=now - timedelta(hours=20), **SEED_ORIGIN))  # fmt: skip
    new_post(of_grid[2], "offer", "item", OPEN_OFFER, now - timedelta(days=5), whole_community=True)
    matched = new_post(of_grid[1], "need", "repair", MATCHED_NEED, now - timedelta(days=4), state="matched",
                       matched_at=now - timedelta(days=3))  # fmt: skip
    db.session.add(
        AidMatch(
            post_id=matched.id,
            resident_id=of_grid[2].id,
            state="confirmed",
            agreed="周六上午十点，邻居带工具上门修水龙头，材料费由住户自付。",
            decline_reason="",
            created_at=now - timedelta(days=4, hours=-3),
            decided_at=now - timedelta(days=3),
            decided_by_id=worker.id,
            **SEED_ORIGIN,
        )
    )
    done = new_post(of_grid[2], "offer", "company", DONE_OFFER, now - timedelta(days=12), state="done",
                    matched_at=now - timedelta(days=10), done_at=now - timedelta(days=3))  # fmt: skip
    db.session.add(AidMatch(post_id=done.id, resident_id=of_grid[0].id, state="confirmed",
                            agreed="每周二、五下午三点，在小区花园见面散步。", decline_reason="",
                            created_at=now - timedelta(days=11), decided_at=now - timedelta(days=10),
                            decided_by_id=worker.id, **SEED_ORIGIN))  # fmt: skip
    db.session.commit()
