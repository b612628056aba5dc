"""`flask --app portal seed-scale`: a city-size data set on top of the demo (issue 14).

After `flask db upgrade` and `seed-demo`, it adds streets, communities, grids and buildings up to
10 communities and 300 grids, 100,000 residents, 20 health stations with a year of slots and 200,000
appointments, 150,000 requests with their timelines, 300,000 audit events, five notices per grid with
their reads, 3,000 activities with 60,000 sign-ups, 6,000 mutual-aid posts with 3,000 matches, two
polls per community with their ballots, 3,000 volunteers on the register with 40 call-outs (figures.py
scales them all with --residents). The demo's accounts keep working and see the city: the demo grid worker's two
grids have about 1,500 open requests, the demo nurse's station is fully booked today, the demo staff's
community has thousands of residents and overdue requests.

All of it is one transaction of bulk inserts (bulk.py), drawn from random.Random(SEED) as of the start
of the current hour, so two runs on the same demo data within the hour give the same rows. It runs once: the street MARKER_STREET
says it has, and a second run changes nothing.
"""

import random
from datetime import timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import Station, Street
from ..services.clock import portal_zone, this_year_local, utcnow
from ..services.dates import local_today
from .activities import write_activities
from .aid import build_aid
from .audit import AuditCandidates
from .bookings import BookingWriter, allocate
from .bulk import Loader, progress_bars
from .figures import DEFAULT_RESIDENTS, SEED, figures_for
from .health import (
    build_closures,
    build_posters,
    build_stations,
    load_services,
    plan_slots,
    stations_wanted,
    write_slots,
)
from .notices import build_notices
from .places import MARKER_STREET, build_community_accounts, build_places, find_demo
from .polls import build_polls
from .requests import RequestWriter
from .residents import build_residents
from .topics import build_topics
from .volunteers import build_volunteers

TABLES = [
    "street",
    "community",
    "grid",
    "building",
    "kiosk",
    "account",
    "account_grid",
    "station",
    "service",
    "weekly_schedule",
    "closure",
    "poster",
    "resident",
    "slot",
    "booking",
    "queue_counter",
    "request",
    "request_event",
    "audit_event",
    "notice",
    "notice_grid",
    "notice_read",
    "activity",
    "activity_signup",
    # Topics and meetings (议事会)
    "topic",
    "topic_support",
    # Mutual aid (邻里互助), votes (网络微投票), the volunteer register (活地图)
    "aid_post",
    "aid_match",
    "aid_report",
    "aid_call",
    "poll",
    "poll_grid",
    "poll_option",
    "paper_batch",
    "ballot",
    "ballot_choice",
    "volunteer",
    "call_out",
    "call_out_reply",
]


class ScaleSeedError(RuntimeError):
    """The demo data is missing: seed-scale builds on it."""


def table_counts(session) -> dict:
    tables = db.metadata.tables
    return {name: session.scalar(select(func.count()).select_from(tables[name])) for name in TABLES}


def already_seeded(session) -> bool:
    return session.scalar(select(Street.id).where(Street.name == MARKER_STREET[0])) is not None


def seed_scale(residents: int = DEFAULT_RESIDENTS, console=None) -> dict:
    """Load the city. Returns {"skipped": bool, "before": counts, "after": counts} per table."""
    session = db.session
    figures = figures_for(residents)
    demo = find_demo(session)
    if demo is None:
        raise ScaleSeedError("seed-scale builds on the demo data: run `flask --app portal seed-demo` first.")
    before = table_counts(session)
    if already_seeded(session):
        return {"skipped": True, "before": before, "after": before}
    rng = random.Random(SEED)
    tz = portal_zone()
    # The city is drawn as of the start of this hour, so two runs within the hour give the same rows.
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    today = local_today(now, tz)
    with progress_bars(console) as progress:
        loader = Loader(session, progress)
        try:
            load_city(loader, figures, rng, demo, tz, now, today)
        finally:
            loader.close()
    session.commit()
    return {"skipped": False, "before": before, "after": table_counts(session)}


def load_city(loader, figures, rng, demo, tz, now, today) -> None:
    loader.audit = AuditCandidates()
    city = build_places(loader, figures, rng, now, demo)
    build_community_accounts(loader, rng, figures, city, stations_wanted(figures, city), now)
    stations = build_stations(loader, rng, figures, city, today)
    closures = build_closures(loader, city, stations, today, now)
    build_posters(loader, rng, city, stations, now)
    people = build_residents(loader, figures, rng, city, now, this_year_local(tz))

    services = load_services(loader.session)
    first_day = today - timedelta(days=figures.past_days)
    last_day = today + timedelta(days=figures.future_days - 1)
    slots = plan_slots(loader.session, services, closures, first_day, last_day, tz)
    nurse_station = loader.session.scalar(
        select(func.min(Station.id)).where(Station.community_id == demo["community"], Station.active.is_(True))
    )
    allocate(rng, slots, figures.bookings, now, today, nurse_station)
    write_slots(loader, slots)
    by_community = {}
    for person in people:
        by_community.setdefault(person.community_id, []).append(person)
    writer = BookingWriter(loader, rng, city, by_community, services, now, tz)
    in_demo_grids = [p for p in by_community.get(demo["community"], []) if p.grid_id in demo["grids"]]
    if in_demo_grids:
        writer.focus = {"station": nurse_station, "day": today + timedelta(days=1), "people": in_demo_grids}
    writer.write(slots, dict(stations))

    RequestWriter(loader, rng, city, now).write(figures, people)
    build_notices(loader, rng, city, people, now, today)
    write_activities(loader, rng, figures, people, demo, now)
    build_topics(loader, rng, city, people, now)  # topics and meetings (议事会)
    # Mutual aid (邻里互助), votes (网络微投票), the volunteer register (活地图)
    build_aid(loader, rng, figures, city, people, now)
    build_polls(loader, rng, figures, city, people, now)
    build_volunteers(loader, rng, figures, city, people, now)
    loader.audit.write(loader, figures.audit_events, now)
