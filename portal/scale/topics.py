"""Topics and meetings (议事会) for seed-scale: two topics per grid (each community's first grid also carries
one for the whole community), a fifth of them decided with an outcome, and supports from the grid's
residents (at most one per resident and topic, as the unique index requires), with the count on each
topic equal to its supports. Channels: mostly self-service, some at a kiosk or through a helper."""

from datetime import timedelta

from sqlalchemy import func, select

from ..models import Topic, TopicSupport

PER_GRID = 2
# Of a grid's residents, at most this many support each topic.
SUPPORTERS = 15
CHANNELS = ("online",) * 6 + ("kiosk",) * 2 + ("volunteer", "gridworker")
TITLES = [
    ("楼下加装晾衣架", "楼下空地能不能装几个晾衣架，冬天晒被子方便。"),
    ("小区门口增设长椅", "门口等车的老人多，建议放几张长椅。"),
    ("电动车充电桩", "电动车在楼道充电不安全，希望在车棚装充电桩。"),
    ("楼道灯改声控", "晚上楼道太黑，建议改成声控灯。"),
    ("菜市场开门时间", "早上菜市场开门太晚，建议提前半小时。"),
]


def build_topics(loader, rng, city, people, now) -> None:
    session = loader.session
    first_new = (session.scalar(select(func.max(Topic.id))) or 0) + 1
    rows, targets = [], []  # targets: (community id, grid id or None) of each row, in order
    for grid in city.grids:
        wanted = [grid["id"]] * PER_GRID + ([None] if grid["number"] == 1 else [])
        for grid_id in wanted:
            title, body = TITLES[rng.randrange(len(TITLES))]
            created = now - timedelta(days=rng.randrange(1, 300))
            decided = rng.random() < 0.2
            rows.append(
                {
                    "community_id": grid["community_id"],
                    "grid_id": grid_id,
                    "title": title,
                    "body": body,
                    "state": "decided" if decided else "open",
                    "state_reason": "",
                    "supports": 0,
                    "proposed_by_staff_id": city.demo["staff"] if grid_id is None else None,
                    "channel": "staff" if grid_id is None else rng.choice(CHANNELS),
                    "created_at": created,
                    "outcome": "议事会同意，下个月落实。" if decided else "",
                    "decided_at": created + timedelta(days=14) if decided else None,
                }
            )
            targets.append((grid["community_id"], grid_id or grid["id"]))
    # Supports first counted here, so each topic's count equals its rows.
    by_grid = {}
    for person in people:
        by_grid.setdefault(person.grid_id, []).append(person.id)
    chosen = []
    for row, (_community_id, grid_id) in zip(rows, targets, strict=True):
        pool = by_grid.get(grid_id, [])
        picked = rng.sample(pool, min(len(pool), rng.randrange(0, SUPPORTERS + 1)))
        row["supports"] = len(picked)
        chosen.append(picked)
    loader.insert(Topic.__table__, rows)
    ids = session.scalars(select(Topic.id).where(Topic.id >= first_new).order_by(Topic.id)).all()
    supports = [
        {"topic_id": topic_id, "resident_id": resident_id, "channel": rng.choice(CHANNELS), "created_at": now}
        for topic_id, picked in zip(ids, chosen, strict=True)
        for resident_id in picked
    ]
    loader.insert(TopicSupport.__table__, supports, background=True)
