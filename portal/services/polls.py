"""Votes (网络微投票): creating a poll, casting and changing a ballot, entering a batch of paper ballots
from a polling place, and counting the results.

One ballot per resident and poll is a unique constraint, so a resident who votes online, at a kiosk,
through a helper and on paper at the same moment ends with exactly one ballot:

    INSERT INTO ballot (poll_id, resident_id, channel, ...)          -- a second one fails the constraint
    -- then, only for the resident's own channels (online, kiosk), the ballot is changed in place:
    UPDATE ballot SET changed_at = :now, channel = :channel
     WHERE poll_id = :poll AND resident_id = :resident AND channel IN ('online', 'kiosk')
    DELETE FROM ballot_choice WHERE ballot_id = :ballot;  INSERT INTO ballot_choice ...

A ballot a helper entered, or a paper ballot, is final (the UPDATE matches no row): Consul's rule.

Each public function that changes something is one unit of work: it commits on success and rolls back
on refusal.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, false, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..models import Ballot, BallotChoice, PaperBatch, Poll, PollOption, Resident, poll_grids
from ..models.polls import CHANGEABLE_CHANNELS, MAX_OPTIONS, MIN_OPTIONS
from .audit import record_event
from .dates import as_utc_naive

# How a ballot's channel is counted in the results: the resident themselves online or at a kiosk, a helper
# (volunteer or grid worker) in an assisted session, or paper.
CHANNEL_GROUPS = {"online": "web", "seed": "web", "kiosk": "kiosk", "volunteer": "helper",
                  "gridworker": "helper", "paper": "paper"}  # fmt: skip
GROUPS = ("web", "kiosk", "helper", "paper")
# The words for each group, on the poll's results and on the statistics pages.
GROUP_WORDS = {
    "web": _l("Online, on their own"),
    "kiosk": _l("At a kiosk"),
    "helper": _l("With a helper"),
    "paper": _l("Paper ballot"),
}


class PollRefused(Exception):
    """A rule said no. `reason`: unknown (no such poll), not_open (not yet open, or closed), not_for_you
    (another grid's or community's poll), bad_choice (no option, or more than one in a single-choice
    poll), already_voted (a final ballot exists, or a helper found one the resident cast themselves),
    not_registered (a paper ballot's resident number is not in the community's register)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def open_to(poll: Poll, resident: Resident) -> bool:
    """A community's poll is for all its residents; a grids' poll for the residents of those grids."""
    if resident.community_id != poll.community_id or resident.removed_at is not None:
        return False
    return poll.whole_community or any(grid.id == resident.grid_id for grid in poll.grids)


def create_poll(
    session,
    *,
    community_id: int,
    question: str,
    options: list[str],
    multiple: bool,
    opens_at: datetime,
    closes_at: datetime,
    whole_community: bool,
    grids: list,
    results_before_close: bool,
    actor,
    now: datetime,
) -> Poll:
    """A new poll with its options in the order given. Commits."""
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise PollRefused("bad_choice")
    poll = Poll(
        community_id=community_id,
        question=question,
        multiple=multiple,
        opens_at=as_utc_naive(opens_at),
        closes_at=as_utc_naive(closes_at),
        whole_community=whole_community,
        results_before_close=results_before_close,
        created_by_id=actor.id,
        created_at=as_utc_naive(now),
    )
    poll.grids = [] if whole_community else list(grids)
    poll.options = [PollOption(position=index, label=label) for index, label in enumerate(options, start=1)]
    session.add(poll)
    session.flush()
    record_event(session, "poll.create", actor=actor, detail=f"poll={poll.id}", channel="staff")
    session.commit()
    return poll


def checked_choices(poll: Poll, option_ids) -> list[int]:
    """The poll's own options among `option_ids`, or PollRefused('bad_choice')."""
    known = {option.id for option in poll.options}
    chosen = sorted({int(option_id) for option_id in option_ids if option_id in known})
    if not chosen or len(chosen) != len(set(option_ids)) or (not poll.multiple and len(chosen) != 1):
        raise PollRefused("bad_choice")
    return chosen


def _insert_ballot(session, poll: Poll, resident_id: int, chosen, origin: dict, now_utc, batch_id=None) -> bool:
    """A new ballot with its choices, flushed; False (rolled back to the savepoint) when the resident has one."""
    try:
        with session.begin_nested():
            ballot = Ballot(
                poll_id=poll.id,
                resident_id=resident_id,
                channel=origin["channel"],
                entered_by_id=origin.get("entered_by_id"),
                kiosk_id=origin.get("kiosk_id"),
                paper_batch_id=batch_id,
                created_at=now_utc,
            )
            session.add(ballot)
            session.flush()
            session.add_all([BallotChoice(ballot_id=ballot.id, option_id=option_id) for option_id in chosen])
            session.flush()
    except IntegrityError:
        return False
    return True


def _change_ballot(session, poll: Poll, resident_id: int, chosen, origin: dict, now_utc) -> bool:
    """The resident's own ballot changed in place; False when theirs is final (a helper's or paper)."""
    if origin["channel"] not in CHANGEABLE_CHANNELS:
        return False
    changed = session.execute(
        update(Ballot)
        .where(Ballot.poll_id == poll.id, Ballot.resident_id == resident_id, Ballot.channel.in_(CHANGEABLE_CHANNELS))
        .values(changed_at=now_utc, channel=origin["channel"], kiosk_id=origin.get("kiosk_id"))
        .returning(Ballot.id),
        execution_options={"synchronize_session": False},
    ).scalar_one_or_none()
    if changed is None:
        return False
    session.execute(delete(BallotChoice).where(BallotChoice.ballot_id == changed))
    session.add_all([BallotChoice(ballot_id=changed, option_id=option_id) for option_id in chosen])
    session.flush()
    return True


def cast_ballot(
    session,
    *,
    poll_id: int,
    resident: Resident,
    option_ids,
    origin: dict,
    now: datetime,
    actor=None,
    reason: str = "",
) -> str:
    """The resident's ballot: 'recorded' (a new one) or 'changed' (their own web or kiosk ballot, in
    place); or PollRefused. Commits."""
    poll = session.get(Poll, poll_id)
    if poll is None:
        raise PollRefused("unknown")
    if not open_to(poll, resident):
        raise PollRefused("not_for_you")
    now_utc = as_utc_naive(now)
    if poll.state(now_utc) != "open":
        raise PollRefused("not_open")
    chosen = checked_choices(poll, option_ids)
    resident_id = resident.id
    audit = {"actor": actor, "resident": resident, "reason": reason, "detail": f"poll={poll_id}",
             "channel": origin["channel"], "kiosk_id": origin.get("kiosk_id")}  # fmt: skip
    if _insert_ballot(session, poll, resident_id, chosen, origin, now_utc):
        outcome = "recorded"
        record_event(session, "poll.vote", **audit)
    elif _change_ballot(session, poll, resident_id, chosen, origin, now_utc):
        outcome = "changed"
        record_event(session, "poll.change_vote", **audit)
    else:
        session.rollback()
        raise PollRefused("already_voted")
    session.commit()
    return outcome


def ballot_of(session, poll_id: int, resident_id: int) -> Ballot | None:
    return session.scalars(
        select(Ballot)
        .where(Ballot.poll_id == poll_id, Ballot.resident_id == resident_id)
        .options(selectinload(Ballot.choices))
    ).first()


def voted_ids(session, poll_ids: list[int], resident_id: int) -> set[int]:
    """Which of these polls the resident has voted in (one SELECT for a whole page)."""
    if not poll_ids:
        return set()
    return set(
        session.scalars(select(Ballot.poll_id).where(Ballot.poll_id.in_(poll_ids), Ballot.resident_id == resident_id))
    )


# -- paper ballots ------------------------------------------------------------------------------
@dataclass
class PaperLine:
    number: str  # the resident number written on the ballot's counterfoil
    option_ids: list
    refused: str = ""  # a PollRefused reason when it was not counted


@dataclass
class BatchResult:
    batch: PaperBatch
    lines: list = field(default_factory=list)

    @property
    def refused(self) -> list:
        return [line for line in self.lines if line.refused]


def enter_paper_batch(
    session, poll: Poll, *, place: str, declared: int, lines: list[PaperLine], actor, now: datetime
) -> BatchResult:
    """A batch of paper ballots from one polling place. Each ballot is checked against the residents
    register (the resident number must be a resident the poll is for) and against every ballot already
    cast through any channel; the ones that fail are kept out and listed with the reason. Commits."""
    now_utc = as_utc_naive(now)
    batch = PaperBatch(poll_id=poll.id, place=place, declared=declared, entered_by_id=actor.id, created_at=now_utc)
    session.add(batch)
    session.flush()
    numbers = {line.number for line in lines}
    residents = {
        r.number: r
        for r in session.scalars(
            select(Resident).where(Resident.number.in_(numbers), Resident.community_id == poll.community_id)
        )
    }
    origin = {"channel": "paper", "entered_by_id": actor.id, "kiosk_id": None}
    for line in lines:
        resident = residents.get(line.number)
        try:
            if resident is None or resident.removed_at is not None:
                raise PollRefused("not_registered")
            if not open_to(poll, resident):
                raise PollRefused("not_for_you")
            chosen = checked_choices(poll, line.option_ids)
        except PollRefused as refused:
            line.refused = refused.reason
            continue
        if not _insert_ballot(session, poll, resident.id, chosen, origin, now_utc, batch.id):
            line.refused = "already_voted"
            continue
        record_event(session, "poll.paper_ballot", actor=actor, resident=resident,
                     detail=f"poll={poll.id}; place={batch.id}", channel="paper")  # fmt: skip
    batch.counted = sum(1 for line in lines if not line.refused)
    batch.refused = len(lines) - batch.counted
    record_event(session, "poll.paper_batch", actor=actor, detail=f"poll={poll.id}; place={batch.id}", channel="staff")
    session.commit()
    return BatchResult(batch, lines)


def place_subtotals(session, poll_id: int) -> list:
    """Per polling place: (place, batches, ballots declared, ballots counted, refused), by place."""
    return session.execute(
        select(
            PaperBatch.place,
            func.count(),
            func.sum(PaperBatch.declared),
            func.sum(PaperBatch.counted),
            func.sum(PaperBatch.refused),
        )
        .where(PaperBatch.poll_id == poll_id)
        .group_by(PaperBatch.place)
        .order_by(PaperBatch.place)
    ).all()


# -- results ------------------------------------------------------------------------------------
@dataclass
class Results:
    poll: Poll
    counts: dict  # option id -> ballots choosing it
    ballots: int
    by_group: dict  # web / kiosk / helper / paper -> ballots
    eligible: int

    def share(self, option_id: int) -> float | None:
        return None if not self.ballots else self.counts.get(option_id, 0) / self.ballots


def eligible_residents(session, poll: Poll) -> int:
    query = (
        select(func.count())
        .select_from(Resident)
        .where(Resident.community_id == poll.community_id, Resident.removed_at.is_(None))
    )
    if not poll.whole_community:
        grid_ids = select(poll_grids.c.grid_id).where(poll_grids.c.poll_id == poll.id)
        query = query.where(Resident.grid_id.in_(grid_ids))
    return session.scalar(query) or 0


def count_results(session, poll: Poll) -> Results:
    """Ballots per option and per channel, each one GROUP BY."""
    counts = dict(
        session.execute(
            select(BallotChoice.option_id, func.count())
            .join(Ballot, Ballot.id == BallotChoice.ballot_id)
            .where(Ballot.poll_id == poll.id)
            .group_by(BallotChoice.option_id)
        ).all()
    )
    by_group = dict.fromkeys(GROUPS, 0)
    for channel, number in session.execute(
        select(Ballot.channel, func.count()).where(Ballot.poll_id == poll.id).group_by(Ballot.channel)
    ):
        by_group[CHANNEL_GROUPS.get(channel, "web")] += number
    return Results(poll, counts, sum(by_group.values()), by_group, eligible_residents(session, poll))


def results_visible(poll: Poll, now: datetime, manages: bool) -> bool:
    """Staff always see the count; residents after the close, or while it is open when staff allowed it."""
    state = poll.state(as_utc_naive(now))
    return manages or state == "closed" or (state == "open" and poll.results_before_close)


# -- lists --------------------------------------------------------------------------------------
def polls_query(community_id: int, grid_id: int | None = None, *, every_grid: bool = False):
    """A community's polls, those closing last first: with a grid, only those its residents may vote in;
    `every_grid` (staff) all of them."""
    query = select(Poll).where(Poll.community_id == community_id)
    if grid_id is not None:
        in_grid = select(poll_grids.c.poll_id).where(poll_grids.c.grid_id == grid_id)
        query = query.where(or_(Poll.whole_community.is_(True), Poll.id.in_(in_grid)))
    elif not every_grid:
        query = query.where(Poll.whole_community.is_(True))
    return query.order_by(Poll.closes_at.desc(), Poll.id.desc())


def open_polls_for_grid(session, grid, now: datetime, how_many: int) -> list[Poll]:
    """The grid page's few: polls open now that the grid's residents may vote in, closing soonest first."""
    now_utc = as_utc_naive(now)
    in_grid = select(poll_grids.c.poll_id).where(poll_grids.c.grid_id == grid.id)
    query = (
        select(Poll)
        .where(
            Poll.community_id == grid.community_id,
            or_(Poll.whole_community.is_(True), Poll.id.in_(in_grid)),
            Poll.opens_at <= now_utc,
            Poll.closes_at > now_utc,
        )
        .order_by(Poll.closes_at, Poll.id)
        .limit(how_many)
    )
    return list(session.scalars(query))


def no_polls():
    return select(Poll).where(false())
