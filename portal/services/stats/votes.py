"""Votes (网络微投票, issue 11): one row per poll that was open at some time in the period, with its ballots
by channel (online on their own, at a kiosk, with a helper, on paper), the residents it is for and the
turnout. On a grid's page, only the polls its residents could vote in, counting its own residents. Four
statements whatever the number of polls: the polls, their ballots by channel, the residents per grid, and
which grids each grid-only poll is for."""

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ...models import Ballot, Poll, Resident, poll_grids
from ..polls import CHANNEL_GROUPS, GROUP_WORDS, GROUPS
from .context import Context
from .table import Column, Row, Section, Table

# The polls of one period a page shows at most, those closing last first.
MOST_POLLS = 20


def sections(ctx: Context) -> list[Section]:
    return [Section("votes", _("Votes"), [per_poll(ctx)])]


def polls_in_period(ctx: Context) -> list[Poll]:
    where = [
        Poll.community_id == ctx.scope.community.id,
        Poll.opens_at < ctx.period.end,
        Poll.closes_at > ctx.period.start,
    ]
    if ctx.scope.grid is not None:
        in_grid = select(poll_grids.c.poll_id).where(poll_grids.c.grid_id == ctx.scope.grid.id)
        where.append(or_(Poll.whole_community.is_(True), Poll.id.in_(in_grid)))
    query = select(Poll).where(*where).order_by(Poll.closes_at.desc(), Poll.id.desc()).limit(MOST_POLLS)
    return list(ctx.session.scalars(query))


def ballots_by_group(ctx: Context, poll_ids: list[int]) -> dict:
    query = select(Ballot.poll_id, Ballot.channel, func.count()).where(Ballot.poll_id.in_(poll_ids))
    if ctx.scope.grid is not None:
        query = query.join(Resident, Ballot.resident_id == Resident.id).where(Resident.grid_id == ctx.scope.grid.id)
    found = {poll_id: dict.fromkeys(GROUPS, 0) for poll_id in poll_ids}
    for poll_id, channel, number in ctx.session.execute(query.group_by(Ballot.poll_id, Ballot.channel)):
        found[poll_id][CHANNEL_GROUPS.get(channel, "web")] += number
    return found


def residents_it_is_for(ctx: Context, polls: list[Poll]) -> dict:
    """poll id -> residents who may vote in it (in the grid, on a grid's page), as the poll pages count them."""
    per_grid = dict(
        ctx.session.execute(
            select(Resident.grid_id, func.count())
            .where(*ctx.scope.where(Resident.community_id, Resident.grid_id), Resident.removed_at.is_(None))
            .group_by(Resident.grid_id)
        ).all()
    )
    grids_of = {}
    for poll_id, grid_id in ctx.session.execute(
        select(poll_grids.c.poll_id, poll_grids.c.grid_id).where(
            poll_grids.c.poll_id.in_([p.id for p in polls if not p.whole_community])
        )
    ):
        grids_of.setdefault(poll_id, set()).add(grid_id)
    return {
        poll.id: sum(
            n for grid_id, n in per_grid.items() if poll.whole_community or grid_id in grids_of.get(poll.id, ())
        )
        for poll in polls
    }


def per_poll(ctx: Context) -> Table:
    polls = polls_in_period(ctx)
    ballots = ballots_by_group(ctx, [p.id for p in polls])
    eligible = residents_it_is_for(ctx, polls)
    rows = []
    for poll in polls:
        values = dict(ballots[poll.id])
        values["total"] = sum(values.values())
        values["eligible"] = eligible[poll.id]
        rows.append(Row(str(poll.id), poll.question, values))
    columns = [Column(group, str(GROUP_WORDS[group]), part=True) for group in GROUPS] + [
        Column("total", _("All ballots")),
        Column("eligible", _("Residents it is for")),
        Column("turnout", _("Turnout"), kind="share", num="total", den=("eligible",)),
    ]
    return Table(
        key="votes",
        title=_("Ballots and turnout in each vote"),
        description=_(
            "Votes open at some time in the period: the ballots so far, by how residents voted, and the share "
            "of the residents each vote is for who voted."
        ),
        columns=columns,
        rows=rows,
        chart="stack",
        across=True,
    )
