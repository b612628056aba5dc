"""The demo data saved once per run, and put back before every test: only the tables the last test wrote.

Putting back every table cost a test about 60 ms on SQLite and 170 ms on PostgreSQL, while most tests
write a handful of tables (a session, an audit event, a booking). So after the snapshot is taken, every
table gets a trigger that notes its name in `test_written_tables` when a statement inserts, updates or
deletes rows in it, whoever writes: the test, the live server's thread, a race's other processes. The
next restore empties and refills those tables and every table that refers to them (a resident put back
means its bookings are put back too), and clears the notes. The notes live in the database and roll
back with the transaction that wrote them, so a write that was rolled back needs no restore either.

`restore_snapshot({})` (every table empty, as on a fresh install) and any other contents put back every
table and leave every table noted, so the next restore of the demo's snapshot puts back everything.
"""

from sqlalchemy import text

from portal.extensions import db

NOTES = "test_written_tables"
_demo = {"snapshot": None}


def take_snapshot() -> dict:
    """The demo's rows, table by table; from now on each restore of them puts back only what was written."""
    with db.engine.connect() as conn:
        saved = {t.name: [dict(r) for r in conn.execute(t.select()).mappings()] for t in db.metadata.sorted_tables}
    _note_writes()
    _demo["snapshot"] = saved
    return saved


def _note_writes() -> None:
    tables = [t.name for t in db.metadata.sorted_tables]
    with db.engine.begin() as conn:
        postgresql = conn.dialect.name == "postgresql"
        conn.execute(text(f"CREATE TABLE IF NOT EXISTS {NOTES} (name VARCHAR(100) NOT NULL)"))
        if postgresql:
            # No unique key: concurrent writers of different tables must never wait on each other's note.
            conn.execute(
                text(
                    f"CREATE OR REPLACE FUNCTION note_written_table() RETURNS trigger AS $$ BEGIN "
                    f"INSERT INTO {NOTES} (name) SELECT TG_TABLE_NAME "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {NOTES} WHERE name = TG_TABLE_NAME); "
                    f"RETURN NULL; END $$ LANGUAGE plpgsql"
                )
            )
        for name in tables:
            if postgresql:
                conn.execute(text(f'DROP TRIGGER IF EXISTS note_written ON "{name}"'))
                conn.execute(
                    text(
                        f'CREATE TRIGGER note_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{name}" '
                        "FOR EACH STATEMENT EXECUTE FUNCTION note_written_table()"
                    )
                )
                continue
            for event in ("INSERT", "UPDATE", "DELETE"):
                trigger = f"note_{event.lower()}_{name}"
                conn.execute(text(f'DROP TRIGGER IF EXISTS "{trigger}"'))
                conn.execute(
                    text(
                        f'CREATE TRIGGER "{trigger}" AFTER {event} ON "{name}" BEGIN '
                        f"INSERT INTO {NOTES} (name) SELECT '{name}' "
                        f"WHERE NOT EXISTS (SELECT 1 FROM {NOTES} WHERE name = '{name}'); END"
                    )
                )
        conn.execute(text(f"DELETE FROM {NOTES}"))


def _with_referring(names: set[str]) -> set[str]:
    """The tables named, and every table whose rows point at one of them (transitively)."""
    wanted = set(names)
    while True:
        more = {
            t.name
            for t in db.metadata.sorted_tables
            if t.name not in wanted and any(fk.column.table.name in wanted for fk in t.foreign_keys)
        }
        if not more:
            return wanted
        wanted |= more


def restore_snapshot(snapshot: dict) -> None:
    """Put tables back to the snapshot: empty them (children first), then insert the saved rows.
    DELETE, not TRUNCATE: on tables this small, TRUNCATE's new files for every table and index cost far more
    (PostgreSQL: about 150 ms a test against 30 ms)."""
    tables = db.metadata.sorted_tables
    everything = {t.name for t in tables}
    demo = snapshot is _demo["snapshot"]
    with db.engine.begin() as conn:
        if demo:
            written = set(conn.execute(text(f"SELECT DISTINCT name FROM {NOTES}")).scalars()) & everything
            again = _with_referring(written)
        else:
            again = everything
        chosen = [t for t in tables if t.name in again]
        for table in reversed(chosen):
            conn.execute(table.delete())
        for table in chosen:
            if snapshot.get(table.name):
                conn.execute(table.insert(), snapshot[table.name])
        if conn.dialect.name == "postgresql":
            # Every counter, written or not: a rolled-back insert moves a sequence on and writes no row.
            counters = [
                f"setval(pg_get_serial_sequence('\"{t.name}\"', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{t.name}"), 1), (SELECT MAX(id) FROM "{t.name}") IS NOT NULL)'
                for t in tables
                if "id" in t.c and t.c.id.autoincrement is not False and t.c.id.primary_key
            ]
            conn.execute(text("SELECT " + ", ".join(counters)))
        if _demo["snapshot"] is None:
            return
        conn.execute(text(f"DELETE FROM {NOTES}"))
        if not demo:  # what is there now is not the demo's snapshot: the next restore of it puts back all
            conn.execute(text(f"INSERT INTO {NOTES} (name) VALUES (:name)"), [{"name": n} for n in everything])
