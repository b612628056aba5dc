"""Counting the SQL statements a piece of code runs (the query-count tests)."""

from contextlib import contextmanager

from sqlalchemy import event

from portal.extensions import db


@contextmanager
def counted(app):
    """Collects (statement, parameters) of every statement run on the app's engine inside the block."""
    statements = []

    def count(conn, cursor, statement, parameters, *args):
        statements.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
