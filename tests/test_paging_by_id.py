"""paging.fetch_page_by_id (the request lists): pages picked by id first give the same rows, in the
same order, as one ordered SELECT of everything, with their eager loads and one statement a page."""

from sqlalchemy import event
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Request
from portal.services.clock import utcnow
from portal.services.paging import fetch_page_by_id
from portal.services.sla import queue_order


def test_pages_by_id_follow_the_queue_order_without_gaps_or_repeats(app):
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
            page = fetch_page_by_id(
                db.session, Request, query, order, number, size=2, options=(joinedload(Request.resident),)
            )
            # What the row shows was loaded with it: reading it costs no statement.
            before = len(statements)
            assert all(r.resident.name for r in page.items) and len(statements) == before
            seen.extend(r.id for r in page.items)
            if not page.more:
                break
            number += 1
        assert seen == everything
        assert number == 3 and len(statements) == number  # one statement a page
        assert fetch_page_by_id(db.session, Request, query, order, number + 5, size=2).items == []
