"""Demo data for topics and meetings (议事会): two topics in 南湖社区. One, for grid 1, is open and supported
by a few neighbours; the other, for the whole community, was talked about at a meeting held last week (an
activity, closed with its attendance counted) and has its outcome. Idempotent, like seed_demo()."""

from datetime import datetime, time, timedelta

from sqlalchemy import update

from ..extensions import db
from ..models import Account, Activity, ActivitySignup, Community, Resident, Topic, TopicSupport
from ..services.activities import SignupRefused, sign_up
from ..services.activity_admin import close_activity, create_activity
from ..services.clock import now_utc, portal_zone, today_local
from ..services.dates import as_utc_naive
from ..services.topics import link_meeting

OPEN_TITLE = "1网格3号楼门口加两张长椅"
DECIDED_TITLE = "社区菜市场早上开门时间提前"
MEETING_TITLE = "议事会：菜市场开门时间"
SEED_ORIGIN = {"channel": "seed", "entered_by_id": None, "kiosk_id": None}


def add_supports(topic: Topic, residents: list, when: datetime) -> None:
    for resident in residents:
        db.session.add(TopicSupport(topic_id=topic.id, resident_id=resident.id, channel="seed", created_at=when))
    topic.supports = len(residents)


def seed_topics() -> None:
    community = db.session.scalars(db.select(Community).where(Community.name == "南湖社区")).first()
    staff = db.session.scalars(db.select(Account).filter_by(username="staff")).first()
    if community is None or staff is None:
        return
    if db.session.scalars(db.select(Topic.id).where(Topic.community_id == community.id)).first() is not None:
        return
    grid = next(g for g in community.grids if g.number == 1)
    residents = list(
        db.session.scalars(db.select(Resident).where(Resident.community_id == community.id).order_by(Resident.id))
    )
    of_grid = [r for r in residents if r.grid_id == grid.id]
    now = as_utc_naive(now_utc())
    opened = Topic(
        community_id=community.id,
        grid_id=grid.id,
        title=OPEN_TITLE,
        body="3号楼门口老人多，常常站着等孩子放学、等车。\n能不能在门口树下放两张长椅，让大家歇歇脚？",
        resident_id=of_grid[0].id,
        created_at=now - timedelta(days=6),
        state="open",
        state_reason="",
        outcome="",
        supports=0,
        **SEED_ORIGIN,
    )
    decided = Topic(
        community_id=community.id,
        grid_id=None,
        title=DECIDED_TITLE,
        body="现在菜市场早上七点开门，很多老人六点就起来了，想早点买到新鲜的菜。\n建议提前到六点半开门。",
        proposed_by_staff_id=staff.id,
        created_at=now - timedelta(days=20),
        state="open",
        state_reason="",
        outcome="",
        supports=0,
        channel="staff",
        entered_by_id=staff.id,
        kiosk_id=None,
    )
    db.session.add_all([opened, decided])
    db.session.flush()
    add_supports(opened, of_grid[1:3], now - timedelta(days=3))
    add_supports(decided, [r for r in residents if r.grid_id != grid.id][:9], now - timedelta(days=15))
    db.session.commit()

    # The meeting: posted as an activity (open to grid 1), signed up for, then held last week.
    tz, day = portal_zone(), today_local() + timedelta(days=2)
    starts_at = as_utc_naive(datetime.combine(day, time(19, 0), tzinfo=tz))
    meeting = create_activity(
        db.session,
        community_id=community.id,
        grids=[grid],
        actor=staff,
        title=MEETING_TITLE,
        description="居民代表、菜市场管理方和社区一起商量早上开门时间。",
        place="南湖路18号社区服务中心一楼大厅",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1, minutes=30),
        signup_closes_at=starts_at - timedelta(hours=2),
        whole_community=False,
        capacity=20,
        held_back=0,
        waiting_list=False,
        helpers_may_sign_up=True,
    )
    for resident in of_grid[:5]:
        try:
            sign_up(db.session, activity_id=meeting.id, resident=resident, now=now_utc(), origin=SEED_ORIGIN,
                    announce=False)  # fmt: skip
        except SignupRefused:
            continue
    link_meeting(db.session, [decided], meeting, actor=staff)
    held = starts_at - timedelta(days=9)  # it took place last week
    db.session.execute(
        update(Activity)
        .where(Activity.id == meeting.id)
        .values(
            starts_at=held, ends_at=held + timedelta(hours=1, minutes=30), signup_closes_at=held - timedelta(hours=2)
        )
    )
    came = db.session.scalars(
        db.select(ActivitySignup.id).where(ActivitySignup.activity_id == meeting.id).order_by(ActivitySignup.id)
    ).all()[:4]
    db.session.execute(
        update(ActivitySignup).where(ActivitySignup.id.in_(came)).values(state="attended", attended_at=held)
    )
    db.session.commit()
    db.session.refresh(meeting)
    close_activity(db.session, meeting, actor=staff, now=now_utc())
    decided.state, decided.decided_by_id = "decided", staff.id
    decided.decided_at = held + timedelta(days=1)
    decided.outcome = "议事会上大家同意：从下个月1日起，菜市场早上六点半开门，先试三个月。\n三个月后再听大家的意见，决定是否一直这样。"
    db.session.commit()
