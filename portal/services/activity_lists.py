"""Which activities a list shows: the open ones that have not ended, soonest first, for everyone or for
one grid's residents (the activities page, and the "upcoming activities" of a grid's own page)."""

from datetime import datetime

from sqlalchemy import or_, select

from ..models import Activity, activity_grids
from .clock import now_utc
from .dates import as_utc_naive


def upcoming_query(now: datetime, grid=None):
    """Open activities that have not ended, soonest first; with `grid`, only those open to its residents."""
    query = select(Activity).where(Activity.state == "open", Activity.ends_at > as_utc_naive(now))
    if grid is not None:
        chosen = select(activity_grids.c.activity_id).where(activity_grids.c.grid_id == grid.id)
        query = query.where(
            Activity.community_id == grid.community_id, or_(Activity.whole_community, Activity.id.in_(chosen))
        )
    return query.order_by(Activity.starts_at, Activity.id)


def upcoming_activities_for_grid(session, grid, limit: int = 5, now: datetime | None = None) -> list[Activity]:
    """The next activities open to a grid's residents, for the grid's own page."""
    return list(session.scalars(upcoming_query(now or now_utc(), grid).limit(limit)))
