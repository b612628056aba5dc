"""What every figure source is given: the database session, the area, the period, now, and the
reader's language and time zone."""

from dataclasses import dataclass
from datetime import datetime

from ...models import Community, Grid
from ..place_names import place_name
from .period import Period


@dataclass(frozen=True)
class Scope:
    """A community, or one grid of it."""

    community: Community
    grid: Grid | None = None

    def where(self, community_column, grid_column) -> list:
        clauses = [community_column == self.community.id]
        if self.grid is not None:
            clauses.append(grid_column == self.grid.id)
        return clauses

    @property
    def grids(self) -> list[Grid]:
        return [self.grid] if self.grid is not None else list(self.community.grids)


@dataclass(frozen=True)
class Context:
    session: object
    scope: Scope
    period: Period
    now: datetime
    locale: str
    tz: object
    public: bool = False

    def name(self, obj, field: str = "name") -> str:
        return place_name(obj, self.locale, field)
