"""The staff's view of the register: the volunteers of their grids building by building, filtered by
skill and time of the week, a page at a time; a plan of the buildings with how many volunteers each has;
and a volunteer's full name and phone, shown only when asked for, each showing audited."""

from flask import g, request, url_for

from ..auth.guards import require_role
from ..auth.loaders import volunteer_or_404
from ..extensions import db
from ..models import Building, Volunteer
from ..pages import render_page
from ..redirects import safe_next
from ..services import permissions
from ..services.inputs import int_in_range
from ..services.paging import fetch_page, page_number
from ..services.volunteers import (
    PARTS,
    SKILLS,
    building_counts,
    building_ranks,
    in_natural_order,
    listed,
    matching,
    reveal_contact,
    slot_index,
)
from . import bp
from .words import day_options, masked_name, part_options, skill_options, skills_text, times_text


def read_filters(grids) -> tuple[dict, dict]:
    """(the filters as chosen, keyword arguments for services.volunteers.matching)."""
    args = request.args
    grid_id = int_in_range(args.get("grid", ""), 1)
    if grid_id not in {grid.id for grid in grids}:
        grid_id = None
    building_id = int_in_range(args.get("building", ""), 1)
    skill = args.get("skill", "") if args.get("skill", "") in SKILLS else ""
    day = int_in_range(args.get("day", ""), 0, 6)
    part = args.get("part", "") if args.get("part", "") in PARTS else ""
    chosen = {"grid": grid_id, "building": building_id, "skill": skill or None, "day": day, "part": part or None}
    slot = slot_index(day, part) if day is not None and part else None
    return {key: value for key, value in chosen.items() if value is not None}, {
        "grid_id": grid_id,
        "skill": skill,
        "slot": slot,
        "building_id": building_id,
    }


def scoped_volunteers(grids):
    return db.select(Volunteer).where(Volunteer.grid_id.in_([grid.id for grid in grids] or [-1]))


@bp.route("/volunteers")
@require_role(*permissions.VOLUNTEER_ROLES)
def index():
    grids = permissions.volunteer_grids(db.session, g.account)
    chosen, narrowing = read_filters(grids)
    building_id = narrowing.pop("building_id")
    query = matching(scoped_volunteers(grids), **narrowing)
    if building_id is not None:
        query = query.where(Volunteer.building_id == building_id)
    page = fetch_page(db.session, listed(query, building_ranks(db.session, grids)), page_number(request.args))
    return render_page(
        "volunteers/index.html",
        grids=grids,
        chosen=chosen,
        page=page,
        volunteers=page.items,
        skill_options=skill_options(),
        day_options=day_options(),
        part_options=part_options(),
        masked_name=masked_name,
        skills_text=skills_text,
        times_text=times_text,
    )


@bp.route("/volunteers/plan")
@require_role(*permissions.VOLUNTEER_ROLES)
def plan():
    grids = permissions.volunteer_grids(db.session, g.account)
    buildings = in_natural_order(
        db.session.scalars(db.select(Building).where(Building.grid_id.in_([grid.id for grid in grids] or [-1])))
    )
    by_grid = {grid.id: [] for grid in grids}
    for building in buildings:
        by_grid[building.grid_id].append(building)
    return render_page(
        "volunteers/plan.html", grids=grids, buildings=by_grid, counts=building_counts(db.session, grids)
    )


@bp.route("/volunteers/<int:volunteer_id>/contact", methods=["POST"])
@require_role(*permissions.VOLUNTEER_ROLES)
def contact(volunteer_id):
    volunteer = volunteer_or_404(volunteer_id)
    name, phone = reveal_contact(db.session, volunteer, actor=g.account)
    return render_page(
        "volunteers/contact.html",
        volunteer=volunteer,
        name=name,
        phone=phone,
        skills_text=skills_text,
        times_text=times_text,
        back=safe_next(request.form.get("back"), url_for("volunteers.index")),
    )
