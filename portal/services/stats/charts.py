"""Server-side SVG charts, as geometry for templates/components/chart.html: a bar per row, or a bar
per row stacked from the row's parts as shares. Every label is the table's own cell text, so the
chart says nothing the table does not. Parts differ by pattern as well as colour, and each has a
legend entry and its figures as text."""

from flask_babel import gettext as _

from .show import cell_text, percent
from .table import Table

WIDTH = 720
ROW = 66  # stacked bars: a label line above each bar
BAR = 28
BAR_ROW = 40  # bars: the label to the left
LABEL_ROOM = 230
VALUE_ROOM = 150
# (fill, pattern) per part: dark enough for 3:1 against white, and told apart without colour.
SWATCHES = [
    ("#0B3D91", "solid"), ("#0B3D91", "stripes"), ("#005A30", "solid"), ("#005A30", "dots"),
    ("#A4161A", "solid"), ("#A4161A", "cross"), ("#3A3A3A", "solid"), ("#3A3A3A", "lines"),
]  # fmt: skip


def chart(table: Table) -> dict:
    return stack(table) if table.chart == "stack" else bars(table)


def bars(table: Table) -> dict:
    column = table.column(table.chart_column)
    rows = table.body
    values = []
    for row in rows:
        shown = table.state(row, column) is None
        value = table.share(row, column) if column.kind == "share" else row.values.get(column.key)
        values.append(value if shown and value is not None else None)
    top = max([v for v in values if v is not None] + [0]) or 1
    # Short labels (months, grids) go beside the bar; a long one (a service, a merged row) above it.
    beside = max((label_width(r.label) for r in rows), default=0) <= LABEL_ROOM - 12
    room, step = (LABEL_ROOM, BAR_ROW) if beside else (4, ROW)
    items = []
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = 8 + index * step
        width = 0 if value is None else round(value / top * (WIDTH - room - VALUE_ROOM), 1)
        bar_y = y + 2 if beside else y + 28
        items.append(
            {
                "label": row.label,
                "text": cell_text(table, row, column),
                "label_y": y + 22 if beside else y + 20,
                "value_y": bar_y + 21,
                "bar_x": room,
                "bar_y": bar_y,
                "width": width,
                "text_x": room + width + 10,
            }
        )
    return {"kind": "bar", "id": f"chart-{table.key}", "width": WIDTH, "height": 16 + len(rows) * step,
            "bar_height": BAR, "column": column.label, "rows": items}  # fmt: skip


def label_width(text: str) -> int:
    """Roughly how wide a label is at the chart's 20px: a Chinese character is a full em, a letter about half."""
    return sum(20 if ord(ch) > 0x2E80 else 11 for ch in text)


def stack(table: Table) -> dict:
    parts = table.parts
    total_column = table.column("total")
    span = WIDTH - 8
    items = []
    for index, row in enumerate(table.rows):
        y = 8 + index * ROW
        total = row.values.get("total") or 0
        segments, x = [], 4.0
        whole = table.state(row, total_column) is None and total > 0
        if whole:
            hidden = total
            for number, column in enumerate(parts):
                value = row.values.get(column.key) or 0
                if table.state(row, column) is not None:
                    continue
                hidden -= value
                if value:
                    width = value / total * span
                    segments.append(
                        _segment(number, x, width, column.label, cell_text(table, row, column), value / total)
                    )
                    x += width
            if hidden > 0:
                segments.append(_segment(None, x, hidden / total * span, _("not shown"), _("not shown"), None))
        items.append(
            {
                "label": row.label,
                "total": cell_text(table, row, total_column),
                "label_y": y + 20,
                "bar_y": y + 28,
                "segments": segments,
            }
        )
    legend_top = 16 + len(table.rows) * ROW
    legend = [
        {"swatch": n, "label": c.label, "x": 4 + (n % 2) * (WIDTH // 2), "y": legend_top + (n // 2) * 40}
        for n, c in enumerate(parts)
    ]
    height = legend_top + ((len(parts) + 1) // 2) * 40 + 8
    return {"kind": "stack", "id": f"chart-{table.key}", "width": WIDTH, "height": height, "bar_height": BAR,
            "rows": items, "legend": legend, "swatches": SWATCHES[: len(parts)]}  # fmt: skip


def _segment(number, x, width, label, text, share) -> dict:
    return {
        "swatch": number,
        "x": round(x, 1),
        "width": round(width, 1),
        "title": f"{label}: {text}" if share is None else f"{label}: {text} ({percent(share)})",
        # Written inside the segment only where it fits.
        "inside": percent(share) if share is not None and width >= 64 else "",
    }
