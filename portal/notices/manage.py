"""Posting, changing and withdrawing notices. Who may post where is permissions.py's; the rules are in
services/notices.py; this module parses the form and renders it again with its errors."""

from datetime import timedelta

from flask import abort, g, redirect, request, url_for

from ..auth.guards import require_role
from ..auth.loaders import community_or_404, grid_or_404, managed_notice_or_404
from ..display import place_name
from ..extensions import db
from ..pages import render_page
from ..services import permissions
from ..services.clock import today_local, utcnow
from ..services.inputs import int_in_range
from ..services.notices import NoticeRefused, post_notice, update_notice, withdraw_notice
from . import bp
from .forms import check_notice, notice_values, read_form

FIRST_DAYS = timedelta(days=14)


def form_context(community, values, errors, notice=None):
    account = g.account
    grids = permissions.notice_target_grids(account, community)
    return {
        "community": community,
        "values": values,
        "form_errors": errors,
        "notice": notice,
        "grids": grids,
        "grid_options": [(grid.id, place_name(grid)) for grid in grids],
        "may_whole_community": permissions.can_post_to_community(account, community.id),
    }


def where_to_post(account):
    """The grid named by ?grid= (in the account's scope), and its community; else the account's own."""
    grid_id = int_in_range(request.values.get("grid", ""), 1)
    if grid_id is not None:
        grid = grid_or_404(grid_id)
        return grid.community, grid
    if account.role == "gridworker" and account.grids:
        return account.grids[0].community, account.grids[0]
    if account.community_id is None:  # an admin comes from a grid's page
        abort(404)
    return community_or_404(account.community_id), None


@bp.route("/notices/new", methods=["GET", "POST"])
@require_role(*permissions.NOTICE_ROLES)
def new():
    account = g.account
    community, grid = where_to_post(account)
    if grid is not None and not permissions.can_post_to_grid(account, grid):
        abort(404)
    today = today_local()
    values = notice_values(None, grid)
    values["starts_on"], values["ends_on"] = today.isoformat(), (today + FIRST_DAYS).isoformat()
    errors = {}
    if request.method == "POST":
        values = read_form(request.form)
        context = form_context(community, values, {})
        draft, errors = check_notice(
            values,
            today=today,
            choosable_grids=context["grids"],
            may_whole_community=context["may_whole_community"],
            is_new=True,
        )
        if draft is not None:
            try:
                notice = post_notice(db.session, account=account, community=community, draft=draft, now=utcnow())
            except NoticeRefused:
                abort(404)
            db.session.commit()
            return redirect(url_for("notices.show", notice_id=notice.id, posted=1), code=303)
    return render_page("notices/form.html", grid=grid, **form_context(community, values, errors))


@bp.route("/notices/<int:notice_id>/edit", methods=["GET", "POST"])
@require_role(*permissions.NOTICE_ROLES)
def edit(notice_id):
    notice = managed_notice_or_404(notice_id)
    values = notice_values(notice)
    errors = {}
    if request.method == "POST":
        values = read_form(request.form)
        context = form_context(notice.community, values, {}, notice)
        draft, errors = check_notice(
            values,
            today=today_local(),
            choosable_grids=context["grids"],
            may_whole_community=context["may_whole_community"],
            is_new=False,
        )
        if draft is not None:
            try:
                update_notice(db.session, notice, account=g.account, draft=draft, now=utcnow())
            except NoticeRefused:
                abort(404)
            db.session.commit()
            return redirect(url_for("notices.show", notice_id=notice.id, changed=1), code=303)
    return render_page("notices/form.html", grid=None, **form_context(notice.community, values, errors, notice))


@bp.route("/notices/<int:notice_id>/withdraw", methods=["GET", "POST"])
@require_role(*permissions.NOTICE_ROLES)
def withdraw(notice_id):
    notice = managed_notice_or_404(notice_id)
    back_grid = notice.grids[0] if notice.grids else (notice.community.grids[0] if notice.community.grids else None)
    if request.method == "POST":
        withdraw_notice(db.session, notice, account=g.account, now=utcnow())
        db.session.commit()
        if back_grid is not None:
            return redirect(url_for("grids.page", grid_id=back_grid.id, withdrawn=1), code=303)
        return redirect(url_for("main.me"), code=303)
    return render_page("notices/withdraw.html", notice=notice)
