from flask import g, jsonify, redirect, request, url_for
from sqlalchemy import func, text

from ..auth.guards import require_role
from ..auth.loaders import community_or_404, grid_or_404
from ..extensions import db
from ..i18n import CONTRASTS, TEXT_SIZES, remember
from ..models import Resident
from ..pages import render_page
from ..redirects import safe_next
from ..services.masking import mask_name, mask_phone
from ..services.permissions import ACCOUNT_ROLES, GRID_ROLES, STAFF_ROLES, has_role, visible_communities
from . import bp


@bp.route("/")
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
    return response


@bp.route("/privacy")
def privacy():
    return render_page("main/privacy.html")


@bp.route("/me")
@require_role(*ACCOUNT_ROLES)
def me():
    account = g.account
    communities = visible_communities(db.session, account) if has_role(account, *STAFF_ROLES) else []
    return render_page("main/me.html", communities=communities, grids=account.grids)


def resident_counts(grid_ids):
    rows = db.session.execute(
        db.select(Resident.grid_id, func.count()).where(Resident.grid_id.in_(grid_ids)).group_by(Resident.grid_id)
    )
    return dict(rows.all())


@bp.route("/communities/<int:community_id>")
@require_role(*STAFF_ROLES)
def community(community_id):
    community = community_or_404(community_id)
    counts = resident_counts([g_.id for g_ in community.grids])
    return render_page("main/community.html", community=community, counts=counts)


@bp.route("/grids/<int:grid_id>")
@require_role(*GRID_ROLES)
def grid(grid_id):
    grid = grid_or_404(grid_id)
    residents = db.session.scalars(
        db.select(Resident).where(Resident.grid_id == grid.id).order_by(Resident.building_id, Resident.room)
    ).all()
    rows = [
        {
            "name": mask_name(r.name),
            "phone": mask_phone(r.phone),
            "building": r.building,
            "room": r.room,
            "number": r.number,
            "needs_help": r.needs_help,
        }
        for r in residents
    ]
    return render_page("main/grid.html", grid=grid, rows=rows)
