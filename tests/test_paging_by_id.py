"""paging.fetch_page_by_id (the request lists): pages picked by id first give the same rows, in the
same order, as one ordered SELECT of everything, with their eager loads and one statement a page; and
count_rows, the total a list shows above its pages."""

import pytest
from sqlalchemy import event
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Request
from portal.requests.handling import ROW_COLUMNS
from portal.services.clock import utcnow
from portal.services.paging import count_rows, fetch_page_by_id
from portal.services.sla import queue_order


@pytest.mark.parametrize("shape", ["objects", "rows"])
def test_pages_by_id_follow_the_queue_order_without_gaps_or_repeats(app, shape):
    """As ORM objects with their eager loads, or as the plain rows the request lists show (ROW_COLUMNS)."""
    way = {"options": (joinedload(Request.resident),)} if shape == "objects" else {"columns": ROW_COLUMNS}
    with app.app_context():
        now = utcnow()
        order = queue_order(now)
        query = db.select(Request)
        everything = [r.id for r in db.session.scalars(query.order_by(*order)).all()]
        assert len(everything) == 5  # the demo's requests: pages of 2, 2 and 1
        statements = []
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        seen, number = [], 1
        while True:
            page = fetch_page_by_id(db.session, Request, query, order, number, size=2, **way)
            # What the row shows was loaded with it: reading it costs no statement.
            before = len(statements)
            names = [r.resident.name if shape == "objects" else r.resident_name for r in page.items]
            assert all(names) and len(statements) == before
            seen.extend(r.id for r in page.items)
            if not page.more:
                break
            number += 1
        assert seen == everything
        assert number == 3 and len(statements) == number  # one statement a page
        assert fetch_page_by_id(db.session, Request, query, order, number + 5, size=2, **way).items == []


def test_a_list_counts_as_many_rows_as_it_shows_with_joins_and_groups_too(app):
    with app.app_context():
        open_ones = db.select(Request).where(Request.state != "closed").order_by(*queue_order(utcnow()))
        assert count_rows(db.session, open_ones) == len(db.session.scalars(open_ones).all()) > 0
        # A join that repeats a request once per event counts each repeat, as the rows would.
        with_events = db.select(Request).join(Request.events)
        assert count_rows(db.session, with_events) == len(db.session.execute(with_events).all()) > 5
        # Grouped (one row per state) and limited SELECTs count their rows, not what is under them.
        per_state = db.select(Request.state, db.func.count()).group_by(Request.state)
        assert count_rows(db.session, per_state) == len(db.session.execute(per_state).all()) < 5
        assert count_rows(db.session, db.select(Request).order_by(Request.id).limit(2)) == 2
        assert count_rows(db.session, db.select(Request.state).distinct()) == len(
            db.session.execute(db.select(Request.state).distinct()).all()
        )


def test_the_queue_index_comes_from_migration_0026(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert [d for d in differences if "ix_request" in repr(d)] == []
