"""For staff and grid workers: a grid's residents list (masked), and the work phone of its grid workers."""

from flask import g, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.orm import joinedload

from ..auth.guards import require_role
from ..auth.loaders import found, grid_or_404
from ..extensions import db
from ..models import Resident
from ..pages import render_page
from ..services import permissions
from ..services.grid_space import grid_workers, normalise_work_phone, set_work_phone
from ..services.masking import mask_name, mask_phone
from ..services.paging import fetch_page, page_number
from . import bp

RESIDENTS_PAGE = 50


@bp.route("/grids/<int:grid_id>/residents")
@require_role(*permissions.GRID_ROLES)
def residents(grid_id):
    grid = grid_or_404(grid_id)
    page = fetch_page(
        db.session,
        db.select(Resident)
        .where(Resident.grid_id == grid.id)
        .order_by(Resident.building_id, Resident.room, Resident.id)
        .options(joinedload(Resident.building)),
        page_number(request.args),
        RESIDENTS_PAGE,
    )
    rows = [
        {
            "name": mask_name(r.name),
            "phone": mask_phone(r.phone),
            "building": r.building,
            "room": r.room,
            "number": r.number,
            "needs_help": r.needs_help,
        }
        for r in page.items
    ]
    total = db.session.scalar(db.select(func.count()).select_from(Resident).where(Resident.grid_id == grid.id))
    return render_page("grids/residents.html", grid=grid, rows=rows, page=page, total=total)


@bp.route("/grids/<int:grid_id>/work-phone", methods=["GET", "POST"])
@require_role(*permissions.STAFF_ROLES)
def work_phone(grid_id):
    """Staff enter the work phone residents see for each grid worker of this grid (never a personal one)."""
    grid = grid_or_404(grid_id)
    found(grid, permissions.can_set_work_phone(g.account, grid))
    workers = grid_workers(db.session, grid.id)
    values = {f"phone-{w.id}": w.work_phone or "" for w in workers}
    errors = {}
    if request.method == "POST":
        values = {key: request.form.get(key, "")[:100] for key in values}
        phones = {}
        for worker in workers:
            key = f"phone-{worker.id}"
            phone = normalise_work_phone(values[key])
            if phone is None:
                errors[key] = _("Enter a work phone number, like 0573-8201 2345 or 138 0000 0000, or leave it empty.")
            phones[worker.id] = phone
        if not errors:
            for worker in workers:
                set_work_phone(db.session, worker, phones[worker.id], actor=g.account)
            db.session.commit()
            return redirect(url_for("grids.page", grid_id=grid.id, saved=1), code=303)
    return render_page("grids/work_phone.html", grid=grid, workers=workers, values=values, form_errors=errors)
