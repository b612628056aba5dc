"""Server-side SVG charts, as geometry for templates/components/chart.html: a bar per row, or a bar
per row stacked from the row's parts as shares. Every label is the table's own cell text, so the
chart says nothing the table does not. Parts differ by pattern as well as colour, and each has a
legend entry and its figures as text.

Each chart is drawn twice: WIDTH wide for kiosks, desktops and print, and NARROW wide for phones
(`narrow`), where the SVG scales to the screen's width: at 720 its 20px labels would shrink to under
10 CSS px on a 390 px phone, at 360 they stay about 20. The narrow one puts every label on lines of
its own above its bar, wrapped to the width, and the legend in one column."""

import re

from flask_babel import gettext as _

from .show import cell_text, percent
from .table import Table

WIDTH = 720
NARROW = 360
LINE = 26  # a wrapped label's line, narrow charts
NARROW_VALUE_ROOM = 140
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
    wide, narrow = (stack(table), narrow_stack(table)) if table.chart == "stack" else (bars(table), narrow_bars(table))
    return {**wide, "narrow": narrow}


def bar_values(table: Table, column) -> list:
    values = []
    for row in table.body:
        shown = table.state(row, column) is None
        value = table.share(row, column) if column.kind == "share" else row.values.get(column.key)
        values.append(value if shown and value is not None else None)
    return values


def bars(table: Table) -> dict:
    column = table.column(table.chart_column)
    rows = table.body
    values = bar_values(table, column)
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


def wrapped(text: str, room: int) -> list[str]:
    """The label in lines no wider than `room`: broken at a space where there is one, else anywhere
    (Chinese has no spaces)."""
    lines, line = [], ""
    for word in re.findall(r"\S+\s*|\s+", text):
        if line and label_width(line + word.rstrip()) > room:
            lines.append(line.rstrip())
            line = ""
        while label_width(word.rstrip()) > room:  # one word wider than the room: cut it
            cut = max(1, next(i for i in range(len(word), 0, -1) if label_width(word[:i]) <= room))
            lines.append(word[:cut])
            word = word[cut:]
        line += word
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def narrow_bars(table: Table) -> dict:
    column = table.column(table.chart_column)
    values = bar_values(table, column)
    top = max([v for v in values if v is not None] + [0]) or 1
    items, y = [], 8
    for row, value in zip(table.body, values, strict=True):
        lines = wrapped(row.label, NARROW - 8)
        bar_y = y + len(lines) * LINE + 6
        width = 0 if value is None else round(value / top * (NARROW - 4 - NARROW_VALUE_ROOM), 1)
        items.append({"label": row.label, "lines": lines, "text": cell_text(table, row, column), "label_y": y + 20,
                      "value_y": bar_y + 21, "bar_x": 4, "bar_y": bar_y, "width": width, "text_x": 4 + width + 8})  # fmt: skip
        y = bar_y + BAR + 14
    return {"kind": "bar", "id": f"chart-{table.key}-narrow", "width": NARROW, "height": y + 4, "bar_height": BAR,
            "line": LINE, "column": column.label, "rows": items}  # fmt: skip


def narrow_stack(table: Table) -> dict:
    wide = stack(table, NARROW)
    items, y = [], 8
    for item in wide["rows"]:
        lines = wrapped(f"{item['label']}: {item['total']}", NARROW - 8)
        bar_y = y + len(lines) * LINE + 6
        items.append({**item, "lines": lines, "label_y": y + 20, "bar_y": bar_y})
        y = bar_y + BAR + 14
    legend = []
    for entry in wide["legend"]:
        lines = wrapped(entry["label"], NARROW - 46)
        legend.append({**entry, "lines": lines, "x": 4, "y": y})
        y += max(40, len(lines) * LINE + 14)
    return {**wide, "id": f"chart-{table.key}-narrow", "rows": items, "legend": legend, "height": y + 8,
            "line": LINE}  # fmt: skip


def stack(table: Table, chart_width: int = WIDTH) -> dict:
    parts = table.parts
    total_column = table.column("total")
    span = chart_width - 8
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
        {"swatch": n, "label": c.label, "x": 4 + (n % 2) * (chart_width // 2), "y": legend_top + (n // 2) * 40}
        for n, c in enumerate(parts)
    ]
    height = legend_top + ((len(parts) + 1) // 2) * 40 + 8
    return {"kind": "stack", "id": f"chart-{table.key}", "width": chart_width, "height": height, "bar_height": BAR,
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
