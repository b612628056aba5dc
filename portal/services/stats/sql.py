"""SQL that SQLite and PostgreSQL both run: seconds between two timestamps, medians by window
functions, and local calendar months as buckets (computed from UTC bounds, so no time-zone
arithmetic happens in SQL)."""

from sqlalchemy import Float, and_, case, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement


class SecondsBetween(ColumnElement):
    """`later - earlier` in seconds, as a number."""

    type = Float()
    inherit_cache = True

    def __init__(self, later, earlier):
        self.later, self.earlier = later, earlier


@compiles(SecondsBetween)
def _seconds_postgresql(element, compiler, **kw):
    return f"EXTRACT(EPOCH FROM ({compiler.process(element.later, **kw)} - {compiler.process(element.earlier, **kw)}))"


@compiles(SecondsBetween, "sqlite")
def _seconds_sqlite(element, compiler, **kw):
    later, earlier = compiler.process(element.later, **kw), compiler.process(element.earlier, **kw)
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


def medians(session, duration, where, key=None) -> dict:
    """key -> (median, how many) of `duration` over the rows matching `where`, grouped by `key`
    (one group, key None, without it). The middle row (or the two middle rows) is picked with
    ROW_NUMBER and COUNT over the group, so only one row per group leaves the database."""
    group = key if key is not None else literal(0)
    partition = {"partition_by": key} if key is not None else {}
    ranked = (
        select(
            group.label("k"),
            duration.label("d"),
            func.row_number().over(order_by=duration, **partition).label("rn"),
            func.count().over(**partition).label("n"),
        )
        .where(and_(*where), duration.is_not(None))
        .subquery()
    )
    # The middle of n rows: rn with n <= 2*rn <= n + 2 (one row when n is odd, two when it is even).
    middle = and_(2 * ranked.c.rn >= ranked.c.n, 2 * ranked.c.rn <= ranked.c.n + 2)
    rows = session.execute(
        select(ranked.c.k, func.avg(ranked.c.d), func.max(ranked.c.n)).where(middle).group_by(ranked.c.k)
    )
    found = {k: (float(median), int(n)) for k, median, n in rows}
    return found if key is not None else found.get(0, (None, 0))


def month_bucket(column, months):
    """The index of the month (from Period.months) that `column` falls in."""
    return case(*[(column < end, index) for index, (_first, _start, end) in enumerate(months)], else_=len(months))


def counted(condition):
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END): how many rows of a group meet it."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
