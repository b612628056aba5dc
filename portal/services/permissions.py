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
