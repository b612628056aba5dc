"""Lists that can grow are shown a page at a time: a page is LIMIT size + 1 rows (the extra row only
says whether there is a next page), so a page costs the same however long the list is. The number of
pages is never counted; a list that shows a total counts it with one COUNT."""

from dataclasses import dataclass

from sqlalchemy import func, select

from .inputs import int_in_range

PAGE_SIZE = 25
LAST_PAGE = 100_000


@dataclass
class Page:
    items: list
    number: int
    more: bool
    size: int = PAGE_SIZE

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.more else None

    @property
    def first_position(self) -> int:
        """The position in the whole list of this page's first item, from 1."""
        return (self.number - 1) * self.size + 1 if self.items else 0


def page_number(args) -> int:
    """?page= as a whole number from 1; anything else is page 1."""
    return int_in_range(args.get("page", "1"), 1, LAST_PAGE) or 1


def fetch_page(session, query, number: int, size: int = PAGE_SIZE, rows: bool = False, params=None) -> Page:
    """One page of an ordered SELECT of ORM objects (or, with rows=True, of plain rows of columns), with
    `params` for its bound parameters."""
    limited = query.offset((number - 1) * size).limit(size + 1)
    rows = (session.execute(limited, params) if rows else session.scalars(limited, params)).all()
    return Page(list(rows[:size]), number, len(rows) > size, size)


def fetch_page_by_id(
    session, model, query, order, number: int, size: int = PAGE_SIZE, options=(), columns=None
) -> Page:
    """One page of `query` (a SELECT of `model` rows) in `order`, for lists whose rows join other tables:
    the page's ids are picked first (by an index, when one covers the WHERE and ORDER BY), and only those
    rows are joined to what `options` eager-loads, instead of joining every matching row and then
    sorting them all. Still one statement. With `columns` (a SELECT of columns from `model` and what it
    joins), the page is those plain rows instead of ORM objects."""
    ids = query.with_only_columns(model.id).correlate(None).order_by(*order).offset((number - 1) * size).limit(size + 1)
    if columns is not None:
        rows = session.execute(columns.where(model.id.in_(ids.scalar_subquery())).order_by(*order)).all()
    else:
        listed = select(model).where(model.id.in_(ids.scalar_subquery())).order_by(*order).options(*options)
        rows = session.scalars(listed).unique().all()
    return Page(list(rows[:size]), number, len(rows) > size, size)


def count_rows(session, query) -> int:
    """How many rows the SELECT would give (its ORDER BY and eager loads dropped). A plain SELECT is
    counted as it stands (COUNT(*) with the same FROM and WHERE), which an index can answer alone; one
    with DISTINCT, GROUP BY or a LIMIT is counted as a subquery."""
    if (
        query._distinct
        or query._group_by_clauses
        or query._limit_clause is not None
        or query._offset_clause is not None
    ):
        return session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return session.scalar(query.order_by(None).with_only_columns(func.count(), maintain_column_froms=True))
