"""Staff statistics: a community (staff of it, admins) or a grid (also its grid workers), any period,
each table as CSV; the monthly report per community."""

import re
from datetime import date, timedelta

from flask import Response, abort, current_app, request

from ..auth.guards import require_role
from ..auth.loaders import community_or_404, grid_or_404
from ..display import locale, zone
from ..pages import render_page, render_part
from ..services import clock
from ..services.dates import local_today
from ..services.permissions import GRID_ROLES, STAFF_ROLES
from ..services.stats import find_table
from ..services.stats.context import Scope
from ..services.stats.period import month_period
from ..services.stats.residents import month_name
from ..services.stats.show import table_csv
from . import bp
from .common import figures_for, page_context, period_from_request, staff_figures_for, staff_figures_shown


def _page(scope: Scope, csv_endpoint: str, csv_args: dict):
    form, period, errors = period_from_request()
    context = page_context(scope, form, period, errors, [])
    context.update(csv_endpoint=csv_endpoint, csv_args={**csv_args, **context["query"]})
    shown, counted_at = None, None
    if period is not None:

        def show(sections):
            return render_part("stats/staff.html", "figures", **{**context, "sections": sections})

        variant = f"{csv_endpoint}:{sorted(context['csv_args'].items())}"
        shown, counted_at = staff_figures_shown(scope, period, show, variant)
    seconds = current_app.config["PORTAL_STAFF_FIGURES_SECONDS"]
    keep_minutes = max(1, round(seconds / 60)) if seconds > 0 else 0  # the page says how long figures are kept
    return render_page(
        "stats/staff.html", figures_shown=shown, counted_at=counted_at, keep_minutes=keep_minutes, **context
    )


@bp.route("/communities/<int:community_id>/stats")
@require_role(*STAFF_ROLES)
def staff_community(community_id):
    community = community_or_404(community_id)
    return _page(Scope(community), "stats.community_csv", {"community_id": community.id})


@bp.route("/grids/<int:grid_id>/stats")
@require_role(*GRID_ROLES)
def staff_grid(grid_id):
    grid = grid_or_404(grid_id)
    return _page(Scope(grid.community, grid), "stats.grid_csv", {"grid_id": grid.id})


def _csv(scope: Scope, key: str, name: str):
    form, period, errors = period_from_request()
    if errors:
        abort(404)
    table = find_table(staff_figures_for(scope, period)[0], key)
    if table is None:
        abort(404)
    filename = f"linli-{name}-{key}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    return Response(
        table_csv(table), mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.route("/communities/<int:community_id>/stats/<key>.csv")
@require_role(*STAFF_ROLES)
def community_csv(community_id, key):
    community = community_or_404(community_id)
    return _csv(Scope(community), key, f"community{community.id}")


@bp.route("/grids/<int:grid_id>/stats/<key>.csv")
@require_role(*GRID_ROLES)
def grid_csv(grid_id, key):
    grid = grid_or_404(grid_id)
    return _csv(Scope(grid.community, grid), key, f"grid{grid.id}")


def report_month(raw: str | None, today: date) -> date:
    """The month asked for as YYYY-MM (from 2000 to this month), else last month."""
    previous = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", (raw or "").strip())
    if match and 1 <= int(match[2]) <= 12:
        first = date(int(match[1]), int(match[2]), 1)
        if date(2000, 1, 1) <= first <= today:
            return first
    return previous


@bp.route("/communities/<int:community_id>/stats/report")
@require_role(*STAFF_ROLES)
def report(community_id):
    """The month's figures on A4 for the residents' committee: de-identified, as on the notice board."""
    community = community_or_404(community_id)
    today = local_today(clock.utcnow(), zone())
    first = report_month(request.args.get("month"), today)
    period = month_period(first, today, zone())
    scope = Scope(community)
    sections = figures_for(scope, period, public=True)
    context = page_context(scope, {"period": "month"}, period, {}, sections)
    return render_page("stats/report.html", month=first, month_name=month_name(first, locale()), **context)
