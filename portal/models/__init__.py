"""Database models, one module per aggregate."""
from .areas import Building, Community, Grid, Street
from .people import ROLES, Account, Resident, account_grids

__all__ = ["Street", "Community", "Grid", "Building", "Account", "Resident", "ROLES", "account_grids"]
