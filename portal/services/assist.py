"""Helping a resident: who may help whom, finding the resident, and checking the start of a session.

Volunteers help residents of their own community, grid workers residents of their own grids
(permissions.can_help and permissions.scope_residents say exactly that). The session itself lives in the Flask session; the
assist blueprint keeps it, and this module stays free of request state.
"""

from sqlalchemy import or_, select

from ..models import Building, Resident
from .inputs import ascii_digits, has_control
from .permissions import HELPER_ROLES, has_role, scope_residents

IDENTITY_CHECKS = ("card", "id_document", "known")
ASSIST_SECONDS = 30 * 60
# The banner offers "keep helping" once this little time is left (WCAG 2.2.1: warn, extend in one step).
EXTEND_OFFER_SECONDS = 10 * 60
REASON_MAX = 200
SEARCH_LIMIT = 20


def search_residents(session, account, query: str, limit: int = SEARCH_LIMIT) -> tuple[list[Resident], bool]:
    """Residents in the helper's scope matching the last 4 digits of a phone, part of a name, a
    building, or a resident number. Returns (up to `limit` residents, whether there were more)."""
    query = " ".join((query or "").split())
    if not query or has_control(query) or not has_role(account, *HELPER_ROLES):
        return [], False
    compact = ascii_digits(query.replace(" ", "")) or ""
    if len(compact) == 4:
        match = Resident.phone.endswith(compact, autoescape=True)
    elif len(compact) == 8:
        match = Resident.number == compact
    else:
        building_ids = select(Building.id).where(
            or_(
                Building.name.contains(query, autoescape=True),
                Building.name_en.ilike(f"%{_escape(query)}%", escape="\\"),
            )
        )
        match = or_(Resident.name.contains(query, autoescape=True), Resident.building_id.in_(building_ids))
    rows = session.scalars(
        scope_residents(select(Resident), account)
        .where(match)
        .order_by(Resident.grid_id, Resident.building_id, Resident.room, Resident.id)
        .limit(limit + 1)
    ).all()
    return list(rows[:limit]), len(rows) > limit


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def check_start(identity_check: str, consent: bool, reason: str) -> dict:
    """Errors (field -> code) for the confirm form: how identity was checked, consent, and the reason."""
    errors = {}
    if identity_check not in IDENTITY_CHECKS:
        errors["identity_check"] = "identity_missing"
    if not consent:
        errors["consent"] = "consent_missing"
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "reason_missing"
    elif len(reason) > REASON_MAX:
        errors["reason"] = "reason_too_long"
    elif has_control(reason):
        errors["reason"] = "reason_control"
    return errors
