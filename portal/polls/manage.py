"""Staff look after polls: the list of their community's polls, creating a poll, a poll's staff page (the
results so far, the paper ballots per polling place with their subtotals) and entering a batch of paper
ballots, each one checked against the residents register and every ballot already cast."""

from flask import g, redirect, request, url_for

from ..auth.guards import require_role
from ..auth.loaders import managed_poll_or_404
from ..display import place_name, zone
from ..extensions import db
from ..models import PaperBatch, Poll
from ..pages import render_page
from ..services import permissions
from ..services.clock import now_utc
from ..services.paging import fetch_page, page_number
from ..services.polls import create_poll, enter_paper_batch, place_subtotals
from . import bp
from .common import refusal_words, state_label
from .form import blank_values, read_paper_form, read_poll_form
from .routes import now_naive, results_context


@bp.route("/polls/manage")
@require_role(*permissions.POLL_ROLES)
def manage_list():
    query = permissions.scope_polls(db.select(Poll), g.account).order_by(Poll.closes_at.desc(), Poll.id.desc())
    page = fetch_page(db.session, query, page_number(request.args))
    return render_page("polls/manage_list.html", polls=page.items, page=page, now=now_naive(), state_label=state_label)


@bp.route("/polls/manage/new", methods=["GET", "POST"])
@require_role(*permissions.POLL_ROLES)
def new():
    if g.account.community_id is None:  # an admin works in every community: the community's staff create polls
        return redirect(url_for("polls.manage_list"), code=303)
    grids = list(g.account.community.grids)
    values, errors = blank_values(), {}
    if request.method == "POST":
        values, fields, errors = read_poll_form(grids, zone(), now_utc())
        if not errors:
            poll = create_poll(
                db.session, community_id=g.account.community_id, actor=g.account, now=now_utc(), **fields
            )
            return redirect(url_for("polls.manage_page", poll_id=poll.id, done="created"), code=303)
    return render_page(
        "polls/form.html",
        values=values,
        form_errors=errors,
        grid_options=[(grid.id, place_name(grid)) for grid in grids],
    )


@bp.route("/polls/manage/<int:poll_id>")
@require_role(*permissions.POLL_ROLES)
def manage_page(poll_id):
    poll = managed_poll_or_404(poll_id)
    batches = db.session.scalars(
        db.select(PaperBatch)
        .where(PaperBatch.poll_id == poll.id)
        .order_by(PaperBatch.created_at.desc(), PaperBatch.id.desc())
        .options(db.joinedload(PaperBatch.entered_by))
        .limit(50)
    ).all()
    return render_page(
        "polls/manage_page.html",
        poll=poll,
        state=poll.state(now_naive()),
        state_label=state_label,
        places=place_subtotals(db.session, poll.id),
        batches=batches,
        done=request.args.get("done", ""),
        **results_context(poll),
    )


@bp.route("/polls/manage/<int:poll_id>/paper", methods=["GET", "POST"])
@require_role(*permissions.POLL_ROLES)
def paper(poll_id):
    """One batch of paper ballots from one polling place; the ones not counted are listed with the reason."""
    poll = managed_poll_or_404(poll_id)
    values, errors, entered = {"place": "", "declared": "", "ballots": ""}, {}, None
    if request.method == "POST":
        values, fields, errors = read_paper_form(len(poll.options))
        if not errors and poll.opens_at > now_naive():
            errors["ballots"] = refusal_words("not_open")
        if not errors:
            by_position = {option.position: option.id for option in poll.options}
            for line in fields["lines"]:
                line.option_ids = [by_position[position] for position in line.option_ids]
            entered = enter_paper_batch(db.session, poll, actor=g.account, now=now_utc(), **fields)
            if not entered.refused:
                return redirect(url_for("polls.manage_page", poll_id=poll.id, done="paper"), code=303)
            values = {"place": values["place"], "declared": "", "ballots": ""}
    return render_page(
        "polls/paper.html",
        poll=poll,
        values=values,
        form_errors=errors,
        entered=entered,
        refusal_words=refusal_words,
        state_label=state_label,
        state=poll.state(now_naive()),
    )
