"""Residents to work with, and what the database recorded: audit events, the last request."""

from portal.extensions import db
from portal.models import AuditEvent, Request, Resident


def resident_in(app, grid_id, with_phone=True) -> dict:
    with app.app_context():
        query = db.select(Resident).where(Resident.grid_id == grid_id).order_by(Resident.id)
        query = query.where(Resident.phone.is_not(None) if with_phone else Resident.phone.is_(None))
        r = db.session.scalars(query).first()
        return {
            "id": r.id,
            "number": r.number,
            "name": r.name,
            "phone": r.phone,
            "birth_year": r.birth_year,
            "grid_id": r.grid_id,
        }


def audit_events(app, action=None) -> list[dict]:
    with app.app_context():
        query = db.select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return [
            {
                "action": e.action,
                "actor": e.actor.username if e.actor else None,
                "resident_id": e.resident_id,
                "reason": e.reason,
                "detail": e.detail,
                "channel": e.channel,
                "kiosk_id": e.kiosk_id,
            }
            for e in db.session.scalars(query)
        ]


def last_request(app) -> dict:
    with app.app_context():
        r = db.session.scalars(db.select(Request).order_by(Request.id.desc())).first()
        return {
            "ticket": r.ticket,
            "channel": r.channel,
            "entered_by": r.entered_by.username if r.entered_by else None,
            "resident_id": r.resident_id,
            "assignee": r.assignee.username if r.assignee else None,
            "kiosk_id": r.kiosk_id,
            "state": r.state,
            "photo_path": r.photo_path,
            "grid_id": r.grid_id,
            "description": r.description,
            "building_id": r.building_id,
            "location_text": r.location_text,
        }


def resident_named(app, name):
    """The resident's row, with what the tests read from its relations loaded while the session is open."""
    with app.app_context():
        resident = db.session.scalars(db.select(Resident).filter_by(name=name)).first()
        if resident is not None:
            resident.building, resident.entered_by  # noqa: B018  (load them now)
        return resident
