"""Demo data for activities: three activities in 南湖社区 in the coming days, one of them (a free
calligraphy class taught by a neighbour) full with people waiting, and a QR poster for each.
Idempotent, like seed_demo()."""

from datetime import datetime, time, timedelta

from ..extensions import db
from ..models import Account, Activity, Community, Resident
from ..services.activities import SignupRefused, sign_up
from ..services.activity_admin import create_activity
from ..services.clock import now_utc, portal_zone, today_local
from ..services.dates import as_utc_naive
from ..services.posters import ensure_posters

# title, description, place, days from today, start, end, capacity, held back, grid numbers (None: all),
# how many sign up
ACTIVITIES = [
    (
        "免费书法班（邻居王老师教）",
        "住在3号楼的王老师退休前是中学语文老师，每周教大家写毛笔字。\n笔墨纸都由社区准备，不用带东西。",
        "南湖路18号社区服务中心二楼活动室",
        3, time(9, 30), time(11, 0), 6, 1, None, 7,
    ),
    (
        "健康讲座：冬天怎样防跌倒",
        "社区卫生服务中心的医生讲冬天在家和出门怎样防跌倒，讲完可以提问。",
        "南湖路18号社区服务中心一楼大厅",
        5, time(14, 30), time(15, 30), 30, 5, None, 4,
    ),
    (
        "楼道邻里包饺子",
        "一网格和二网格的邻居一起包饺子，认识新邻居。",
        "南湖新村3号楼楼下活动角",
        8, time(10, 0), time(11, 30), 12, 2, (1, 2), 2,
    ),
]  # fmt: skip


def seed_activities() -> None:
    community = db.session.scalars(db.select(Community).where(Community.name == "南湖社区")).first()
    staff = db.session.scalars(db.select(Account).filter_by(username="staff")).first()
    if community is None or staff is None:
        return
    tz, today = portal_zone(), today_local()
    residents = list(
        db.session.scalars(db.select(Resident).where(Resident.community_id == community.id).order_by(Resident.id))
    )
    for title, description, place, days, start, end, capacity, held, grid_numbers, joining in ACTIVITIES:
        if db.session.scalars(db.select(Activity.id).filter_by(community_id=community.id, title=title)).first():
            continue
        day = today + timedelta(days=days)
        starts_at = as_utc_naive(datetime.combine(day, start, tzinfo=tz))
        grids = [g for g in community.grids if grid_numbers and g.number in grid_numbers]
        activity = create_activity(
            db.session,
            community_id=community.id,
            grids=grids,
            actor=staff,
            title=title,
            description=description,
            place=place,
            starts_at=starts_at,
            ends_at=as_utc_naive(datetime.combine(day, end, tzinfo=tz)),
            signup_closes_at=starts_at - timedelta(hours=12),
            whole_community=grid_numbers is None,
            capacity=capacity,
            held_back=held,
            waiting_list=True,
            helpers_may_sign_up=True,
        )
        people = [r for r in residents if grid_numbers is None or r.grid.number in grid_numbers][:joining]
        for resident in people:
            try:
                sign_up(
                    db.session,
                    activity_id=activity.id,
                    resident=resident,
                    now=now_utc(),
                    origin={"channel": "seed", "entered_by_id": None, "kiosk_id": None},
                    wait_if_full=True,
                    announce=False,
                )
            except SignupRefused:
                continue
    activities = db.session.scalars(db.select(Activity).where(Activity.community_id == community.id)).all()
    ensure_posters(db.session, "activity", activities)
    db.session.commit()
