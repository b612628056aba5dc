"""Everything a benchmark run needs before the clock starts: the database at the chosen size, and the
cookies of the people whose pages are measured (staff, grid worker, nurse, a kiosk, identified
residents, residents half-way through booking), made through the app itself."""

import os
import re
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from flask import session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import and_, exists, func, insert, select

ROOT = Path(__file__).resolve().parent.parent
FLASK = [sys.executable, "-m", "flask", "--app", "portal"]
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "linli-demo"


def app_env(database_url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=database_url, SESSION_CLEANUP_N_REQUESTS="0")
    # The key of this checkout, so an older checkout served with --app-root reads the same sessions.
    key = ROOT / "instance" / "secret_key"
    if "SECRET_KEY" not in env and key.exists():
        env["SECRET_KEY"] = key.read_text().strip()
    # Looking a request up by its ticket is limited per address, and wrk sends everything from one; the
    # limiter still counts every lookup in the database, as it does for real visitors.
    env["PORTAL_LOOKUP_RATE_LIMIT"] = "100000000 per minute"
    return env


def prepare_database(database_url: str, residents: int) -> None:
    env = app_env(database_url)
    for command in (
        ["db", "upgrade"],
        ["seed-demo"],
        *([["seed-scale", "--residents", str(residents)]] if residents else []),
    ):
        print("$ flask --app portal", " ".join(command), flush=True)
        subprocess.run(FLASK + command, cwd=ROOT, env=env, check=True)


def scratch_copy(database_url: str) -> str:
    """A SQLite database's copy for one run (bench/data/run.sqlite3), so the bookings a run makes do not
    use up the places and the residents without a booking that the next run books with. Other databases
    are measured in place."""
    if not database_url.startswith("sqlite:///"):
        return database_url
    source = Path(database_url.removeprefix("sqlite:///"))
    target = source.with_name("run.sqlite3")
    for stale in (target, target.with_name("run.sqlite3-wal"), target.with_name("run.sqlite3-shm")):
        stale.unlink(missing_ok=True)
    with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
        original.backup(copy)
    return f"sqlite:///{target}"


def make_app(database_url: str):
    os.environ.update(app_env(database_url))
    from portal import create_app

    return create_app()


def cookie(client, name: str = "session") -> str:
    found = client.get_cookie(name)
    return f"{name}={found.value}" if found else ""


def signed_in(app, username: str) -> str:
    client = app.test_client()
    token = TOKEN_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 303, f"{username} could not sign in ({answer.status_code})"
    return cookie(client)


def kiosk_cookies(app) -> str:
    from portal.extensions import db
    from portal.models import Kiosk
    from portal.services.kiosks import issue_activation_code

    client = app.test_client()
    with app.app_context():
        kiosk = db.session.scalars(select(Kiosk).order_by(Kiosk.id)).first()
        code = issue_activation_code(db.session, kiosk)
        db.session.commit()
    token = TOKEN_RE.search(client.get("/kiosk/activate").get_data(as_text=True)).group(1)
    assert client.post("/kiosk/activate", data={"code": code, "csrf_token": token}).status_code == 303
    client.get("/kiosk")
    from portal.kiosk.device import COOKIE

    return "; ".join(filter(None, [cookie(client, COOKIE), cookie(client)]))


def stored_sessions(app, contents: list[dict]) -> list[tuple[str, str]]:
    """Sessions as the app keeps them (each with its own form token), written in one transaction (or one
    Redis pipeline, when SESSION_REDIS_URL keeps them there).
    Returns (cookie, form token) pairs."""
    from portal.extensions import db
    from portal.models import StoredSession, utcnow
    from portal.sessions import RedisInterface

    interface = app.session_interface
    rows, made = [], []
    for content in contents:
        with app.test_request_context():
            token = generate_csrf()
            session.update(content)
            rows.append(
                {
                    "session_id": interface._get_store_id(session.sid),
                    "data": interface.serializer.encode(session),
                    "expiry": utcnow() + app.permanent_session_lifetime,
                }
            )
            made.append((f"session={session.sid}", token))
    if isinstance(interface, RedisInterface):
        seconds = int(app.permanent_session_lifetime.total_seconds())
        pipe = interface.client.pipeline()
        for row in rows:
            pipe.set(row["session_id"], row["data"], ex=seconds)
        pipe.execute()
        return made
    with app.app_context():
        for start in range(0, len(rows), 2000):
            db.session.execute(insert(StoredSession), rows[start : start + 2000])
        db.session.commit()
    return made


def booking_choices(app, people: int) -> dict:
    """The demo station's first check, a day with open times, and up to `people` bookings that will go
    through: (resident, station, service, time, day) with a resident who has nothing booked yet and a
    place in a time still open at a station of the resident's own community, community by community."""
    from portal.extensions import db
    from portal.models import Service, Slot, Station
    from portal.services import clock

    with app.app_context():
        stations = db.session.scalars(select(Station).where(Station.active.is_(True)).order_by(Station.id)).all()
        station = stations[0]
        service = db.session.scalars(
            select(Service).where(Service.station_id == station.id, Service.active.is_(True)).order_by(Service.id)
        ).first()
        soon = clock.utcnow() + timedelta(days=1)
        bookings, communities = [], set()
        for place in stations:
            if place.community_id in communities or len(bookings) >= people:
                continue
            communities.add(place.community_id)
            bookings += _bookings_at(db.session, place, soon, people - len(bookings))
        day = db.session.scalar(select(func.min(Slot.day)).where(Slot.service_id == service.id, Slot.starts_at > soon))
        return {"station": station.id, "service": service.id, "day": day, "bookings": bookings}


def _bookings_at(session, station, soon, wanted: int) -> list[tuple]:
    from portal.models import Booking, Resident, Service, Slot

    free = (
        select(Slot.id, Slot.service_id, Slot.day, (Slot.capacity - Slot.booked).label("free"))
        .join(Service, Service.id == Slot.service_id)
        .where(Service.station_id == station.id, Slot.starts_at > soon, Slot.closed.is_(False))
        .where(Slot.capacity > Slot.booked)
        .order_by(Slot.starts_at)
    )
    places = []
    for slot_id, service_id, day, count in session.execute(free):
        places.extend([(service_id, slot_id, day)] * count)
        if len(places) >= wanted:
            break
    unbooked = (
        select(Resident.id)
        .where(Resident.community_id == station.community_id)
        .where(~exists().where(and_(Booking.resident_id == Resident.id)))
        .order_by(Resident.id)
        .limit(len(places))
    )
    residents = session.scalars(unbooked).all()
    return [(r, station.id, *place) for r, place in zip(residents, places, strict=False)]


def flow(station: int, **answers) -> dict:
    return {"flow:health-book": {"answers": answers, "context": {"station_id": station}}}


def identified(resident_id: int) -> dict:
    from portal.services import clock

    return {"resident_identity": {"id": resident_id, "how": "phone", "at": clock.timestamp()}}


def demo_ticket(app) -> str:
    from portal.extensions import db
    from portal.models import Request

    with app.app_context():
        return db.session.scalar(select(Request.ticket).order_by(Request.id)) or ""


def demo_resident(app) -> int:
    """The demo's first resident with a request, so their "my" pages have something on them."""
    from portal.extensions import db
    from portal.models import Request

    with app.app_context():
        return db.session.scalar(select(Request.resident_id).order_by(Request.id))


def busiest_open_poll(app, community_id: int) -> int:
    """The open poll of the community with the most ballots: its results page counts them all."""
    from portal.extensions import db
    from portal.models import Ballot, Poll, utcnow

    now = utcnow()
    with app.app_context():
        ballots = select(func.count()).where(Ballot.poll_id == Poll.id).scalar_subquery()
        return db.session.scalar(
            select(Poll.id)
            .where(Poll.community_id == community_id, Poll.opens_at <= now, Poll.closes_at > now)
            .order_by(ballots.desc(), Poll.id)
            .limit(1)
        )
