"""A resident's asks about their own data: a correction of their record, or removal (PIPL).

The resident (or a helper with them) asks; staff of the resident's community apply or decline. Each
decision is one conditional UPDATE of a pending row, so two staff acting at once decide it once. Every
step is audited in words; an applied correction records which field changed, never the old or new value.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..models import DataRequest, Resident
from ..models.mydata import CORRECTION_FIELDS
from .audit import record_event
from .identity import check_birth_year, check_phone, message
from .inputs import text_errors
from .permissions import scope_to_community

ASK_LENGTH = 500
FIELD_LENGTHS = {"name": 80, "room": 40, "family_contact": 120}


class AskRefused(ValueError):
    def __init__(self, errors: dict):
        super().__init__(", ".join(errors))
        self.errors = errors


def _origin_columns(origin: dict) -> dict:
    return {"channel": origin["channel"], "entered_by_id": origin["entered_by_id"], "kiosk_id": origin["kiosk_id"]}


def check_correction(field: str, what_is_wrong: str, should_be: str) -> dict:
    errors = {}
    if field not in CORRECTION_FIELDS:
        errors["field"] = _l("Choose what is wrong.")
    values = {"what_is_wrong": what_is_wrong, "should_be": should_be}
    errors.update(text_errors(values, lengths={k: ASK_LENGTH for k in values}, multiline=tuple(values)))
    if "what_is_wrong" not in errors and not what_is_wrong.strip():
        errors["what_is_wrong"] = _l("Say what is wrong.")
    if "should_be" not in errors and not should_be.strip():
        errors["should_be"] = _l("Say what it should be.")
    return errors


def ask_correction(
    session, resident: Resident, *, field: str, what_is_wrong: str, should_be: str, origin: dict, actor=None, reason=""
) -> DataRequest:
    errors = check_correction(field, what_is_wrong, should_be)
    if errors:
        raise AskRefused(errors)
    ask = DataRequest(
        resident_id=resident.id,
        community_id=resident.community_id,
        kind="correction",
        field=field,
        what_is_wrong=what_is_wrong.strip(),
        should_be=should_be.strip(),
        **_origin_columns(origin),
    )
    session.add(ask)
    _audit(session, "mydata.correction_ask", resident, actor, reason, origin, f"field={field}")
    session.commit()
    return ask


def pending_removal(session, resident: Resident) -> DataRequest | None:
    return session.scalars(
        select(DataRequest).where(
            DataRequest.resident_id == resident.id, DataRequest.kind == "removal", DataRequest.state == "pending"
        )
    ).first()


def ask_removal(session, resident: Resident, *, origin: dict, actor=None, reason="") -> DataRequest:
    """One pending removal per resident (the partial unique index): asking again returns the first."""
    ask = DataRequest(
        resident_id=resident.id, community_id=resident.community_id, kind="removal", **_origin_columns(origin)
    )
    session.add(ask)
    _audit(session, "mydata.removal_ask", resident, actor, reason, origin, "")
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return pending_removal(session, resident)
    return ask


def _audit(session, action, resident, actor, reason, origin, detail):
    record_event(
        session,
        action,
        actor=actor,
        resident=resident,
        reason=reason,
        detail=detail,
        channel=origin["channel"],
        kiosk_id=origin.get("kiosk_id"),
    )


# -- the staff queue ----------------------------------------------------------------------------
def queue_query(account, state: str = "pending"):
    query = (
        select(DataRequest)
        .where(DataRequest.state == state)
        .order_by(DataRequest.created_at, DataRequest.id)
        .options(joinedload(DataRequest.resident).joinedload(Resident.grid), joinedload(DataRequest.entered_by))
    )
    return scope_to_community(query, DataRequest.community_id, account)


def check_new_value(session, ask: DataRequest, raw: str, year_now: int) -> tuple[object, dict]:
    """The value staff typed for the field, checked like the sign-up checks it: (value, errors)."""
    field = ask.field
    raw = raw or ""
    if field == "other":
        return None, {}
    if field == "phone":
        phone, problem = check_phone(raw)
        if problem:
            return None, {"value": str(message(problem))}
        taken = session.scalar(
            select(Resident.id).where(
                Resident.community_id == ask.community_id, Resident.phone == phone, Resident.id != ask.resident_id
            )
        )
        if taken is not None:
            return None, {"value": _l("Another resident of this community has this number.")}
        return phone, {}
    if field == "birth_year":
        year, problem = check_birth_year(raw, year_now)
        return (year, {}) if problem is None else (None, {"value": str(message(problem))})
    errors = text_errors({"value": raw}, lengths={"value": FIELD_LENGTHS[field]})
    if errors:
        return None, errors
    value = raw.strip()
    if field == "name" and not value:
        return None, {"value": _l("Enter the name.")}
    return value, {}


def _decide(session, ask: DataRequest, state: str, actor, now: datetime, note: str = "") -> bool:
    done = session.execute(
        update(DataRequest)
        .where(DataRequest.id == ask.id, DataRequest.state == "pending")
        .values(state=state, decided_at=now, decided_by_id=actor.id, outcome_note=note)
        .execution_options(synchronize_session=False)
    ).rowcount
    return done == 1


def apply_correction(session, ask: DataRequest, *, raw_value: str, actor, now: datetime, year_now: int) -> dict:
    """Change the resident's record and mark the ask applied, in one transaction. Errors, or {}."""
    value, errors = check_new_value(session, ask, raw_value, year_now)
    if errors:
        return errors
    if not _decide(session, ask, "applied", actor, now):
        session.rollback()
        return {"value": _l("Someone else has already dealt with this.")}
    if ask.field != "other":
        session.execute(
            update(Resident)
            .where(Resident.id == ask.resident_id)
            .values({ask.field: value})
            .execution_options(synchronize_session=False)
        )
    record_event(
        session,
        "mydata.correction_apply",
        actor=actor,
        resident=ask.resident,
        detail=f"field={ask.field}",
        channel="staff",
    )
    try:
        session.commit()
    except IntegrityError:  # the same number was given to someone else a moment ago
        session.rollback()
        return {"value": _l("Another resident of this community has this number.")}
    session.expire_all()
    return {}


def decline(session, ask: DataRequest, *, note: str, actor, now: datetime) -> dict:
    errors = text_errors({"note": note}, lengths={"note": ASK_LENGTH}, multiline=("note",))
    if not errors and not note.strip():
        errors["note"] = _l("Say why, in words the resident understands.")
    if errors:
        return errors
    if not _decide(session, ask, "declined", actor, now, note.strip()):
        session.rollback()
        return {"note": _l("Someone else has already dealt with this.")}
    action = "mydata.correction_decline" if ask.kind == "correction" else "mydata.removal_decline"
    record_event(session, action, actor=actor, resident=ask.resident, channel="staff")
    session.commit()
    return {}


def mark_removal_applied(session, ask: DataRequest, *, actor, now: datetime) -> bool:
    """Claim a pending removal for this staff member (the anonymisation itself: services/removal.py)."""
    return _decide(session, ask, "applied", actor, now)
