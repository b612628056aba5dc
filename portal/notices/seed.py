"""Demo notices in 南湖社区: one important, one that has ended, one for grid 1 only, and one for the whole
community with an English translation. Idempotent: each demo notice is found by its title. The dates
follow the demo's clock, so the current ones are current on the day the demo is loaded."""

from datetime import timedelta

from ..extensions import db
from ..models import Account, Community, Notice, utcnow
from ..services.clock import today_local

# title, body, English title, English body, important, start (days from today), end, grid numbers (None: all)
DEMO_NOTICES = [
    (
        "12月5日上午停水通知",
        "因供水管道检修，12月5日（周六）8:00至14:00第一、第二网格停水。\n\n请提前储水。如有困难，请联系网格员。",
        "",
        "",
        True,
        -1,
        6,
        None,
    ),
    (
        "冬季义诊：免费量血压、测血糖",
        "社区卫生服务站每周三上午义诊，欢迎老人家来。\n\n可在网上预约：https://linli.example.cn/health/",
        "Free winter clinic: blood pressure and blood sugar",
        "Free checks at the community health station every Wednesday morning. All older residents are "
        "welcome.\n\nBook online: https://linli.example.cn/health/",
        False,
        -3,
        30,
        None,
    ),
    (
        "1幢楼道灯更换",
        "1幢各楼层楼道灯本周更换为感应灯，施工期间请注意脚下。",
        "",
        "",
        False,
        -2,
        10,
        [1],
    ),
    (
        "国庆假期值班安排",
        "国庆期间社区办公室每天9:00至12:00有人值班。",
        "",
        "",
        False,
        -60,
        -50,
        None,
    ),
]


def seed_notices() -> int:
    community = db.session.scalars(db.select(Community).filter_by(name="南湖社区")).first()
    staff = db.session.scalars(db.select(Account).filter_by(username="staff")).first()
    if community is None or staff is None:
        return 0
    today = today_local()
    made = 0
    for title, body, title_en, body_en, important, start, end, grid_numbers in DEMO_NOTICES:
        if db.session.scalars(db.select(Notice.id).filter_by(community_id=community.id, title=title)).first():
            continue
        notice = Notice(
            community_id=community.id,
            author_id=staff.id,
            language="zh",
            title=title,
            body=body,
            title_other=title_en,
            body_other=body_en,
            important=important,
            starts_on=today + timedelta(days=start),
            ends_on=today + timedelta(days=end),
            whole_community=grid_numbers is None,
            created_at=utcnow(),
            updated_at=utcnow(),
        )
        notice.grids = [] if grid_numbers is None else [g for g in community.grids if g.number in grid_numbers]
        db.session.add(notice)
        made += 1
    db.session.commit()
    return made
