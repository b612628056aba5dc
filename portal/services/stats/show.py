"""Figures as words and numbers: the same text in the HTML table, the chart's labels and the CSV file."""

import csv
import io

from flask_babel import gettext as _

from .table import HIDDEN, SMALL, Table


def cell_text(table: Table, row, column) -> str:
    state = table.state(row, column)
    if state == SMALL:
        return _("fewer than 5")
    if state == HIDDEN:
        return _("not shown")
    value = row.values.get(column.key)
    if column.kind == "share":
        share = table.share(row, column)
        return "–" if share is None else percent(share)
    if column.kind == "hours":
        return "–" if value is None else f"{value:.1f}"
    return str(value or 0)


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def table_csv(table: Table) -> str:
    """The table as CSV, exactly as shown (with a BOM, so spreadsheet programs read the Chinese)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([table.title] + [c.label for c in table.columns])
    for row in table.rows:
        label = "'" + row.label if row.label.startswith(FORMULA_START) else row.label
        writer.writerow([label] + [cell_text(table, row, c) for c in table.columns])
    return out.getvalue()
