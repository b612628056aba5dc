"""Statistics (统计) per community and grid, for staff and, de-identified, for everyone.

Each capability has one module here that turns the period's records into `Table`s, every figure
from a GROUP BY in the database (never rows loaded into Python). To count a new capability, write
a module with `sections(ctx) -> list[Section]` and add it to SOURCES: the staff page, the public page,
the monthly report, the charts and the CSV files all pick it up.
"""

from . import (
    activities,
    aid,
    appointments,
    channels,
    kiosk_calls,
    notices,
    requests,
    residents,
    topics,
    volunteers,  # the volunteer register (活地图)
    votes,  # votes (网络微投票)
)
from .context import Context, Scope
from .suppression import protect
from .table import Section

SOURCES = (
    residents.sections,
    channels.sections,
    requests.sections,
    appointments.sections,
    activities.sections,
    notices.sections,
    kiosk_calls.sections,
    # Topics and meetings (议事会)
    topics.sections,
    # Mutual aid (邻里互助)
    aid.sections,
    # Votes (网络微投票) and the volunteer register (活地图)
    votes.sections,
    volunteers.sections,
)


def figures(session, scope: Scope, period, now, locale, tz, public: bool = False) -> list[Section]:
    """Every section of figures for this area and period; small counts suppressed when `public`."""
    ctx = Context(session, scope, period, now, locale, tz, public)
    sections = [section for source in SOURCES for section in source(ctx)]
    if public:
        protect([table for section in sections for table in section.tables])
    return sections


def find_table(sections: list[Section], key: str):
    return next((t for s in sections for t in s.tables if t.key == key), None)
