from flask import g, jsonify, redirect, request, url_for
from sqlalchemy import func, text
from sqlalchemy.orm import selectinload

from ..auth.guards import require_role
from ..auth.loaders import community_or_404
from ..extensions import db
from ..i18n import CONTRASTS, SPEECH_SPEEDS, TEXT_SIZES, remember
from ..models import Building, Grid, Resident
from ..page_cache import public_page
from ..pages import render_page
from ..redirects import safe_next
from ..services.permissions import ACCOUNT_ROLES, STAFF_ROLES, has_role, visible_communities
from . import bp


@bp.route("/")
@public_page
def home():
    return render_page("main/home.html", signed_out=request.args.get("signed_out"))


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means the database does not answer
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/preferences", methods=["GET", "POST"])
def preferences():
    """Text size and contrast, kept in cookies. The form is a GET (a display choice, like ?lang=); a POST
    from an older page still works, with its form token."""
    asked = request.values
    response = redirect(safe_next(asked.get("next"), url_for("main.home")), code=303)
    if asked.get("textsize") in TEXT_SIZES:
        remember(response, "textsize", asked["textsize"])
    if asked.get("contrast") in CONTRASTS:
        remember(response, "contrast", asked["contrast"])
    if asked.get("speech") in SPEECH_SPEEDS:
        remember(response, "speech", asked["speech"])
    return response


@bp.route("/privacy")
@public_page
def privacy():
    return render_page("main/privacy.html")


@bp.route("/me")
@require_role(*ACCOUNT_ROLES)
def me():
    account = g.account
    communities = visible_communities(db.session, account) if has_role(account, *STAFF_ROLES) else []
    grids = account.grids
    return render_page(
        "main/me.html",
        communities=communities,
        grids=grids,
        grid_counts=counts_by(Grid.community_id, [c.id for c in communities]),
        building_counts=counts_by(Building.grid_id, [grid.id for grid in grids]),
    )


def counts_by(column, ids) -> dict:
    """How many rows have each of these values in `column` (grids per community, residents per grid ...),
    in one GROUP BY."""
    if not ids:
        return {}
    rows = db.session.execute(db.select(column, func.count()).where(column.in_(ids)).group_by(column))
    return dict(rows.all())


@bp.route("/communities/<int:community_id>")
@require_role(*STAFF_ROLES)
def community(community_id):
    community = community_or_404(community_id)
    grids = db.session.scalars(
        db.select(Grid)
        .where(Grid.community_id == community.id)
        .order_by(Grid.number)
        .options(selectinload(Grid.buildings))
    ).all()
    counts = counts_by(Resident.grid_id, [grid.id for grid in grids])
    return render_page("main/community.html", community=community, grids=grids, counts=counts)
