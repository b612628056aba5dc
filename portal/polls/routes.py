"""What residents and everyone see: the polls a resident may vote in, a poll's page (with the results when
they may be shown), voting one question per screen, and the results printed on one A4 page.

A helper in an assisted session votes for the resident they help (the health pages' for_resident guard):
the ballot is final, and its audit event carries the helper and the session's reason."""

from flask import g, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.loaders import found, poll_or_404
from ..channels import record_origin
from ..extensions import db
from ..health.common import assisted_reason, for_resident
from ..identify import current_resident
from ..models import Community, Grid, Poll
from ..page_cache import public_page
from ..pages import render_page
from ..services import permissions
from ..services.clock import now_utc
from ..services.inputs import int_in_range
from ..services.masking import mask_name
from ..services.paging import fetch_page, page_number
from ..services.polls import (
    PollRefused,
    ballot_of,
    cast_ballot,
    count_results,
    open_to,
    polls_query,
    results_visible,
    voted_ids,
)
from ..services.stats.charts import chart
from ..services.stats.show import cell_text
from . import bp
from .common import option_table, refusal_words, state_label, turnout_table


def list_place():
    """(community, grid) the list is for: the identified resident's grid, else ?community= (staff), else the
    kiosk's or the account's community; (None, None) when nothing says."""
    resident = current_resident()
    if resident is not None:
        return resident.community, resident.grid
    grid_id = int_in_range(request.args.get("grid", ""), 1)
    if grid_id is not None:
        grid = found(db.session.get(Grid, grid_id))
        return grid.community, grid
    community_id = int_in_range(request.args.get("community", ""), 1)
    if community_id is not None:
        return found(db.session.get(Community, community_id)), None
    kiosk, account = g.get("kiosk"), g.get("account")
    if kiosk is not None:
        return kiosk.community, None
    if account is not None and account.community is not None:
        return account.community, None
    return None, None


def now_naive():
    return now_utc().replace(tzinfo=None)


@bp.route("/polls")
@public_page
def index():
    community, grid = list_place()
    account = g.get("account")
    may_manage = permissions.has_role(account, *permissions.POLL_ROLES)
    if community is None:
        return render_page("polls/index.html", community=None, grid=None, page=None, may_manage=may_manage)
    staff = may_manage and permissions.can_see_community(account, community.id)
    query = polls_query(community.id, grid.id if grid else None, every_grid=staff)
    page = fetch_page(db.session, query, page_number(request.args))
    resident = current_resident()
    mine = voted_ids(db.session, [p.id for p in page.items], resident.id) if resident is not None else set()
    args = {"grid": grid.id} if grid is not None and resident is None else {}
    if community is not None and grid is None and resident is None:
        args = {"community": community.id}
    return render_page(
        "polls/index.html",
        community=community,
        grid=grid,
        page=page,
        polls=page.items,
        mine=mine,
        args=args,
        now=now_naive(),
        state_label=state_label,
        may_manage=may_manage,
    )


def results_context(poll: Poll) -> dict:
    results = count_results(db.session, poll)
    return {
        "results": results,
        "tables": [option_table(results), turnout_table(results)],
        "chart": chart,
        "cell_text": cell_text,
    }


@bp.route("/polls/<int:poll_id>")
def show(poll_id):
    poll = poll_or_404(poll_id)
    resident = current_resident()
    manages = permissions.can_manage_poll(g.get("account"), poll)
    now = now_naive()
    visible = results_visible(poll, now, manages)
    ballot = ballot_of(db.session, poll.id, resident.id) if resident is not None else None
    return render_page(
        "polls/show.html",
        poll=poll,
        state=poll.state(now),
        state_label=state_label,
        ballot=ballot,
        chosen={choice.option_id for choice in ballot.choices} if ballot is not None else set(),
        open_to_resident=open_to(poll, resident) if resident is not None else None,
        manages=manages,
        visible=visible,
        done=request.args.get("done", ""),
        **(results_context(poll) if visible else {}),
    )


@bp.route("/polls/<int:poll_id>/vote", methods=["GET", "POST"])
@for_resident
def vote(poll_id):
    """The question and its answers on one screen; a resident who may not vote (closed, another grid's, a
    final ballot) is told why."""
    poll = poll_or_404(poll_id)
    resident = current_resident()
    ballot = ballot_of(db.session, poll.id, resident.id)
    selected = [str(choice.option_id) for choice in ballot.choices] if ballot is not None else []
    errors = {}
    if request.method == "POST":
        selected = request.form.getlist("answer")
        option_ids = [int_in_range(value, 1) for value in selected]
        try:
            if None in option_ids:
                raise PollRefused("bad_choice")
            outcome = cast_ballot(
                db.session,
                poll_id=poll.id,
                resident=resident,
                option_ids=option_ids,
                origin=record_origin("online"),
                actor=g.get("account"),
                reason=assisted_reason(),
                now=now_utc(),
            )
        except PollRefused as refused:
            errors["answer"] = refusal_words(refused.reason)
            if refused.reason == "bad_choice" and poll.multiple:
                errors["answer"] = _("Choose one or more answers")
            poll, resident = poll_or_404(poll_id), current_resident()
            ballot = ballot_of(db.session, poll.id, resident.id)
        else:
            return redirect(url_for("polls.show", poll_id=poll.id, done=outcome), code=303)
    state = poll.state(now_naive())
    final = ballot is not None and ballot.channel not in ("online", "kiosk")
    blocked = ""
    if state != "open":
        blocked = refusal_words("not_open")
    elif not open_to(poll, resident):
        blocked = refusal_words("not_for_you")
    elif final or (ballot is not None and g.get("assisted") is not None):
        blocked = refusal_words("already_voted")
    return render_page(
        "polls/vote.html",
        poll=poll,
        options=[(str(option.id), option.label) for option in poll.options],
        selected=selected,
        form_errors=errors,
        blocked=blocked,
        ballot=ballot,
        helping=g.get("assisted") is not None,
        resident_name=mask_name(resident.name),
    )


@bp.route("/polls/<int:poll_id>/print")
def print_results(poll_id):
    """The results on one A4 page for the notice board, once they may be shown."""
    poll = poll_or_404(poll_id)
    manages = permissions.can_manage_poll(g.get("account"), poll)
    now = now_naive()
    found(poll, results_visible(poll, now, manages))
    return render_page(
        "polls/print.html", poll=poll, state=poll.state(now), state_label=state_label, **results_context(poll)
    )
