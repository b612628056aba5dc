"""The public, de-identified statistics (脱敏回流): for residents and the notice board, no sign-in.

Small counts are suppressed (services/stats/suppression.py), only calendar periods are offered, and
nothing names a person."""

from ..auth.loaders import load_or_404
from ..extensions import db
from ..models import Community, Grid, Street
from ..page_cache import public_page
from ..pages import render_page
from ..services.stats.context import Scope
from ..services.stats.period import PUBLIC_PERIODS
from . import bp
from .common import page_context, period_from_request, public_figures_for


@bp.route("/stats")
@public_page
def index():
    streets = db.session.scalars(db.select(Street).order_by(Street.id)).all()
    communities = db.session.scalars(db.select(Community).order_by(Community.id)).all()
    grids = db.session.scalars(db.select(Grid).order_by(Grid.community_id, Grid.number)).all()
    return render_page("stats/index.html", streets=streets, communities=communities, grids=grids)


def _page(scope: Scope):
    form, period, errors = period_from_request(PUBLIC_PERIODS)
    sections, computed_at = public_figures_for(scope, period)
    context = page_context(scope, form, period, errors, sections, PUBLIC_PERIODS)
    return render_page("stats/public.html", computed_at=computed_at, **context)


@bp.route("/stats/communities/<int:community_id>")
@public_page
def community(community_id):
    return _page(Scope(load_or_404(Community, community_id)))


@bp.route("/stats/grids/<int:grid_id>")
@public_page
def grid(grid_id):
    grid = load_or_404(Grid, grid_id)
    return _page(Scope(grid.community, grid))
