"""Database models, one module per aggregate."""
from .areas import Building, Community, Grid, Street
from .people import ROLES, Account, Resident, account_grids, utcnow
from .kiosk import Kiosk, KioskIdentifyFailure
from .identity import IdentifyFailure, OneTimeCode
from .audit import AuditEvent
from .outbox import OutboxMessage
from .posters import Poster
from .requests import REQUEST_STATES, Category, Request, RequestEvent
from .health import Booking, Closure, QueueCounter, Service, Slot, Station, WeeklySchedule

__all__ = ["Street", "Community", "Grid", "Building", "Account", "Resident", "ROLES", "account_grids", "utcnow",
           "Kiosk", "KioskIdentifyFailure", "IdentifyFailure", "OneTimeCode", "AuditEvent", "OutboxMessage", "Poster", "REQUEST_STATES", "Category",
           "Request", "RequestEvent", "Station", "Service", "WeeklySchedule", "Closure", "Slot", "QueueCounter",
           "Booking"]
