"""Notices for seed-scale: about five per grid over the year (most for one grid, some for the whole
community, one in five important), and the reads of the residents who opened them (one per resident and
notice at most, as the unique constraint requires)."""

from datetime import timedelta

from sqlalchemy import func, select

from ..models import Notice, NoticeRead, notice_grids

PER_GRID = 5
# Of a grid's residents, at most this many open each notice.
READERS = 12
TOPICS = [
    ("停水通知", "因管道检修，本周六8:00至14:00停水，请提前储水。"),
    ("楼道清理", "请各户把楼道里的杂物在本月底前搬走，消防通道保持畅通。"),
    ("义诊活动", "社区卫生服务站周三上午义诊，免费量血压、测血糖。"),
    ("垃圾分类宣传", "本周末在小区广场有垃圾分类宣传，欢迎参加。"),
    ("电梯维保", "2号电梯本周二维保，请走楼梯或使用1号电梯。"),
    ("防诈骗提醒", "近期有人冒充社区工作人员上门，请认准工作证，有疑问打网格员电话。"),
]


def build_notices(loader, rng, city, people, now, today) -> None:
    session = loader.session
    first_new = (session.scalar(select(func.max(Notice.id))) or 0) + 1
    rows, targets = [], []  # targets: the grid id a row is for, None for the whole community
    for grid in city.grids:
        authors = city.staff.get(grid["community_id"]) or [city.demo["staff"]]
        for k in range(PER_GRID):
            start = today - timedelta(days=rng.randrange(0, 360))
            whole = k == 0 and grid["number"] == 1  # each community's first grid carries its community-wide ones
            title, body = TOPICS[rng.randrange(len(TOPICS))]
            rows.append(
                {
                    "community_id": grid["community_id"],
                    "whole_community": whole,
                    "language": "zh",
                    "title": title,
                    "body": body,
                    "title_other": "",
                    "body_other": "",
                    "important": rng.random() < 0.2,
                    "starts_on": start,
                    "ends_on": start + timedelta(days=rng.randrange(3, 31)),
                    "author_id": rng.choice(authors),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            targets.append(None if whole else grid["id"])
    loader.insert(Notice.__table__, rows)
    # The database numbers the rows in the order they went in.
    ids = loader.session.scalars(select(Notice.id).where(Notice.id >= first_new).order_by(Notice.id)).all()
    loader.insert(notice_grids, [{"notice_id": i, "grid_id": g} for i, g in zip(ids, targets, strict=True) if g])

    by_grid = {}
    for person in people:
        by_grid.setdefault(person.grid_id, []).append(person.id)
    reads = []
    for notice_id, grid_id in zip(ids, targets, strict=True):
        pool = by_grid.get(grid_id, []) if grid_id else []
        for resident_id in rng.sample(pool, min(len(pool), rng.randrange(0, READERS + 1))):
            reads.append({"notice_id": notice_id, "resident_id": resident_id, "read_at": now, "channel": "online"})
    loader.insert(NoticeRead.__table__, reads, background=True)
