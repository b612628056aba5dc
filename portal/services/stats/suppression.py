"""Small-count suppression for the public, de-identified statistics (脱敏).

1. Every count from 1 to 4 is shown as "fewer than 5" (SMALL). A 0 is shown where that gives nothing
   away (that nobody in a grid signed up by phone singles out no one, and hiding every 0 would hide
   most of the channel mix); where it would, it is shown as "fewer than 5" too. So a reader knows a
   SMALL figure only as 0 to 4.
2. Complementary suppression: a table's rows add up to its total row, and (where `across` is set) its
   part columns add up to its total column. On each such line a reader knows every shown figure, that
   a SMALL one is 0 to 4 and that a HIDDEN one is 5 or more. `determined()` works out, by interval
   arithmetic over every line until nothing changes, which hidden figures a reader could pin down
   exactly; while there is one, the smallest shown figure (not a 0) of its line is hidden too, else a
   0 of it becomes "fewer than 5", else the line's total is hidden. So a HIDDEN figure is 5 or more.
3. A figure that appears in two tables (a total, say) is hidden in both when it is hidden in one.
4. A share is hidden when any count it is made from is hidden; a median when fewer than 5 durations
   make it.
"""

from math import inf

from .table import HIDDEN, SMALL, THRESHOLD, Table

Cell = tuple  # (table index, row key, column key)


def protect(tables: list[Table]) -> list[Table]:
    """Hide small counts in these tables (the tables shown together on one page), in place."""
    for table in tables:
        table.hidden = {}
        for row in table.rows:
            for column in table.columns:
                if column.kind == "count" and 0 < (row.values.get(column.key) or 0) < THRESHOLD:
                    table.hidden[(row.key, column.key)] = SMALL
    revealed = set()
    while True:
        changed = _share_figures(tables)
        found = determined(tables)
        # A hidden 0 the reader can work out is shown as 0 (they know it already); it is not hidden again.
        zeros = [c for c, value in found.items() if value == 0]
        for index, row_key, column_key in zeros:
            del tables[index].hidden[(row_key, column_key)]
            revealed.add((index, row_key, column_key))
        cells = [c for c in found if c not in zeros]
        if zeros:
            changed = True
        elif cells:
            # A figure can be pinned down through a line it is not in (its copy's, its total's), so try
            # the lines of every pinned-down figure; as a last resort hide the rest of its table.
            changed = any(_hide_next_to(tables, cell, revealed) for cell in cells) or _hide_table(tables, cells[0][0])
        if not changed:
            break
    for table in tables:
        _hide_derived(table)
    return tables


def lines(tables: list[Table]) -> list[tuple[Cell, list[Cell]]]:
    """(total, parts) for every sum a reader can check on the page."""
    found = []
    for index, table in enumerate(tables):
        counts = [c for c in table.columns if c.kind == "count"]
        total = table.total_row
        if total is not None:
            for column in counts:
                found.append(((index, total.key, column.key), [(index, r.key, column.key) for r in table.body]))
        if table.across:
            for row in table.rows:
                found.append(((index, row.key, "total"), [(index, row.key, c.key) for c in table.parts]))
    # The same figure in two tables: a reader knows both copies are equal.
    copies = {}
    for index, table in enumerate(tables):
        for row in table.rows:
            for column_key, figure in row.figures.items():
                copies.setdefault(figure, []).append((index, row.key, column_key))
    for cells in copies.values():
        found += [(cells[0], [other]) for other in cells[1:]]
    return found


def _value(tables, cell) -> int:
    index, row_key, column_key = cell
    row = next(r for r in tables[index].rows if r.key == row_key)
    return row.values.get(column_key) or 0


def _state(tables, cell):
    index, row_key, column_key = cell
    return tables[index].hidden.get((row_key, column_key))


def bounds_from(known: dict, states: dict, equations) -> dict:
    """The interval a reader can narrow each hidden figure to. `known`: cell -> shown value;
    `states`: hidden cell -> SMALL/HIDDEN; `equations`: (total, parts), meaning sum(parts) == total.
    Shared by the page test, which builds the same inputs from the HTML alone."""
    bounds = {cell: (0, THRESHOLD - 1) if state == SMALL else (THRESHOLD, inf) for cell, state in states.items()}
    # Each line as sum(sign * cell) == 0 (the total with sign -1), the shown figures folded into `rest`.
    prepared = []
    for total, parts in equations:
        terms = [(total, -1)] + [(p, 1) for p in parts]
        rest = sum(sign * known[c] for c, sign in terms if c not in bounds)
        unknown = [(c, sign) for c, sign in terms if c in bounds]
        if unknown:
            prepared.append((rest, unknown))
    changed = True
    while changed:
        changed = False
        for rest, unknown in prepared:
            # The largest and smallest the hidden terms of this line can add up to, kept as a finite
            # part and a count of infinite ones, so each term's bound takes the others' sum in one step.
            top, bottom = _Sum(), _Sum()
            for cell, sign in unknown:
                top.add(_largest(bounds[cell], sign))
                bottom.add(_smallest(bounds[cell], sign))
            for cell, sign in unknown:
                lo, hi = bounds[cell]
                largest, smallest = _largest((lo, hi), sign), _smallest((lo, hi), sign)
                # sign * cell lies in [-rest - (the others' largest), -rest - (the others' smallest)]
                low = -rest - top.without(largest)
                high = -rest - bottom.without(smallest)
                if sign < 0:
                    low, high = -high, -low
                new = (max(lo, low), min(hi, high))
                if new != (lo, hi) and new[0] <= new[1]:
                    top.replace(largest, _largest(new, sign))
                    bottom.replace(smallest, _smallest(new, sign))
                    bounds[cell] = new
                    changed = True
    return bounds


def _largest(bound, sign):
    lo, hi = bound
    return hi if sign > 0 else -lo


def _smallest(bound, sign):
    lo, hi = bound
    return lo if sign > 0 else -hi


class _Sum:
    """A sum of figures some of which may be infinite (all of one sign within one sum)."""

    def __init__(self):
        self.finite, self.infinite, self.sign = 0, 0, 0

    def add(self, value):
        if value in (inf, -inf):
            self.infinite += 1
            self.sign = 1 if value > 0 else -1
        else:
            self.finite += value

    def remove(self, value):
        if value in (inf, -inf):
            self.infinite -= 1
        else:
            self.finite -= value

    def replace(self, old, new):
        self.remove(old)
        self.add(new)

    def without(self, value):
        """The sum of every term but this one."""
        infinite = self.infinite - (value in (inf, -inf))
        if infinite:
            return self.sign * inf
        return self.finite - (0 if value in (inf, -inf) else value)


def determined(tables: list[Table]) -> dict:
    """Hidden figures a reader could work out exactly from the shown ones: cell -> its value."""
    equations = lines(tables)
    cells = {c for total, parts in equations for c in [total, *parts]}
    known = {c: _value(tables, c) for c in cells if _state(tables, c) is None}
    states = {c: _state(tables, c) for c in cells if _state(tables, c) is not None}
    bounds = bounds_from(known, states, equations)
    return {c: lo for c, (lo, hi) in sorted(bounds.items()) if lo == hi}


def _hide_next_to(tables, cell, revealed=()) -> bool:
    """Hide the smallest shown part (not a 0), else a 0, else the total, of a line through `cell`."""
    for total, parts in lines(tables):
        if cell != total and cell not in parts:
            continue
        shown = [p for p in parts if _state(tables, p) is None and p not in revealed]
        nonzero = [p for p in shown if _value(tables, p) > 0]
        if nonzero:
            pick, state = min(nonzero, key=lambda p: (_value(tables, p), p)), HIDDEN
        elif shown:
            pick, state = shown[0], SMALL
        elif _state(tables, total) is None and _value(tables, total) > 0:
            pick, state = total, HIDDEN
        else:
            continue
        tables[pick[0]].hidden[pick[1:]] = state
        return True
    return False


def _hide_table(tables, index) -> bool:
    """Hide every count still shown (and not 0) in one table."""
    table, changed = tables[index], False
    for row in table.rows:
        for column in table.columns:
            if (
                column.kind == "count"
                and (row.values.get(column.key) or 0) > 0
                and (row.key, column.key) not in table.hidden
            ):
                table.hidden[(row.key, column.key)] = HIDDEN
                changed = True
    return changed


def _share_figures(tables) -> bool:
    hidden_ids = {}
    for table in tables:
        for row in table.rows:
            for column_key, figure in row.figures.items():
                state = table.hidden.get((row.key, column_key))
                if state is not None:
                    hidden_ids[figure] = state
    changed = False
    for table in tables:
        for row in table.rows:
            for column_key, figure in row.figures.items():
                if figure in hidden_ids and (row.key, column_key) not in table.hidden:
                    table.hidden[(row.key, column_key)] = hidden_ids[figure]
                    changed = True
    return changed


def _hide_derived(table: Table) -> None:
    for row in table.rows:
        for column in table.columns:
            if column.kind == "share":
                inputs = (column.num, *column.den)
                if any((row.key, key) in table.hidden for key in inputs):
                    table.hidden[(row.key, column.key)] = HIDDEN
            elif column.kind == "hours" and (row.values.get(column.of) or 0) < THRESHOLD:
                table.hidden[(row.key, column.key)] = HIDDEN
