"""Who may see what. Every blueprint asks these functions rather than comparing roles itself.

The scope ladder is written here once: admins see every community, everyone else only their own
community, and grid workers, where it matters, only their own grids. The `can_*` functions answer for
one object; the `scope_*` functions narrow a query to what an account may see. The request-level
loaders that call them (404 outside the scope) are in portal/auth/loaders.py.
"""

from sqlalchemy import false, select

from ..models import Account, Activity, Community, Grid, Request, Resident, Station, activity_grids
from ..models.people import ROLES as ACCOUNT_ROLES  # noqa: F401  (re-exported: every role)

STAFF_ROLES = ("admin", "staff")
HELPER_ROLES = ("gridworker", "volunteer")
# Who opens a grid's resident list, works on requests, prints or reissues cards, keeps a station's
# roster, phones residents.
GRID_ROLES = ("admin", "staff", "gridworker")
HANDLER_ROLES = ("admin", "staff", "gridworker")
CARD_ROLES = ("admin", "staff", "gridworker")
ROSTER_ROLES = ("admin", "staff", "nurse")
CALL_ROLES = ("gridworker", "staff", "admin")
# Who creates activities and runs them (the sign-ups, the door): staff for their community, grid workers
# for their own grids.
ACTIVITY_ROLES = ("admin", "staff", "gridworker")


def has_role(account: Account | None, *roles: str) -> bool:
    return account is not None and account.active and account.role in roles


def sees_every_community(account: Account | None) -> bool:
    return has_role(account, "admin")


def community_scope(account: Account) -> int | None:
    """The one community an account works in, or None for an admin, who works in all of them."""
    return None if sees_every_community(account) else account.community_id


def can_see_community(account: Account | None, community_id: int) -> bool:
    """Admins see every community; everyone else only their own."""
    if account is None or not account.active:
        return False
    if sees_every_community(account):
        return True
    return account.community_id == community_id


def can_see_grid(account: Account | None, grid) -> bool:
    """Grid workers see only their own grids; staff, volunteers and nurses see their community's."""
    if not can_see_community(account, grid.community_id):
        return False
    if account.role == "gridworker":
        return any(g.id == grid.id for g in account.grids)
    return True


def visible_grid_ids(account: Account, grids) -> list[int]:
    return [g.id for g in grids if can_see_grid(account, g)]


def can_help(account: Account | None, resident) -> bool:
    """Act for a resident (assisted session, filing for them): volunteers in their own community, grid
    workers in their own grids."""
    return has_role(account, *HELPER_ROLES) and can_see_grid(account, resident.grid)


def can_manage_card(account: Account | None, resident) -> bool:
    """Print or reissue a resident's card: staff and admins in scope, grid workers for their own grids."""
    if has_role(account, *STAFF_ROLES):
        return can_see_community(account, resident.community_id)
    if has_role(account, "gridworker"):
        return can_see_grid(account, resident.grid)
    return False


def can_handle(account: Account | None, request: Request) -> bool:
    """Who may open a request's page and move it along: its grid worker (or any worker of its grid),
    the staff of its community, and admins."""
    if not has_role(account, *HANDLER_ROLES) or not can_see_community(account, request.community_id):
        return False
    if account.role == "gridworker":
        return request.assignee_id == account.id or any(g.id == request.grid_id for g in account.grids)
    return True


def can_manage_activity(account: Account | None, activity: Activity) -> bool:
    """Staff of the activity's community (admins: any); a grid worker, an activity they made or one open
    only to grids that are all theirs."""
    if not has_role(account, *ACTIVITY_ROLES) or not can_see_community(account, activity.community_id):
        return False
    if account.role == "gridworker":
        mine = {g.id for g in account.grids}
        return activity.created_by_id == account.id or (
            not activity.whole_community and bool(activity.grids) and {g.id for g in activity.grids} <= mine
        )
    return True


def activity_grid_choices(account: Account | None) -> list:
    """The grids an account may open an activity to: a grid worker's own, staff their community's."""
    if has_role(account, "gridworker"):
        return list(account.grids)
    if has_role(account, "admin", "staff") and account.community is not None:
        return list(account.community.grids)
    return []


def registrable_grids(account: Account | None) -> list:
    """The grids a helper may register residents into: a grid worker's own, a volunteer's community's."""
    if has_role(account, "gridworker"):
        return list(account.grids)
    if has_role(account, "volunteer") and account.community is not None:
        return list(account.community.grids)
    return []


# -- queries narrowed to what an account may see ------------------------------------------------
def scope_to_community(query, column, account: Account):
    """`query` limited to rows whose `column` is the account's community (admins: every row)."""
    if sees_every_community(account):
        return query
    return query.where(column == account.community_id)


def visible_communities(session, account: Account) -> list[Community]:
    if sees_every_community(account):
        return list(session.scalars(select(Community).order_by(Community.id)))
    return [account.community] if account.community is not None else []


def scope_stations(query, account: Account):
    return scope_to_community(query, Station.community_id, account)


def visible_stations(session, account: Account) -> list[Station]:
    return list(session.scalars(scope_stations(select(Station), account).order_by(Station.community_id, Station.id)))


def visible_grids(session, account: Account) -> list[Grid]:
    """Grid workers: their own grids. Everyone else: their community's (admins: every grid)."""
    if account.role == "gridworker":
        return list(account.grids)
    query = scope_to_community(select(Grid), Grid.community_id, account)
    return list(session.scalars(query.order_by(Grid.community_id, Grid.number)))


def scope_residents(query, account: Account):
    """Residents a grid worker may look for are in their grids; anyone else's are in their community."""
    if account.role == "gridworker":
        return query.where(Resident.grid_id.in_([g.id for g in account.grids] or [-1]))
    return scope_to_community(query, Resident.community_id, account)


def scope_requests(query, account: Account):
    """A grid worker's requests are the ones given to them; staff see their community's; admins all."""
    if has_role(account, "gridworker"):
        return query.where(Request.assignee_id == account.id)
    if has_role(account, *STAFF_ROLES):
        return scope_to_community(query, Request.community_id, account)
    return query.where(false())


def scope_accounts(query, account: Account):
    return scope_to_community(query, Account.community_id, account)


def scope_activities(query, account: Account):
    """Activities an account runs: staff their community's (admins all); a grid worker those they made or
    those open to one of their grids."""
    if has_role(account, "gridworker"):
        mine = select(activity_grids.c.activity_id).where(
            activity_grids.c.grid_id.in_([g.id for g in account.grids] or [-1])
        )
        return query.where(
            Activity.community_id == account.community_id,
            (Activity.created_by_id == account.id) | Activity.id.in_(mine),
        )
    if has_role(account, *STAFF_ROLES):
        return scope_to_community(query, Activity.community_id, account)
    return query.where(false())


# -- notices (通知公告) ------------------------------------------------------------------------------
NOTICE_ROLES = ("admin", "staff", "gridworker")


def can_post_to_community(account: Account | None, community_id: int) -> bool:
    """A notice for a whole community: its staff (and admins)."""
    return has_role(account, *STAFF_ROLES) and can_see_community(account, community_id)


def can_post_to_grid(account: Account | None, grid) -> bool:
    """A notice for one grid: the staff of its community, or one of its grid workers."""
    if has_role(account, *STAFF_ROLES):
        return can_see_community(account, grid.community_id)
    return has_role(account, "gridworker") and can_see_grid(account, grid)


def notice_target_grids(account: Account | None, community) -> list:
    """The grids of `community` an account may choose for a notice."""
    if has_role(account, *STAFF_ROLES) and can_see_community(account, community.id):
        return list(community.grids)
    if has_role(account, "gridworker"):
        return [grid for grid in account.grids if grid.community_id == community.id]
    return []


def can_manage_notice(account: Account | None, notice) -> bool:
    """Edit or withdraw a notice: staff of its community; a grid worker only a notice for their own grids."""
    if has_role(account, *STAFF_ROLES):
        return can_see_community(account, notice.community_id)
    if has_role(account, "gridworker") and not notice.whole_community and notice.grids:
        return all(can_see_grid(account, grid) for grid in notice.grids)
    return False


def can_set_work_phone(account: Account | None, grid) -> bool:
    """The work phone shown on a grid's page is entered by the staff of its community."""
    return has_role(account, *STAFF_ROLES) and can_see_community(account, grid.community_id)


# -- topics and meetings (议事会) ----------------------------------------------------------------------
# Who edits topics for clarity, closes or hides them, schedules their meeting and records the outcome.
TOPIC_ROLES = ("admin", "staff", "gridworker")


def can_manage_topic(account: Account | None, topic) -> bool:
    """Staff of the topic's community (admins: any); a grid worker, the topics of their own grids."""
    if has_role(account, *STAFF_ROLES):
        return can_see_community(account, topic.community_id)
    if has_role(account, "gridworker") and topic.grid_id is not None:
        return can_see_community(account, topic.community_id) and any(g.id == topic.grid_id for g in account.grids)
    return False


def topic_target_grids(account: Account | None) -> list:
    """The grids staff may propose a topic for: a grid worker's own, staff their community's."""
    return activity_grid_choices(account)


def may_propose_for_community(account: Account | None) -> bool:
    """A topic for the whole community, proposed by staff: the community's staff."""
    return has_role(account, *STAFF_ROLES) and account.community_id is not None


# -- votes (网络微投票) -------------------------------------------------------------------------------
# Who creates polls and enters paper ballots: the staff of a community (admins: any community's polls).
POLL_ROLES = ("admin", "staff")


def can_manage_poll(account: Account | None, poll) -> bool:
    return has_role(account, *POLL_ROLES) and can_see_community(account, poll.community_id)


def scope_polls(query, account: Account):
    from ..models import Poll

    if has_role(account, *POLL_ROLES):
        return scope_to_community(query, Poll.community_id, account)
    return query.where(false())


# -- volunteer register (活地图) --------------------------------------------------------------------------
# Who sees the register (list, plan, contact on request) and calls volunteers out: staff for their
# community, grid workers for their own grids.
VOLUNTEER_ROLES = ("admin", "staff", "gridworker")


def can_see_volunteer(account: Account | None, volunteer) -> bool:
    return has_role(account, *VOLUNTEER_ROLES) and can_see_grid(account, volunteer.grid)


def volunteer_grids(session, account: Account | None) -> list[Grid]:
    """The grids whose volunteers an account may list and call out."""
    if not has_role(account, *VOLUNTEER_ROLES):
        return []
    return visible_grids(session, account)


# -- mutual aid (邻里互助) ---------------------------------------------------------------------------
# Who works the mutual-aid queue: confirms or declines proposed matches, hides, closes or restores posts.
AID_ROLES = ("admin", "staff", "gridworker")


def can_manage_aid_grid(account: Account | None, grid_id: int, community_id: int) -> bool:
    """Staff of the community (admins: any); a grid worker, the posts of their own grids."""
    if has_role(account, *STAFF_ROLES):
        return can_see_community(account, community_id)
    if has_role(account, "gridworker"):
        return can_see_community(account, community_id) and any(g.id == grid_id for g in account.grids)
    return False


def can_manage_aid(account: Account | None, post) -> bool:
    return can_manage_aid_grid(account, post.grid_id, post.community_id)


def aid_queue_grid_ids(session, account: Account | None) -> list[int]:
    """The grids whose posts an account's queue holds: a grid worker's own, staff their community's."""
    if has_role(account, "gridworker"):
        return [g.id for g in account.grids if can_see_community(account, g.community_id)]
    if has_role(account, *STAFF_ROLES):
        query = select(Grid.id)
        if not sees_every_community(account):
            query = query.where(Grid.community_id == account.community_id)
        return list(session.scalars(query))
    return []
