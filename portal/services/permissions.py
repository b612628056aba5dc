"""Who may see what. Every blueprint asks these functions rather than comparing roles itself."""
from ..models import Account

STAFF_ROLES = ("admin", "staff")
HELPER_ROLES = ("gridworker", "volunteer")


def has_role(account: Account | None, *roles: str) -> bool:
    return account is not None and account.active and account.role in roles


def can_see_community(account: Account | None, community_id: int) -> bool:
    """Admins see every community; everyone else only their own."""
    if account is None or not account.active:
        return False
    if account.role == "admin":
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


def can_manage_card(account: Account | None, resident) -> bool:
    """Print or reissue a resident's card: staff and admins in scope, grid workers for their own grids."""
    if has_role(account, *STAFF_ROLES):
        return can_see_community(account, resident.community_id)
    if has_role(account, "gridworker"):
        return can_see_grid(account, resident.grid)
    return False


def registrable_grids(account: Account | None) -> list:
    """The grids a helper may register residents into: a grid worker's own, a volunteer's community's."""
    if has_role(account, "gridworker"):
        return list(account.grids)
    if has_role(account, "volunteer") and account.community is not None:
        return list(account.community.grids)
    return []
