"""Votes (网络微投票): staff put one question to the residents of a community or of chosen grids, with two
to eight options, single or multiple choice, between an opening and a closing time.

The database holds the invariants:
- one ballot per resident and poll, whatever the channel (web, kiosk, helper, paper): a unique constraint
  on (poll_id, resident_id);
- an option is chosen at most once on a ballot: the primary key of ballot_choice;
- a ballot's channel is one the portal knows (CHECK).
A web or kiosk ballot (the resident's own) can be changed until the close, in place (services/polls.py);
a helper's ballot and a paper ballot are final.

Times are naive UTC like every other timestamp here.
"""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .areas import Community, Grid
from .people import Account, Resident, utcnow

QUESTION_LENGTH = 200
OPTION_LENGTH = 80
PLACE_LENGTH = 80
MIN_OPTIONS, MAX_OPTIONS = 2, 8
# The channels a ballot can come through: the resident online or at a kiosk (changeable), a helper in an
# assisted session or a paper ballot entered by staff (final).
BALLOT_CHANNELS = ("online", "kiosk", "volunteer", "gridworker", "paper", "seed")
CHANGEABLE_CHANNELS = ("online", "kiosk")

poll_grids = Table(
    "poll_grid",
    db.metadata,
    Column("poll_id", Integer, ForeignKey("poll.id"), primary_key=True),
    Column("grid_id", Integer, ForeignKey("grid.id"), primary_key=True, index=True),
)


class Poll(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    question: Mapped[str] = mapped_column(String(QUESTION_LENGTH))
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    # Everyone in the community, or only the residents of the grids in poll_grid.
    whole_community: Mapped[bool] = mapped_column(Boolean, default=True)
    # Whether residents see the results while the poll is still open (staff always do).
    results_before_close: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    community: Mapped[Community] = relationship()
    grids: Mapped[list[Grid]] = relationship(secondary=poll_grids, order_by="Grid.number")
    options: Mapped[list["PollOption"]] = relationship(order_by="PollOption.position", back_populates="poll")
    created_by: Mapped[Account | None] = relationship()

    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="poll_closes_after_it_opens"),
        Index("ix_poll_community_closes", "community_id", "closes_at", "id"),
    )

    def state(self, now: datetime) -> str:
        """upcoming, open or closed at `now` (naive UTC)."""
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


class PollOption(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id"), index=True)
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(OPTION_LENGTH))

    poll: Mapped[Poll] = relationship(back_populates="options")

    __table_args__ = (UniqueConstraint("poll_id", "position", name="uq_poll_option_position"),)


class PaperBatch(db.Model):
    """One batch of paper ballots from one polling place, entered by staff: the subtotal they counted
    and how many of its ballots were counted (the others named residents who had already voted)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id"), index=True)
    place: Mapped[str] = mapped_column(String(PLACE_LENGTH))
    declared: Mapped[int]
    counted: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    entered_by: Mapped[Account] = relationship()


class Ballot(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))
    paper_batch_id: Mapped[int | None] = mapped_column(ForeignKey("paper_batch.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime | None]

    poll: Mapped[Poll] = relationship()
    resident: Mapped[Resident] = relationship()
    choices: Mapped[list["BallotChoice"]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("poll_id", "resident_id", name="uq_ballot_one_per_resident"),
        CheckConstraint(
            "channel IN ('online', 'kiosk', 'volunteer', 'gridworker', 'paper', 'seed')", name="ballot_channel_known"
        ),
    )


class BallotChoice(db.Model):
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id"), primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("poll_option.id"), primary_key=True, index=True)
