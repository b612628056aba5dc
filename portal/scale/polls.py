"""Votes (网络微投票) for seed-scale: in every community one poll open now and one closed three weeks ago,
single and multiple choice, every other one limited to a few chosen grids, with ballots from 20-40 % of the
city residents it is for (the demo's own residents are left to the demo) through every channel: online, at
the community's kiosk, with a helper, and on paper.

Rows are what services/polls.py would have written: one ballot per resident and poll (the unique
constraint), a single-choice ballot with one option and a multiple-choice one with one to three, every
ballot cast between the poll's opening and its close (or now). Paper ballots come in batches of up to
BATCH_SIZE per polling place, entered by the community's staff: a batch's `counted` is its ballots, its
`refused` the few that named a resident who had already voted, and `declared` (the subtotal counted at the
place) is their sum."""

from datetime import timedelta

from sqlalchemy import func, select

from ..models import Ballot, BallotChoice, PaperBatch, Poll, PollOption, poll_grids
from .fake import Weighted
from .helpers import HelperPicker

QUESTIONS = [
    ("小区健身器材装在哪里？", ["中心花园", "3幢旁空地", "停车场东侧", "不用装"]),
    ("社区食堂午饭几点开始？", ["11:00", "11:30", "12:00"]),
    ("周末文艺活动想要什么？", ["广场舞", "戏曲", "书法", "电影放映", "手工"]),
    ("楼道里装什么样的扶手？", ["不锈钢扶手", "木质扶手", "带夜光条的扶手", "暂时不装"]),
    ("垃圾清运改在什么时候？", ["早上七点前", "上午九点", "晚上七点后"]),
]
CHANNELS = Weighted([("online", 45), ("kiosk", 15), ("volunteer", 10), ("gridworker", 12), ("paper", 18)])
PLACES = ["社区服务中心一楼", "老年活动室"]
BATCH_SIZE = 40
CHOSEN_GRIDS = 3


def poll_times(rng, is_open: bool, now) -> dict:
    if is_open:
        opens = now - timedelta(days=rng.uniform(1, 6))
        closes = now + timedelta(days=rng.uniform(5, 20))
    else:
        opens = now - timedelta(days=rng.uniform(30, 40))
        closes = now - timedelta(days=rng.uniform(5, 15))
    opens = opens.replace(microsecond=0)
    return {"opens_at": opens, "closes_at": closes.replace(microsecond=0), "created_at": opens - timedelta(days=1)}


def build_polls(loader, rng, figures, city, people, now) -> None:
    session = loader.session
    helpers = HelperPicker(rng, city, loader.audit)
    grids_of = {}
    for grid in city.grids:
        grids_of.setdefault(grid["community_id"], []).append(grid["id"])
    first_poll = (session.scalar(select(func.max(Poll.id))) or 0) + 1
    polls, chosen = [], []  # chosen: the grid ids a poll is limited to ([] for the whole community)
    for community in city.communities:
        cid = community["id"]
        for k in range(figures.polls_per_community):
            question, options = QUESTIONS[rng.randrange(len(QUESTIONS))]
            limited = (k + community["index"]) % 2 == 1 and len(grids_of.get(cid, [])) > 1
            grids = sorted(rng.sample(grids_of[cid], min(CHOSEN_GRIDS, len(grids_of[cid]) - 1))) if limited else []
            staff = city.staff.get(cid) or [city.demo["staff"]]
            polls.append(
                {
                    "community_id": cid,
                    "question": question,
                    "multiple": rng.random() < 0.4,
                    "whole_community": not limited,
                    "results_before_close": rng.random() < 0.3,
                    "created_by_id": rng.choice(staff),
                    **poll_times(rng, k % 2 == 0, now),
                }
            )
            chosen.append((grids, options))
    loader.insert(Poll.__table__, polls)
    poll_ids = session.scalars(select(Poll.id).where(Poll.id >= first_poll).order_by(Poll.id)).all()
    loader.insert(poll_grids, [{"poll_id": p, "grid_id": g} for p, (grids, _o) in zip(poll_ids, chosen, strict=True)
                               for g in grids])  # fmt: skip
    loader.insert(
        PollOption.__table__,
        [
            {"poll_id": poll_id, "position": position, "label": label}
            for poll_id, (_grids, options) in zip(poll_ids, chosen, strict=True)
            for position, label in enumerate(options, 1)
        ],
    )
    option_ids = {}
    for option_id, poll_id in loader.session.execute(
        select(PollOption.id, PollOption.poll_id).where(PollOption.poll_id >= first_poll).order_by(PollOption.id)
    ):
        option_ids.setdefault(poll_id, []).append(option_id)
    by_community = {}
    for person in people:
        by_community.setdefault(person.community_id, []).append(person)
    ballots, picks = [], []
    batches = []  # rows of paper_batch, each with its ballots' indexes in `ballots`
    for poll_id, poll, (grids, _options) in zip(poll_ids, polls, chosen, strict=True):
        eligible = by_community.get(poll["community_id"], [])
        if grids:
            eligible = [person for person in eligible if person.grid_id in set(grids)]
        voters = rng.sample(eligible, round(len(eligible) * rng.uniform(0.2, 0.4)))
        end = min(poll["closes_at"], now)
        paper = {place: [] for place in PLACES}
        for person in voters:
            channel = CHANNELS.pick(rng)
            cast = (poll["opens_at"] + (end - poll["opens_at"]) * rng.random()).replace(microsecond=0)
            if channel == "paper":
                origin = {"channel": "paper", "entered_by_id": None, "kiosk_id": None}
                paper[rng.choice(PLACES)].append(len(ballots))
            else:
                origin = helpers.origin(person, channel)
            changed = cast + (end - cast) * rng.random() if origin["channel"] in ("online", "kiosk") else None
            row = {"poll_id": poll_id, "resident_id": person.id, **origin, "paper_batch_id": None, "created_at": cast,
                   "changed_at": changed.replace(microsecond=0) if changed and rng.random() < 0.1 else None}  # fmt: skip
            ballots.append(row)
            picks.append(choose(rng, option_ids[poll_id], poll["multiple"]))
            if channel != "paper":
                helpers.audit_origin(row, person, "poll.vote", f"poll={poll_id}")
        staff = city.staff.get(poll["community_id"]) or [city.demo["staff"]]
        for place, indexes in paper.items():
            for start in range(0, len(indexes), BATCH_SIZE):
                batches.append((poll_id, place, indexes[start : start + BATCH_SIZE], rng.choice(staff), end))
    write_paper_batches(loader, rng, batches, ballots)
    loader.insert(Ballot.__table__, ballots)
    ids = loader.session.scalars(select(Ballot.id).where(Ballot.poll_id >= first_poll).order_by(Ballot.id)).all()
    loader.insert(
        BallotChoice.__table__,
        [
            {"ballot_id": ballot_id, "option_id": o}
            for ballot_id, chosen in zip(ids, picks, strict=True)
            for o in chosen
        ],
        background=True,
    )


def choose(rng, options: list[int], multiple: bool) -> list[int]:
    """The first options are chosen more often, so results are not a flat tie."""
    weights = [len(options) - i + 1 for i in range(len(options))]
    if not multiple:
        return rng.choices(options, weights)
    return sorted(set(rng.choices(options, weights, k=rng.randint(1, min(3, len(options))))))


def write_paper_batches(loader, rng, batches, ballots) -> None:
    """Each batch entered by staff after its ballots were filled in; its ballots point at it."""
    if not batches:
        return
    first = (loader.session.scalar(select(func.max(PaperBatch.id))) or 0) + 1
    rows = []
    for poll_id, place, indexes, staff_id, end in batches:
        refused = rng.choice((0, 0, 0, 1, 2))
        entered = max(ballots[i]["created_at"] for i in indexes)
        rows.append({"poll_id": poll_id, "place": place, "declared": len(indexes) + refused, "counted": len(indexes),
                     "refused": refused, "entered_by_id": staff_id, "created_at": min(entered, end)})  # fmt: skip
    loader.insert(PaperBatch.__table__, rows)
    ids = loader.session.scalars(select(PaperBatch.id).where(PaperBatch.id >= first).order_by(PaperBatch.id)).all()
    for batch_id, (_poll, _place, indexes, staff_id, _end), row in zip(ids, batches, rows, strict=True):
        for i in indexes:
            ballots[i].update(paper_batch_id=batch_id, entered_by_id=staff_id, created_at=row["created_at"])
        loader.audit.add(row["created_at"], "poll.paper_batch", actor_id=staff_id,
                         detail=f"poll={row['poll_id']}; place={batch_id}", channel="staff")  # fmt: skip
