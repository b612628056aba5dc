"""What My information shows, prints and exports of a resident's ballots: which poll, what they chose, how
the ballot was cast and when (the registry of record kinds: portal/mydata/records.py). Nobody else's
ballot is ever shown; the counts on a poll's page say nothing about who chose what."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..display import when
from ..models import Ballot, Poll
from ..mydata.kinds import origin_text
from ..mydata.records import RecordKind, record_kind
from ..requests.words import REQUEST_CHANNEL_LABELS


def ballots_query(resident):
    return (
        select(Ballot)
        .where(Ballot.resident_id == resident.id)
        .order_by(Ballot.id.desc())
        .options(joinedload(Ballot.poll).selectinload(Poll.options), selectinload(Ballot.choices))
    )


def chosen_labels(ballot) -> list[str]:
    labels = {option.id: option.label for option in ballot.poll.options}
    return [labels[choice.option_id] for choice in ballot.choices if choice.option_id in labels]


record_kind(
    RecordKind(
        key="ballots",
        title=_l("Your votes"),
        position=21,
        query=ballots_query,
        export=lambda b: {
            "poll": b.poll.question,
            "chose": chosen_labels(b),
            "channel": b.channel,
            "cast_at": b.created_at,
            "changed_at": b.changed_at,
        },
        show=lambda b: [
            (_("Question"), b.poll.question),
            (_("Your choice"), "、".join(chosen_labels(b))),
            (_("How you voted"), origin_text(b, REQUEST_CHANNEL_LABELS)),
            (_("Voted on"), when(b.changed_at or b.created_at)),
        ],
    )
)
