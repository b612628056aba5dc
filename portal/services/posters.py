"""Poster codes, retiring and replacing them, and counting scans, sign-ups and bookings.

Codes are short and random (`secrets`), drawn from an alphabet without look-alikes (no 0/O, 1/I/L),
so a person can read one off a poster and type it. They never contain or hint at a database id.
"""

import re
import secrets

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from ..models import Activity, Grid, Poster, Station, utcnow

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 7
MAX_TRIES = 10
# Each kind of poster points at one kind of place, through its own column.
TARGET_COLUMNS = {"grid": "grid_id", "station": "station_id", "activity": "activity_id"}


class PosterError(RuntimeError):
    pass


def new_poster_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_code(raw: str) -> str:
    """People type codes in lower case, with spaces or dashes; scanners add nothing. Take those off."""
    return re.sub(r"[\s\-]", "", raw or "").upper()


def find_poster(session, raw_code: str) -> Poster | None:
    code = normalise_code(raw_code)
    # Only letters and digits of the code alphabet reach the query (a NUL byte made PostgreSQL fail).
    if not re.fullmatch(r"[0-9A-Z]{1,8}", code):
        return None
    return session.scalars(select(Poster).where(Poster.code == code)).first()


def create_poster(session, *, kind: str, community_id: int, **targets) -> Poster:
    """Insert a poster with a fresh code. A code collision (rare: 31^7 codes) just draws again.

    Each try runs in a savepoint, so a collision does not undo the caller's other work. Any other
    integrity error (say, a second active poster for the same grid) is raised to the caller.
    """
    for _ in range(MAX_TRIES):
        code = new_poster_code()
        poster = Poster(kind=kind, community_id=community_id, code=code, active=True, scans=0, signups=0, **targets)
        try:
            with session.begin_nested():
                session.add(poster)
        except IntegrityError:
            if session.scalars(select(Poster.id).where(Poster.code == code)).first() is None:
                raise
            continue
        return poster
    raise PosterError("could not draw an unused poster code")


def active_poster(session, kind: str, target_id: int) -> Poster | None:
    """The working poster of a grid ('grid') or a health station ('station'), if it has one."""
    column = getattr(Poster, TARGET_COLUMNS[kind])
    return session.scalars(
        select(Poster).where(Poster.kind == kind, column == target_id, Poster.active.is_(True))
    ).first()


def active_grid_poster(session, grid_id: int) -> Poster | None:
    return active_poster(session, "grid", grid_id)


def active_station_poster(session, station_id: int) -> Poster | None:
    return active_poster(session, "station", station_id)


def ensure_posters(session, kind: str, targets) -> list[Poster]:
    """The working poster of each target (grid or station), making one for those that have none.

    Two staff opening the posters page at once both try to insert; the partial unique index
    (uq_poster_active_grid, uq_poster_active_station) lets one win, and the other simply reads the
    winner's poster.
    """
    column = TARGET_COLUMNS[kind]
    ids = [target.id for target in targets]
    working = (
        session.scalars(
            select(Poster).where(Poster.kind == kind, getattr(Poster, column).in_(ids), Poster.active.is_(True))
        )
        if ids
        else []
    )
    found = {getattr(poster, column): poster for poster in working}
    posters = []
    for target in targets:
        poster = found.get(target.id)
        if poster is None:
            try:
                poster = create_poster(
                    session, kind=kind, community_id=target.community_id, **{TARGET_COLUMNS[kind]: target.id}
                )
            except IntegrityError:
                poster = active_poster(session, kind, target.id)
                if poster is None:
                    raise
        posters.append(poster)
    if len(found) < len(posters):
        session.info["posters_made"] = True  # the caller commits only then (posters_were_made)
    return posters


def posters_were_made(session) -> bool:
    """Whether ensure_posters() made a poster in this transaction (and forget that it did)."""
    return session.info.pop("posters_made", False)


def ensure_grid_posters(session, grids) -> list[Poster]:
    return ensure_posters(session, "grid", grids)


def ensure_station_posters(session, stations) -> list[Poster]:
    return ensure_posters(session, "station", stations)


def retire_and_replace(session, poster: Poster) -> Poster:
    """Retire `poster` and give its grid (or station, event) a new poster with a new code.

    The retirement is one conditional UPDATE (WHERE active), so two staff pressing "replace" at once
    retire it once, and the second simply gets the replacement the first one made.
    """
    retired = session.execute(
        update(Poster).where(Poster.id == poster.id, Poster.active.is_(True)).values(active=False, retired_at=utcnow())
    ).rowcount
    session.flush()
    session.refresh(poster)
    if not retired:
        if poster.replaced_by is None:
            raise PosterError("this poster was retired without a replacement")
        return poster.replaced_by
    column = TARGET_COLUMNS.get(poster.kind)
    targets = {column: getattr(poster, column)} if column else {}
    replacement = create_poster(session, kind=poster.kind, community_id=poster.community_id, **targets)
    poster.replaced_by_id = replacement.id
    session.flush()
    return replacement


def count_scan(session, poster_id: int) -> None:
    session.execute(update(Poster).where(Poster.id == poster_id).values(scans=Poster.scans + 1))


def count_signup(session, poster_id: int) -> None:
    session.execute(update(Poster).where(Poster.id == poster_id).values(signups=Poster.signups + 1))


def count_booking(session, poster_id: int) -> None:
    session.execute(update(Poster).where(Poster.id == poster_id).values(bookings=Poster.bookings + 1))


def community_posters(session, community_id: int, kinds: tuple[str, ...] = ("grid", "station")) -> list[Poster]:
    """Every poster of a community: working ones first, grids before stations, retired ones newest first."""
    return list(session.scalars(community_posters_query(community_id, kinds)))


def community_posters_query(community_id: int, kinds: tuple[str, ...] = ("grid", "station"), active=None):
    """community_posters() as a query, its grid, station and replacement loaded with it; `active`
    True or False keeps only working or only retired posters."""
    query = (
        select(Poster)
        .outerjoin(Grid, Poster.grid_id == Grid.id)
        .where(Poster.community_id == community_id, Poster.kind.in_(kinds))
        .order_by(
            Poster.active.desc(), Poster.kind, Grid.number, Poster.station_id, Poster.retired_at.desc(), Poster.id
        )
        .options(contains_eager(Poster.grid), joinedload(Poster.station), joinedload(Poster.replaced_by))
    )
    return query if active is None else query.where(Poster.active.is_(active))


def active_stations(session, community_id: int | None = None) -> list[Station]:
    """The stations taking bookings (of one community, or all), in the order staff see them."""
    query = select(Station).where(Station.active.is_(True)).order_by(Station.community_id, Station.id)
    if community_id is not None:
        query = query.where(Station.community_id == community_id)
    return list(session.scalars(query))


def seed_posters(session) -> int:
    """Demo data: a join poster for every grid and a poster for every health station taking bookings.
    Idempotent; returns how many posters exist."""
    ensure_grid_posters(session, session.scalars(select(Grid).order_by(Grid.id)).all())
    ensure_station_posters(session, active_stations(session))
    session.flush()
    return len(session.scalars(select(Poster.id)).all())


# The posters page lists the posters of this many coming activities (the rest: each activity's own page).
ACTIVITY_POSTERS_SHOWN = 25


def coming_activity_posters(session, community_id: int, now_utc) -> list[Poster]:
    """The working posters of a community's activities that have not ended, soonest first, each with its
    activity loaded."""
    return list(
        session.scalars(
            select(Poster)
            .join(Activity, Poster.activity_id == Activity.id)
            .where(
                Poster.community_id == community_id,
                Poster.kind == "activity",
                Poster.active.is_(True),
                Activity.ends_at > now_utc,
            )
            .order_by(Activity.starts_at, Poster.id)
            .options(contains_eager(Poster.activity))
            .limit(ACTIVITY_POSTERS_SHOWN)
        )
    )
