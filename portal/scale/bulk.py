"""Bulk inserts for seed-scale: a few thousand rows at a time through the driver (executemany on SQLite,
COPY on PostgreSQL), inside the caller's one transaction, with a rich progress bar per table.

No ids are written by hand, so PostgreSQL's sequences stay right: the database numbers the rows and
`ids_by` reads them back by each table's natural key (a resident's number, a request's ticket).
"""

import queue
import threading
from collections import Counter
from operator import itemgetter

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Date, DateTime, Time, insert, select

BATCH = 5_000
# Parameters per SELECT ... IN (...): well under SQLite's limit of 32,766.
KEYS_PER_SELECT = 5_000


def progress_bars(console: Console | None = None) -> Progress:
    return Progress(
        TextColumn("{task.description:<16}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


class Loader:
    """Writes rows table by table on the session's connection, counting what it added."""

    def __init__(self, session, progress: Progress):
        self._session = session
        self.connection = session.connection()
        self.writer = BackgroundWriter(self.connection, progress) if self.dialect == "sqlite" else None
        self.progress = progress
        self.tasks: dict[str, int] = {}
        self.planned: Counter = Counter()
        self.added: Counter = Counter()
        if self.dialect == "sqlite":
            # 256 MB of page cache for this connection: the random keys of the unique indexes (tickets,
            # references) otherwise spill pages to disk long before the one commit.
            self.connection.exec_driver_sql("PRAGMA cache_size = -262144")

    @property
    def dialect(self) -> str:
        return self.connection.dialect.name

    @property
    def session(self):
        """The session, once every row handed to the background writer is in: a query sees them all."""
        self.drain()
        return self._session

    def drain(self) -> None:
        if self.writer is not None:
            self.writer.drain()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()

    def bar(self, name: str, total: int) -> None:
        self.planned[name] = total
        if name not in self.tasks:
            self.tasks[name] = self.progress.add_task(name, total=total)
        else:
            self.progress.update(self.tasks[name], total=total)

    def finish(self, name: str) -> None:
        """The bar's total becomes what was written (some totals are only estimates beforehand)."""
        self.drain()
        if name in self.tasks:
            self.progress.update(self.tasks[name], total=self.added[name], completed=self.added[name])

    def insert(self, table, rows: list[dict], background: bool = False) -> None:
        """Insert `rows`. `background`: on SQLite, the next rows are drawn while these are written (the
        driver lets go of the GIL while SQLite works), for tables nothing reads back until the end."""
        if table.name not in self.tasks or self.added[table.name] + len(rows) > self.planned[table.name]:
            self.bar(table.name, self.added[table.name] + len(rows))  # a second batch of the same table
        if not rows:
            return
        statement = self.driver_insert(table, list(rows[0]))
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            if statement is None:
                self.connection.execute(insert(table), chunk)
            else:
                sql, columns, pick, converted, extra = statement
                values = [pick(row) for row in chunk]
                if converted:
                    values = [list(row) for row in values]
                    for row in values:
                        for i, convert in converted:
                            row[i] = convert(row[i])
                    values = [tuple(row) for row in values]
                if extra:
                    values = [row + extra for row in values]
                if self.dialect == "postgresql":
                    self.copy_rows(table, columns, values)
                elif background:
                    self.writer.put(sql, values, self.tasks[table.name])
                    self.added[table.name] += len(chunk)
                    continue
                else:
                    self.drain()
                    self.connection.exec_driver_sql(sql, values)
            self.added[table.name] += len(chunk)
            self.progress.advance(self.tasks[table.name], len(chunk))

    def driver_insert(self, table, names: list[str]):
        """(sql, a row's values, converters by position, defaults) for the driver's own executemany, or
        None to use insert().

        SQLAlchemy's per-row parameter processing was 40% of the run at city size; rows here hold
        plain values, so only SQLite needs dates and times turned into the text SQLAlchemy stores
        (the same format, so comparisons in SQL keep working). Columns the rows leave out get their
        scalar default, as insert() would give them."""
        dialect = self.connection.dialect
        placeholder = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)
        if placeholder is None:
            return None
        names = list(names)
        convert = [self.converter(table.c[name].type) for name in names]
        defaults = {}
        for column in table.columns:
            if column.name not in names and not column.primary_key and column.default is not None:
                if not column.default.is_scalar:
                    return None
                defaults[column.name] = column.default.arg
        quote = dialect.identifier_preparer.quote
        columns = names + list(defaults)
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            dialect.identifier_preparer.format_table(table),
            ", ".join(quote(name) for name in columns),
            ", ".join([placeholder] * len(columns)),
        )
        extra = tuple(self.converter(table.c[name].type)(value) for name, value in defaults.items())
        pick = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
        converted = [(i, c) for i, c in enumerate(convert) if c is not same]
        return sql, columns, pick, converted, extra

    def copy_rows(self, table, columns: list[str], values: list[tuple]) -> None:
        """PostgreSQL: COPY ... FROM STDIN in the same transaction, which runs far faster than one
        INSERT per row (executemany) or multi-row INSERTs."""
        preparer = self.connection.dialect.identifier_preparer
        sql = "COPY {} ({}) FROM STDIN".format(
            preparer.format_table(table), ", ".join(preparer.quote(name) for name in columns)
        )
        with self.connection.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in values:
                copy.write_row(row)

    def converter(self, column_type):
        if self.dialect != "sqlite":
            return same
        if isinstance(column_type, DateTime):
            return sqlite_datetime
        if isinstance(column_type, Date):
            return sqlite_date
        if isinstance(column_type, Time):
            return sqlite_time
        return same

    def ids_by(self, table, key_column: str, keys) -> dict:
        """{natural key: id} for rows just inserted."""
        self.drain()
        keys, found = list(keys), {}
        column = table.c[key_column]
        for start in range(0, len(keys), KEYS_PER_SELECT):
            chunk = keys[start : start + KEYS_PER_SELECT]
            found.update(self.connection.execute(select(column, table.c.id).where(column.in_(chunk))).all())
        return found

    def execute(self, statement, rows=None):
        self.drain()
        return self.connection.execute(statement, rows) if rows is not None else self.connection.execute(statement)


class BackgroundWriter:
    """One thread that runs executemany on the connection's own sqlite3 connection (SQLAlchemy opens
    file databases with check_same_thread=False), a few batches behind the thread drawing the rows.
    Only one thread uses the connection at a time: anything else waits for drain() first."""

    def __init__(self, connection, progress: Progress):
        self.connection, self.progress = connection, progress
        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.failure: BaseException | None = None
        self.thread: threading.Thread | None = None

    def put(self, sql: str, values: list, task) -> None:
        if self.failure is not None:
            raise self.failure
        if self.thread is None:
            self.thread = threading.Thread(target=self.run, name="seed-scale-writer", daemon=True)
            self.thread.start()
        self.queue.put((sql, values, task))

    def run(self) -> None:
        raw = self.connection.connection.driver_connection
        while (item := self.queue.get()) is not None:
            sql, values, task = item
            try:
                if self.failure is None:
                    cursor = raw.cursor()
                    cursor.executemany(sql, values)
                    cursor.close()
                    self.progress.advance(task, len(values))
            except BaseException as failure:  # handed to the drawing thread at its next put() or drain()
                self.failure = failure
            finally:
                self.queue.task_done()
        self.queue.task_done()

    def drain(self) -> None:
        if self.thread is not None:
            self.queue.join()
        if self.failure is not None:
            raise self.failure

    def close(self) -> None:
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.thread = None
        if self.failure is not None:
            raise self.failure


def same(value):
    return value


def sqlite_datetime(value):
    return None if value is None else value.isoformat(" ", "microseconds")


def sqlite_date(value):
    return None if value is None else value.isoformat()


def sqlite_time(value):
    return None if value is None else value.isoformat("microseconds")
