"""What the poll pages share: the words for a poll's state, a refusal and a channel, and the results as
statistics tables (portal/services/stats/table.py), so the chart and the table under it are made from
the same figures, exactly as on the statistics pages."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..services.polls import GROUP_WORDS, GROUPS, Results
from ..services.stats.table import Column, Row, Table

STATE_WORDS = {"upcoming": _l("Not open yet"), "open": _l("Open for voting"), "closed": _l("Closed")}


def state_label(state: str) -> str:
    return str(STATE_WORDS.get(state, state))


def refusal_words(reason: str) -> str:
    if reason == "not_open":
        return _("This poll is not open for voting now.")
    if reason == "not_for_you":
        return _("This poll is for the residents of other grids.")
    if reason == "bad_choice":
        return _("Choose an answer")
    if reason == "already_voted":
        return _("This resident has already voted in this poll. A vote made with a helper or on paper is final.")
    if reason == "not_registered":
        return _("No resident with this number is registered in the community.")
    return _("That poll is not available.")


def option_table(results: Results) -> Table:
    """One row per option: the ballots that chose it and their share of all ballots."""
    rows = [
        Row(str(option.id), option.label, {"count": results.counts.get(option.id, 0), "ballots": results.ballots})
        for option in results.poll.options
    ]
    return Table(
        key=f"poll-{results.poll.id}-options",
        title=_("Votes for each answer"),
        description=_(
            "How many ballots chose each answer, and their share of all %(num)d ballots.", num=results.ballots
        )
        + (" " + _("Each ballot may choose more than one answer.") if results.poll.multiple else ""),
        columns=[
            Column("count", _("Ballots")),
            Column("share", _("Share of ballots"), kind="share", num="count", den=("ballots",)),
        ],
        rows=rows,
        chart="bar",
        chart_column="count",
    )


def turnout_table(results: Results) -> Table:
    """One row per channel (online, kiosk, helper, paper) and the total, as a share of the residents the
    poll is for."""
    rows = [
        Row(group, str(GROUP_WORDS[group]), {"count": results.by_group[group], "eligible": results.eligible})
        for group in GROUPS
    ]
    rows.append(Row("total", _("All ballots"), {"count": results.ballots, "eligible": results.eligible}, total=True))
    return Table(
        key=f"poll-{results.poll.id}-turnout",
        title=_("Turnout by channel"),
        description=_(
            "How residents voted, and the share of the %(num)d residents the poll is for.", num=results.eligible
        ),
        columns=[
            Column("count", _("Ballots")),
            Column("share", _("Share of residents"), kind="share", num="count", den=("eligible",)),
        ],
        rows=rows,
        chart="bar",
        chart_column="count",
    )
