"""Community activities at city size: activities in every community over the past two months and the
coming four weeks, and their sign-ups (places taken up to the online limit, then a waiting list in
order; past activities have their attendance counted). Activities are few enough to insert with
RETURNING; sign-ups go through the bulk loader. Each activity's `taken` and `last_position` counters
are written to match its sign-ups, so the CHECK constraints and the conditional UPDATEs hold."""

from datetime import timedelta

from sqlalchemy import insert, select

from ..models import Activity, ActivitySignup
from ..services.booking import REFERENCE_ALPHABET, REFERENCE_LENGTH
from .fake import UniqueDraws

TITLES = [
    "书法班",
    "太极拳",
    "健康讲座",
    "剪纸课",
    "合唱排练",
    "手机使用课",
    "包饺子",
    "象棋比赛",
    "防诈骗讲座",
    "读书会",
]
PLACES = ["社区服务中心活动室", "社区服务中心一楼大厅", "邻里中心二楼", "小区广场"]


def write_activities(loader, rng, figures, people, demo, now) -> None:
    """`figures.activities` activities, spread over the communities where people live (the demo's too)."""
    by_community = {}
    for person in people:
        by_community.setdefault(person.community_id, []).append(person)
    communities = sorted(by_community)
    if not communities or not figures.activities:
        return
    plans = []
    for index in range(figures.activities):
        community = demo["community"] if index % 5 == 0 else communities[index % len(communities)]
        starts = now.replace(minute=0) + timedelta(days=rng.randint(-60, 28), hours=rng.randint(-6, 6))
        capacity = rng.randint(10, 60)
        plans.append(
            {
                "community_id": community,
                "title": TITLES[index % len(TITLES)],
                "description": "",
                "place": PLACES[index % len(PLACES)],
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "signup_closes_at": starts - timedelta(hours=12),
                "whole_community": True,
                "capacity": capacity,
                "held_back": rng.randint(0, min(5, capacity - 1)),
                "taken": 0,
                "waiting_list": True,
                "last_position": 0,
                "helpers_may_sign_up": True,
                "state": "open" if starts > now else "closed",
                "state_reason": "",
                "attendance": None,
                "created_by_id": demo["staff"] if community == demo["community"] else None,
                "created_at": starts - timedelta(days=14),
            }
        )
    signups, codes = [], UniqueDraws(rng, REFERENCE_ALPHABET, REFERENCE_LENGTH,
                                      loader.session.scalars(select(ActivitySignup.code)))  # fmt: skip
    share = max(1, figures.activity_signups // figures.activities)
    for plan in plans:
        pool = by_community.get(plan["community_id"]) or people
        wanted = min(len(pool), rng.randint(share // 2, share * 2))
        online = plan["capacity"] - plan["held_back"]
        past = plan["state"] == "closed"
        plan["rows"] = []
        for number, person in enumerate(rng.sample(pool, wanted)):
            has_place = number < online
            state = ("attended" if rng.random() < 0.8 else "signed_up") if has_place and past else "signed_up"
            if not has_place:
                state = "cancelled" if past else "waiting"
            plan["rows"].append(
                {
                    "resident_id": person.id,
                    "code": codes.draw(),
                    "state": state,
                    "position": number - online + 1 if state == "waiting" else None,
                    "at_desk": False,
                    "locale": "zh_Hans_CN",
                    "channel": "online" if number % 3 else "kiosk",
                    "created_at": plan["created_at"] + timedelta(hours=number),
                    "attended_at": plan["starts_at"] if state == "attended" else None,
                    "ended_at": plan["starts_at"] if state == "cancelled" else None,
                }
            )
        plan["taken"] = sum(row["state"] in ("signed_up", "attended") for row in plan["rows"])
        plan["last_position"] = max([row["position"] or 0 for row in plan["rows"]] or [0])
        if past:
            plan["attendance"] = sum(row["state"] == "attended" for row in plan["rows"])
    loader.bar("activity", len(plans))
    table = Activity.__table__
    ids = (
        loader.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True),
            [{k: v for k, v in plan.items() if k != "rows"} for plan in plans],
        )
        .scalars()
        .all()
    )
    loader.added["activity"] += len(ids)
    loader.finish("activity")
    for activity_id, plan in zip(ids, plans, strict=True):
        signups += [{"activity_id": activity_id, **row} for row in plan["rows"]]
    loader.insert(ActivitySignup.__table__, signups)
    loader.finish("activity_signup")
