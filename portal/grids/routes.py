"""A grid's public page, and the way an identified resident gets to their own."""

from flask import g, redirect, url_for

from ..auth.loaders import load_or_404
from ..extensions import db
from ..identify import current_resident, require_resident
from ..models import Grid
from ..page_cache import public_page
from ..pages import render_page
from ..services import permissions
from ..services.activity_lists import upcoming_activities_for_grid
from ..services.aid import open_posts_for_grid  # mutual aid (邻里互助)
from ..services.clock import now_utc, today_local
from ..services.grid_space import grid_page
from ..services.polls import open_polls_for_grid  # votes (网络微投票)
from ..services.posters import active_grid_poster
from ..services.topics import top_open_topics
from . import bp

# How many upcoming activities the grid's page shows (the rest: the activities list for the grid).
GRID_PAGE_ACTIVITIES = 5
# How many open topics (topics and meetings, 议事会) the grid's page shows, most supported first.
GRID_PAGE_TOPICS = 3
# How many open mutual-aid posts (邻里互助) the grid's page shows, newest first.
GRID_PAGE_AID_POSTS = 4
# How many open polls (votes, 网络微投票) the grid's page shows, closing soonest first.
GRID_PAGE_POLLS = 3


@bp.route("/grids/<int:grid_id>")
@public_page
def page(grid_id):
    """Anyone may read it, signed in or not: nothing on it is personal."""
    grid = load_or_404(Grid, grid_id)
    account = g.get("account")
    resident = current_resident()
    poster = active_grid_poster(db.session, grid.id)
    return render_page(
        "grids/page.html",
        view=grid_page(db.session, grid, today_local()),
        activities=upcoming_activities_for_grid(db.session, grid, GRID_PAGE_ACTIVITIES),
        topics=top_open_topics(db.session, grid, GRID_PAGE_TOPICS),
        aid_posts=open_posts_for_grid(db.session, grid, GRID_PAGE_AID_POSTS),
        polls=open_polls_for_grid(db.session, grid, now_utc(), GRID_PAGE_POLLS),
        now=now_utc(),
        may_post_activity=permissions.has_role(account, *permissions.ACTIVITY_ROLES)
        and account.community_id == grid.community_id
        and permissions.can_see_grid(account, grid),
        grid=grid,
        # "Live here? Join" is for residents who have not joined this grid (staff print its poster instead).
        join_code=poster.code
        if poster is not None and account is None and (resident is None or resident.grid_id != grid.id)
        else None,
        own_grid=resident is not None and resident.grid_id == grid.id,
        may_post=permissions.can_post_to_grid(account, grid),
        may_list_residents=permissions.has_role(account, *permissions.GRID_ROLES)
        and permissions.can_see_grid(account, grid),
        may_set_phone=permissions.can_set_work_phone(account, grid),
        poster_code=poster.code
        if poster is not None
        and permissions.has_role(account, *permissions.STAFF_ROLES)
        and permissions.can_see_community(account, grid.community_id)
        else None,
    )


@bp.route("/my/grid")
@require_resident
def mine():
    """The "My grid" tile and link: the identified resident's own grid page."""
    return redirect(url_for("grids.page", grid_id=current_resident().grid_id), code=303)
