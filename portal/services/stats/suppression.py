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

from collections import deque
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
    page = _Page(tables)
    revealed = set()
    while True:
        changed = page.share_figures()
        found = determined(page)
        # A hidden 0 the reader can work out is shown as 0 (they know it already); it is not hidden again.
        zeros = [c for c, value in found.items() if value == 0]
        for cell in zeros:
            page.show(cell)
            revealed.add(cell)
        cells = [c for c in found if c not in zeros]
        if zeros:
            changed = True
        elif cells:
            # A figure can be pinned down through a line it is not in (its copy's, its total's), so try
            # the lines of every pinned-down figure; as a last resort hide the rest of its table.
            changed = any(page.hide_next_to(cell, revealed) for cell in cells) or page.hide_table(cells[0][0])
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
    for cells in _copies(tables).values():
        found += [(cells[0], [other]) for other in cells[1:]]
    return found


def _copies(tables) -> dict:
    """Figure id -> every cell that shows it, in page order."""
    copies = {}
    for index, table in enumerate(tables):
        for row in table.rows:
            for column_key, figure in row.figures.items():
                copies.setdefault(figure, []).append((index, row.key, column_key))
    return copies


class _Group:
    """Hidden figures joined by the lines they share, and (until one of them changes) which of them a
    reader could work out. A line's hidden figures are always in one group, so a group's figures can
    be worked out from its own lines alone, and hiding a figure only makes its own group solve again."""

    def __init__(self, cells):
        self.cells, self.found = set(cells), None


class _Page:
    """The tables shown together, their lines (worked out once), and the hidden figures in groups."""

    def __init__(self, tables):
        self.tables = tables
        self.lines = lines(tables)
        self.through = {}  # cell -> the indices, in page order, of the lines it is in
        for number, (total, parts) in enumerate(self.lines):
            for cell in dict.fromkeys([total, *parts]):
                self.through.setdefault(cell, []).append(number)
        self.rows = {}
        for index, table in enumerate(tables):
            for row in table.rows:
                self.rows.setdefault((index, row.key), row)
        self.copies = [cells for cells in _copies(tables).values() if len(cells) > 1]
        self.groups = {}  # hidden cell -> its _Group
        for index, table in enumerate(tables):
            for row_key, column_key in list(table.hidden):
                self._join((index, row_key, column_key))

    def value(self, cell) -> int:
        return self.rows[cell[:2]].values.get(cell[2]) or 0

    def state(self, cell):
        return self.tables[cell[0]].hidden.get(cell[1:])

    def hide(self, cell, state) -> None:
        self.tables[cell[0]].hidden[cell[1:]] = state
        self._join(cell)

    def show(self, cell) -> None:
        del self.tables[cell[0]].hidden[cell[1:]]
        group = self.groups.pop(cell)
        group.cells.discard(cell)
        # A figure shown because a reader could work it out already narrows every line as its interval
        # did, so what the rest of its group gives away stays the same.
        if group.found is not None:
            group.found = {c: value for c, value in group.found.items() if c != cell}

    def _join(self, cell) -> None:
        group = _Group([cell])
        self.groups[cell] = group
        for number in self.through.get(cell, ()):
            total, parts = self.lines[number]
            # The line's other hidden figures are all in one group already: join the first one's.
            joined = next((self.groups[c] for c in [total, *parts] if c in self.groups and c != cell), group)
            if joined is not group:
                if len(joined.cells) > len(group.cells):
                    group, joined = joined, group
                group.cells |= joined.cells
                for moved in joined.cells:
                    self.groups[moved] = group
        group.found = None

    def solve(self, group) -> dict:
        numbers = sorted({n for cell in group.cells for n in self.through.get(cell, ())})
        equations = [self.lines[n] for n in numbers]
        cells = {c for n in numbers for c in [self.lines[n][0], *self.lines[n][1]]}
        known = {c: self.value(c) for c in cells if self.state(c) is None}
        states = {c: self.state(c) for c in cells if self.state(c) is not None}
        return {c: lo for c, (lo, hi) in bounds_from(known, states, equations).items() if lo == hi}

    def share_figures(self) -> bool:
        """A figure hidden in one table is hidden in every table that shows it."""
        changed = False
        for cells in self.copies:
            states = [s for s in map(self.state, cells) if s is not None]
            if states:
                for cell in cells:
                    if self.state(cell) is None:
                        self.hide(cell, states[-1])
                        changed = True
        return changed

    def hide_next_to(self, cell, revealed=()) -> bool:
        """Hide the smallest shown part (not a 0), else a 0, else the total, of a line through `cell`."""
        for number in self.through.get(cell, ()):
            total, parts = self.lines[number]
            shown = [p for p in parts if self.state(p) is None and p not in revealed]
            nonzero = [p for p in shown if self.value(p) > 0]
            if nonzero:
                pick, state = min(nonzero, key=lambda p: (self.value(p), p)), HIDDEN
            elif shown:
                pick, state = shown[0], SMALL
            elif self.state(total) is None and self.value(total) > 0:
                pick, state = total, HIDDEN
            else:
                continue
            self.hide(pick, state)
            return True
        return False

    def hide_table(self, index) -> bool:
        """Hide every count still shown (and not 0) in one table."""
        table, changed = self.tables[index], False
        for row in table.rows:
            for column in table.columns:
                cell = (index, row.key, column.key)
                if column.kind == "count" and self.value(cell) > 0 and self.state(cell) is None:
                    self.hide(cell, HIDDEN)
                    changed = True
        return changed


def determined(page: _Page) -> dict:
    """Hidden figures a reader could work out exactly from the shown ones: cell -> its value."""
    found = {}
    for group in {id(g): g for g in page.groups.values()}.values():
        if group.found is None:
            group.found = page.solve(group)
        found.update(group.found)
    return dict(sorted(found.items()))


def bounds_from(known: dict, states: dict, equations) -> dict:
    """The interval a reader can narrow each hidden figure to. `known`: cell -> shown value;
    `states`: hidden cell -> SMALL/HIDDEN; `equations`: (total, parts), meaning sum(parts) == total.
    Each line narrows its hidden figures until no line narrows any further; which line goes first does
    not change where that ends (the narrowest intervals every line allows), so only the lines of a
    figure that has just narrowed are looked at again."""
    low = {cell: 0 if state == SMALL else THRESHOLD for cell, state in states.items()}
    high = {cell: THRESHOLD - 1 if state == SMALL else inf for cell, state in states.items()}
    # Each line as sum(hidden parts) - (the total, when hidden) == rest, the shown figures folded in.
    prepared, through = [], {}
    for total, parts in equations:
        hidden_parts = [p for p in parts if p in low]
        hidden_total = [total] if total in low else []
        if not hidden_parts and not hidden_total:
            continue
        rest = (0 if hidden_total else known[total]) - sum(known[p] for p in parts if p not in low)
        for cell in hidden_parts + hidden_total:
            through.setdefault(cell, []).append(len(prepared))
        prepared.append((rest, hidden_parts, hidden_total))
    waiting = deque(range(len(prepared)))
    queued = set(waiting)
    while waiting:
        number = waiting.popleft()
        queued.discard(number)
        rest, parts, totals = prepared[number]
        # The lowest and highest the hidden parts (and totals) add up to; a highest that is infinite is
        # kept as a count, so "every term but this one" takes one step.
        parts_low = sum(low[c] for c in parts)
        parts_high, parts_open = _finite_sum(high, parts)
        totals_low = sum(low[c] for c in totals)
        totals_high, totals_open = _finite_sum(high, totals)
        narrowed = []
        for cell in parts:
            # cell == rest + totals - (the other parts)
            lo, hi = low[cell], high[cell]
            others_open = parts_open - (hi == inf)
            floor = -inf if others_open else rest + totals_low - (parts_high - (0 if hi == inf else hi))
            ceiling = inf if totals_open else rest + totals_high - (parts_low - lo)
            narrowed.append((cell, max(lo, floor), min(hi, ceiling)))
        for cell in totals:
            # cell == (the parts) - rest - (the other totals)
            lo, hi = low[cell], high[cell]
            others_open = totals_open - (hi == inf)
            floor = -inf if others_open else parts_low - rest - (totals_high - (0 if hi == inf else hi))
            ceiling = inf if parts_open else parts_high - rest - (totals_low - lo)
            narrowed.append((cell, max(lo, floor), min(hi, ceiling)))
        for cell, lo, hi in narrowed:
            if (lo, hi) != (low[cell], high[cell]) and lo <= hi:
                low[cell], high[cell] = lo, hi
                for other in through[cell]:
                    if other not in queued:
                        waiting.append(other)
                        queued.add(other)
    return {cell: (low[cell], high[cell]) for cell in states}


def _finite_sum(high: dict, cells) -> tuple:
    """(the sum of the finite highest values, how many are infinite)."""
    total, infinite = 0, 0
    for cell in cells:
        value = high[cell]
        if value == inf:
            infinite += 1
        else:
            total += value
    return total, infinite


def _hide_derived(table: Table) -> None:
    for row in table.rows:
        for column in table.columns:
            if column.kind == "share":
                inputs = (column.num, *column.den)
                if any((row.key, key) in table.hidden for key in inputs):
                    table.hidden[(row.key, column.key)] = HIDDEN
            elif column.kind == "hours" and (row.values.get(column.of) or 0) < THRESHOLD:
                table.hidden[(row.key, column.key)] = HIDDEN
