"""Bulk inserts for seed-scale: SQLAlchemy Core INSERTs of a few thousand rows at a time (executemany),
inside the caller's one transaction, with a rich progress bar per table.

No ids are written by hand, so PostgreSQL's sequences stay right: the database numbers the rows and
`ids_by` reads them back by each table's natural key (a resident's number, a request's ticket).
"""

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
        self.session = session
        self.connection = session.connection()
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

    def bar(self, name: str, total: int) -> None:
        self.planned[name] = total
        if name not in self.tasks:
            self.tasks[name] = self.progress.add_task(name, total=total)
        else:
            self.progress.update(self.tasks[name], total=total)

    def finish(self, name: str) -> None:
        """The bar's total becomes what was written (some totals are only estimates beforehand)."""
        if name in self.tasks:
            self.progress.update(self.tasks[name], total=self.added[name], completed=self.added[name])

    def insert(self, table, rows: list[dict]) -> None:
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
                sql, pick, converted, extra = statement
                values = [pick(row) for row in chunk]
                if converted:
                    values = [list(row) for row in values]
                    for row in values:
                        for i, convert in converted:
                            row[i] = convert(row[i])
                    values = [tuple(row) for row in values]
                if extra:
                    values = [row + extra for row in values]
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
        return sql, pick, converted, extra

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
        keys, found = list(keys), {}
        column = table.c[key_column]
        for start in range(0, len(keys), KEYS_PER_SELECT):
            chunk = keys[start : start + KEYS_PER_SELECT]
            found.update(self.connection.execute(select(column, table.c.id).where(column.in_(chunk))).all())
        return found

    def execute(self, statement, rows=None):
        return self.connection.execute(statement, rows) if rows is not None else self.connection.execute(statement)


def same(value):
    return value


def sqlite_datetime(value):
    return None if value is None else value.isoformat(" ", "microseconds")


def sqlite_date(value):
    return None if value is None else value.isoformat()


def sqlite_time(value):
    return None if value is None else value.isoformat("microseconds")
