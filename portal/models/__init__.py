"""Database models, one module per aggregate."""
from .areas import Building, Community, Grid, Street
from .people import ROLES, Account, Resident, account_grids, utcnow
from .kiosk import Kiosk
from .audit import AuditEvent
from .outbox import OutboxMessage
from .requests import REQUEST_STATES, Category, Request, RequestEvent

__all__ = ["Street", "Community", "Grid", "Building", "Account", "Resident", "ROLES", "account_grids", "utcnow",
           "Kiosk", "AuditEvent", "OutboxMessage", "REQUEST_STATES", "Category", "Request", "RequestEvent"]
