"""A request filed by a partner's system through Open311 (POST requests): checked, then filed and routed
exactly like any other (services/filing.py, routing.py) on the "open311" channel, with the key that
filed it. No request, g or session here."""

from ..models import Building
from .filing import DESCRIPTION_MAX, FilingError, file_request
from .identity import check_phone, resident_by_phone
from .inputs import int_in_range, text_problem
from .open311 import Open311Error, category_by_code, jurisdiction

ORIGIN = {"channel": "open311", "entered_by_id": None, "kiosk_id": None}


def file_from_partner(session, key, form, now):
    """File what a partner POSTed. Returns the request; raises Open311Error (400/403/404) with what to fix."""
    asked = jurisdiction(session, form.get("jurisdiction_id"))
    if asked is not None and asked.id != key.community_id:
        raise Open311Error(403, "This api_key may file requests only in jurisdiction_id " + str(key.community_id))
    code = form.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "service_code is required")
    category = category_by_code(session, code)
    if category is None:
        raise Open311Error(400, "service_code is not a service of this endpoint (see services.json)")
    description = form.get("description", "")
    if not description.strip():
        raise Open311Error(400, "description is required")
    if len(description) > DESCRIPTION_MAX:
        raise Open311Error(400, f"description may be at most {DESCRIPTION_MAX} characters")
    if text_problem(description, DESCRIPTION_MAX, multiline=True):
        raise Open311Error(400, "description holds control characters")
    phone, problem = check_phone(form.get("phone", "")[:40])
    if problem:
        raise Open311Error(400, "phone is required: the resident's 11-digit mobile number, as registered")
    resident = resident_by_phone(session, phone, key.community_id)
    if resident is None:
        raise Open311Error(400, "No resident is registered with that phone in this jurisdiction: they sign up first")
    building_id = resident.building_id
    if form.get("address_id"):
        number = int_in_range(form["address_id"], 1)
        building = session.get(Building, number) if number else None
        if building is None or building.grid_id != resident.grid_id:
            raise Open311Error(400, "address_id must be a building of the resident's grid")
        building_id = building.id
    try:
        filed = file_request(
            session,
            resident=resident,
            category=category,
            description=description,
            origin=ORIGIN,
            now=now,
            building_id=building_id,
            reason=f"Open311: {key.name}",
        )
    except FilingError as refused:
        raise Open311Error(400, f"The request cannot be filed: {refused.code}") from None
    filed.partner_key_id = key.id
    session.flush()
    return filed
