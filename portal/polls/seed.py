"""Demo data for votes (网络微投票): two polls in 南湖社区. One, for the whole community, is open now and has
ballots from residents online, at the kiosk and with a helper; the other, for grid 1, closed last week
with its results shown, and includes a batch of paper ballots from the community centre. Idempotent,
like seed_demo()."""

from datetime import timedelta

from ..extensions import db
from ..models import Account, Ballot, BallotChoice, Community, Kiosk, PaperBatch, Poll, Resident
from ..services.clock import now_utc
from ..services.dates import as_utc_naive
from ..services.polls import create_poll

OPEN_QUESTION = "社区义诊改在每月哪一天？"
OPEN_OPTIONS = ["每月第一个星期六", "每月15号", "每月最后一个星期天"]
CLOSED_QUESTION = "1网格楼道里装什么样的扶手？"
CLOSED_OPTIONS = ["不锈钢扶手", "木质扶手", "带夜光条的扶手", "暂时不装"]
PAPER_PLACE = "社区服务中心一楼"


def add_ballots(poll: Poll, voters: list, channels: list, account_of: dict, kiosk_id, when, batch=None) -> None:
    """One ballot per voter, choices going round the options (the second option gets most)."""
    options = poll.options
    for index, resident in enumerate(voters):
        channel = channels[index % len(channels)]
        ballot = Ballot(
            poll_id=poll.id,
            resident_id=resident.id,
            channel=channel,
            entered_by_id=account_of.get(channel),
            kiosk_id=kiosk_id if channel == "kiosk" else None,
            paper_batch_id=batch.id if batch is not None and channel == "paper" else None,
            created_at=when + timedelta(minutes=index),
        )
        db.session.add(ballot)
        db.session.flush()
        picks = [options[1]] if index % 3 != 2 else [options[index % len(options)]]
        if poll.multiple and index % 2:
            picks.append(options[0])
        db.session.add_all(
            [BallotChoice(ballot_id=ballot.id, option_id=o.id) for o in {o.id: o for o in picks}.values()]
        )


def seed_polls() -> None:
    community = db.session.scalars(db.select(Community).where(Community.name == "南湖社区")).first()
    staff = db.session.scalars(db.select(Account).filter_by(username="staff")).first()
    if community is None or staff is None:
        return
    if db.session.scalars(db.select(Poll.id).where(Poll.community_id == community.id)).first() is not None:
        return
    volunteer = db.session.scalars(db.select(Account).filter_by(username="volunteer")).first()
    gridworker = db.session.scalars(db.select(Account).filter_by(username="gridworker")).first()
    kiosk = db.session.scalars(db.select(Kiosk).where(Kiosk.community_id == community.id).order_by(Kiosk.id)).first()
    grid = next(g for g in community.grids if g.number == 1)
    residents = list(
        db.session.scalars(db.select(Resident).where(Resident.community_id == community.id).order_by(Resident.id))
    )
    now = as_utc_naive(now_utc())
    account_of = {"volunteer": volunteer.id if volunteer else None, "gridworker": gridworker.id if gridworker else None,
                  "paper": staff.id}  # fmt: skip
    opened = create_poll(db.session, community_id=community.id, question=OPEN_QUESTION, options=OPEN_OPTIONS,
                         multiple=False, opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=12),
                         whole_community=True, grids=[], results_before_close=False, actor=staff,
                         now=now - timedelta(days=3))  # fmt: skip
    # Residents of other grids vote in the open poll: those of grid 1 are left for the demo to vote.
    others = [r for r in residents if r.grid_id != grid.id][:14]
    add_ballots(opened, others, ["online", "kiosk", "volunteer", "online", "gridworker"], account_of,
                kiosk.id if kiosk else None, now - timedelta(days=1))  # fmt: skip
    closed = create_poll(db.session, community_id=community.id, question=CLOSED_QUESTION, options=CLOSED_OPTIONS,
                         multiple=True, opens_at=now - timedelta(days=21), closes_at=now - timedelta(days=7),
                         whole_community=False, grids=[grid], results_before_close=False, actor=staff,
                         now=now - timedelta(days=22))  # fmt: skip
    of_grid = [r for r in residents if r.grid_id == grid.id]
    voters = of_grid[: max(len(of_grid) - 3, 1)]  # a few of grid 1 did not vote
    paper_voters = voters[2::4]
    batch = PaperBatch(poll_id=closed.id, place=PAPER_PLACE, declared=len(paper_voters), counted=len(paper_voters),
                       refused=0, entered_by_id=staff.id, created_at=now - timedelta(days=7))  # fmt: skip
    db.session.add(batch)
    db.session.flush()
    add_ballots(closed, paper_voters, ["paper"], account_of, None, now - timedelta(days=8), batch)
    add_ballots(closed, [r for r in voters if r not in paper_voters], ["online", "kiosk", "volunteer"], account_of,
                kiosk.id if kiosk else None, now - timedelta(days=15))  # fmt: skip
    db.session.commit()
