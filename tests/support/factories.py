"""Rows for service-level tests, read or made inside an app context: accounts, residents, categories and
requests filed at a fixed time."""

from datetime import datetime

import pytest

from portal.extensions import db
from portal.models import Account, Category, Resident
from portal.services.filing import file_request

T0 = datetime(2025, 3, 3, 2, 0)  # a Monday, 10:00 in Shanghai
ORIGIN = {"channel": "online", "entered_by_id": None, "kiosk_id": None}


def account(username):
    return db.session.scalars(db.select(Account).filter_by(username=username)).one()


def grid_resident(grid_id, with_phone=None) -> Resident:
    """The first resident of the grid (with or without a phone when `with_phone` says so)."""
    query = db.select(Resident).where(Resident.grid_id == grid_id).order_by(Resident.id)
    if with_phone is not None:
        query = query.where(Resident.phone.is_not(None) if with_phone else Resident.phone.is_(None))
    return db.session.scalars(query).first()


def category(code="repairs"):
    return db.session.scalars(db.select(Category).filter_by(code=code)).one()


def new_request(grid_id=1, code="repairs", now=T0):
    return file_request(
        db.session,
        resident=grid_resident(grid_id),
        category=category(code),
        description="The stair light is broken",
        origin=ORIGIN,
        now=now,
    )


@pytest.fixture
def ctx(app):
    """An English request context, for the words that services produce."""
    with app.test_request_context("/?lang=en"):
        yield
