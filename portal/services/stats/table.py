"""The shape every statistics figure takes: a table of rows and columns, drawn as a chart above it.

A figure source (one module per capability) returns `Table`s of plain numbers from one GROUP BY each.
The same `Table` is shown to staff as it is, and on the public page after `suppression.protect()` has
hidden small counts; the chart, the HTML table and the CSV file are all made from it, so they agree.
"""

from dataclasses import dataclass, field

# How a cell is written when it is not shown: a count under 5 itself, or a figure hidden so that a
# small count cannot be worked out from the others.
SMALL, HIDDEN = "small", "hidden"
THRESHOLD = 5


@dataclass
class Column:
    key: str
    label: str
    # count: people or records (suppressed on the public page when small; adds up down the table, and
    #        across into the "total" column when the table's `across` is set);
    # places: offered places, not people (never suppressed); share: num / sum(den), as a percentage;
    # hours: a median, shown only when `of` (a hidden count of the durations) reaches the threshold.
    kind: str = "count"
    num: str = ""
    den: tuple = ()
    of: str = ""
    part: bool = False  # one of the parts that add up to the "total" column


@dataclass
class Row:
    key: str
    label: str
    values: dict
    total: bool = False
    # Figures this row shares with other tables on the page (column key -> figure id): hidden in one
    # table, they are hidden in every table, so two tables cannot be set against each other.
    figures: dict = field(default_factory=dict)


@dataclass
class Table:
    key: str
    title: str
    description: str
    columns: list
    rows: list
    chart: str = "bar"  # bar (one column, `chart_column`) or stack (the part columns, as shares)
    chart_column: str = ""
    across: bool = False
    # (row key, column key) -> SMALL or HIDDEN, filled in by suppression.protect().
    hidden: dict = field(default_factory=dict)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def parts(self) -> list:
        return [c for c in self.columns if c.part]

    @property
    def body(self) -> list:
        return [r for r in self.rows if not r.total]

    @property
    def total_row(self):
        return next((r for r in self.rows if r.total), None)

    def share(self, row: Row, column: Column) -> float | None:
        denominator = sum(row.values.get(k) or 0 for k in column.den)
        return None if not denominator else (row.values.get(column.num) or 0) / denominator

    def state(self, row: Row, column: Column) -> str | None:
        """SMALL, HIDDEN or None (shown) for one cell."""
        return self.hidden.get((row.key, column.key))


@dataclass
class Section:
    key: str
    title: str
    tables: list
