"""Mutual aid (邻里互助) for seed-scale: needs and offers of every category from the city's residents, for their
grid or the whole community, in every state a post reaches (open, matched, done, closed, expired), with the
neighbours' answers (proposed, confirmed by the grid worker, declined with a reason), a few reports waiting
for the grid worker, and the calls the grid worker owes residents without a mobile.

A post is what services/aid.py would have left: open ones are younger than their 14 days, expired ones were
closed by the sweep when their 14 days ran out, matched and done ones have exactly one confirmed match
(decided by their grid's worker when the post was matched), a neighbour answers a post at most once and never
their own. A post's open_reports is the number of its reports the grid worker has not looked at."""

from datetime import timedelta

from sqlalchemy import func, select

from ..models import AidCall, AidMatch, AidPost, AidReport
from ..services.aid import OPEN_DAYS
from .fake import Weighted
from .helpers import HelperPicker

STATES = Weighted([("open", 30), ("matched", 12), ("done", 21), ("closed", 17), ("expired", 20)])
CHANNELS = Weighted([("online", 50), ("kiosk", 15), ("volunteer", 15), ("gridworker", 20)])
# (kind, category): what residents write.
TEXTS = {
    ("need", "errand"): ["周四上午需要有人帮我去社区医院取药", "腿脚不便，想请邻居帮忙买点米和油"],
    ("need", "item"): ["想借一副拐杖用两个星期", "家里缺一个血压计，谁有闲置的可以借用"],
    ("need", "company"): ["独居老人，希望有人周末陪着聊聊天", "想找人陪我去公园散散步"],
    ("need", "repair"): ["厨房水龙头一直滴水，想请会修的邻居看看", "门锁不太好用，想请人帮忙换一下"],
    ("need", "other"): ["手机不会用微信视频，想请年轻人教一教", "想请人帮忙看看电费单子"],
    ("offer", "errand"): ["每天早上去菜场，可以帮邻居带菜", "周末开车去超市，可以顺路帮忙买东西"],
    ("offer", "item"): ["家里有一台闲置的轮椅，可以借给需要的邻居", "有几本大字版的书，送给爱看书的老人"],
    ("offer", "company"): ["可以陪独居老人聊聊天、散散步，每周两次", "退休教师，可以陪老人读读报"],
    ("offer", "repair"): ["会修小家电，邻居有需要可以找我", "会换灯泡、修水管，周末有空"],
    ("offer", "other"): ["会剪头发，可以给行动不便的老人上门理发", "可以教老人用智能手机"],
}
AGREED = ["周六上午十点上门，材料费由住户自付。", "每周二、五下午三点在小区花园见面。", "明天上午九点在楼下交接。"]
DECLINED = ["时间对不上，双方都同意不成了。", "邻居住得太远，不方便。", "住户已经自己解决了。"]
CLOSED = ["已经不需要了。", "东西已经送出去了。", "家里人来帮忙了。"]
REPORTS = ["帖子里写了别人的电话号码。", "像是在卖东西。", "内容不太合适。"]
# Of the open posts, this share has reports the grid worker has not looked at yet.
REPORTED = 0.03


def days(rng, low: float, high: float) -> timedelta:
    return timedelta(days=rng.uniform(low, high))


def post_times(rng, state: str, now) -> dict:
    """created_at and the times the state says, all before `now`."""
    if state == "open":
        created = now - days(rng, 0.1, OPEN_DAYS - 0.5)
    elif state == "matched":
        created = now - days(rng, 4, 30)
    elif state == "expired":
        created = now - days(rng, OPEN_DAYS + 1, 300)
    else:
        created = now - days(rng, 12, 300)
    created = created.replace(microsecond=0)
    times = {"created_at": created, "expires_at": created + timedelta(days=OPEN_DAYS), "matched_at": None,
             "done_at": None, "closed_at": None}  # fmt: skip
    if state in ("matched", "done"):
        times["matched_at"] = created + days(rng, 0.2, 3)
    if state == "done":
        times["done_at"] = times["matched_at"] + days(rng, 1, 7)
    if state == "closed":
        times["closed_at"] = created + days(rng, 0.5, 10)
    if state == "expired":
        times["closed_at"] = times["expires_at"]
    return times


def build_aid(loader, rng, figures, city, people, now) -> None:
    session = loader.session
    helpers = HelperPicker(rng, city, loader.audit)
    by_grid = {}
    for person in people:
        by_grid.setdefault(person.grid_id, []).append(person)
    grids = [grid_id for grid_id, pool in by_grid.items() if len(pool) >= 2]
    if not grids:
        return
    first_new = (session.scalar(select(func.max(AidPost.id))) or 0) + 1
    rows, posters = [], []
    for _ in range(figures.aid_posts):
        person = rng.choice(by_grid[rng.choice(grids)])
        state = STATES.pick(rng)
        kind, category = rng.choice(list(TEXTS))
        row = {
            "community_id": person.community_id,
            "grid_id": person.grid_id,
            "whole_community": rng.random() < 0.25,
            "building_id": person.building_id,
            "resident_id": person.id,
            "kind": kind,
            "category": category,
            "text": rng.choice(TEXTS[kind, category]),
            "state": state,
            "state_reason": rng.choice(CLOSED) if state == "closed" else "",
            **helpers.origin(person, CHANNELS.pick(rng)),
            **post_times(rng, state, now),
            "reminded_at": None,
            "moderated_at": None,
            "moderated_by_id": None,
            "open_reports": 0,
        }
        rows.append(row)
        posters.append(person)
    reported = [i for i, row in enumerate(rows) if row["state"] == "open" and rng.random() < REPORTED]
    for i in reported:
        rows[i]["open_reports"] = rng.randint(1, 2)
    loader.insert(AidPost.__table__, rows)
    ids = loader.session.scalars(select(AidPost.id).where(AidPost.id >= first_new).order_by(AidPost.id)).all()
    for post_id, row, person in zip(ids, rows, posters, strict=True):
        helpers.audit_origin(row, person, "aid.post", f"aid_post={post_id}")
    posts = list(zip(ids, rows, posters, strict=True))
    write_matches(loader, rng, figures, city, helpers, posts, by_grid, now)
    write_reports(loader, rng, [posts[i] for i in reported], by_grid, now)
    write_calls(loader, city, posts)


def neighbour(rng, pool, taken: set):
    """A resident of the pool not yet in `taken` (the poster is in it from the start), or None."""
    for _ in range(8):
        person = rng.choice(pool)
        if person.id not in taken:
            taken.add(person.id)
            return person
    return None


def write_matches(loader, rng, figures, city, helpers, posts, by_grid, now) -> None:
    """A confirmed match for each matched or done post; the rest of the figure as proposals on open posts
    (what the grid workers' queues hold) and declined answers on posts of any state."""
    taken = {post_id: {person.id} for post_id, _row, person in posts}
    wanted = []  # (post, state)
    for post in posts:
        if post[1]["state"] in ("matched", "done"):
            wanted.append((post, "confirmed"))
    rest = max(0, figures.aid_matches - len(wanted))
    open_posts = [post for post in posts if post[1]["state"] == "open"]
    proposals = round(rest * 0.7) if open_posts else 0
    wanted += [(rng.choice(open_posts), "proposed") for _ in range(proposals)]
    wanted += [(rng.choice(posts), "declined") for _ in range(rest - proposals)]
    rows, people = [], []
    for (post_id, post, poster), state in wanted:
        person = neighbour(rng, by_grid[poster.grid_id], taken[post_id])
        if person is None:
            continue
        worker = city.worker.get(post["grid_id"])
        decided = post["matched_at"] if state == "confirmed" else None
        if state == "confirmed":
            created = post["created_at"] + (decided - post["created_at"]) * rng.uniform(0.1, 0.9)
        else:
            end = post["closed_at"] or post["done_at"] or now
            created = post["created_at"] + (end - post["created_at"]) * rng.uniform(0.05, 0.6)
            if state == "declined":
                decided = created + (end - created) * rng.uniform(0.1, 0.9)
        rows.append(
            {
                "post_id": post_id,
                "resident_id": person.id,
                "state": state,
                **helpers.origin(person, CHANNELS.pick(rng)),
                "created_at": created.replace(microsecond=0),
                "decided_at": decided,
                "decided_by_id": worker if decided is not None else None,
                "agreed": rng.choice(AGREED) if state == "confirmed" else "",
                "decline_reason": rng.choice(DECLINED) if state == "declined" else "",
            }
        )
        people.append(person)
    rows_people = sorted(zip(rows, people, strict=True), key=lambda pair: (pair[0]["post_id"], pair[0]["created_at"]))
    rows = [row for row, _person in rows_people]
    for row, person in rows_people:
        helpers.audit_origin(row, person, "aid.propose", f"aid_post={row['post_id']}")
    loader.insert(AidMatch.__table__, rows, background=True)


def write_reports(loader, rng, reported, by_grid, now) -> None:
    rows = []
    for post_id, post, poster in reported:
        taken = {poster.id}
        for _ in range(post["open_reports"]):
            person = neighbour(rng, by_grid[poster.grid_id], taken)
            if person is None:
                break
            created = post["created_at"] + (now - post["created_at"]) * rng.uniform(0.2, 0.9)
            rows.append({"post_id": post_id, "resident_id": person.id, "reason": rng.choice(REPORTS),
                         "created_at": created.replace(microsecond=0)})  # fmt: skip
    # open_reports counts the reports written, should a grid have had too few neighbours.
    counts = {}
    for row in rows:
        counts[row["post_id"]] = counts.get(row["post_id"], 0) + 1
    for post_id, post, _poster in reported:
        if counts.get(post_id, 0) != post["open_reports"]:
            loader.execute(
                AidPost.__table__.update().where(AidPost.id == post_id).values(open_reports=counts.get(post_id, 0))
            )
    loader.insert(AidReport.__table__, rows, background=True)


def write_calls(loader, city, posts) -> None:
    """The grid worker tells a poster without a mobile that their post was matched; done for done posts."""
    rows = [
        {
            "grid_id": post["grid_id"],
            "resident_id": poster.id,
            "post_id": post_id,
            "reason": "matched",
            "text": "您的互助帖子有邻居响应了，网格员会和您约时间。",
            "created_at": post["matched_at"],
            "done_at": post["done_at"],
            "done_by_id": city.worker.get(post["grid_id"]) if post["done_at"] is not None else None,
        }
        for post_id, post, poster in posts
        if post["state"] in ("matched", "done") and not poster.has_phone
    ]
    loader.insert(AidCall.__table__, rows, background=True)
