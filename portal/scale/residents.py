"""The city's residents for seed-scale: spread evenly over every grid, older people more often living
alone or without a smartphone, each registered through a channel (a poster, a grid worker, a
volunteer, a kiosk, a phone call) at some moment of the last five years."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from ..models import Resident
from .bulk import BATCH
from .fake import ResidentNumbers, Weighted, family_contact, mobile, person_name

# ((first year, last year), share): the portal's residents lean old, as its users do.
BIRTH_YEARS = Weighted(
    [((1930, 1945), 15), ((1946, 1960), 30), ((1961, 1975), 25), ((1976, 1990), 18), ((1991, 2008), 12)]
)
CHANNELS = Weighted([("qr", 45), ("gridworker", 30), ("volunteer", 10), ("kiosk", 10), ("phone", 5)])


@dataclass(frozen=True)
class Person:
    """What later steps need of a resident: where they live, since when, and whether a person must phone."""

    id: int
    number: str
    community_id: int
    grid_id: int
    building_id: int
    since: object  # created_at, naive UTC
    needs_person: bool
    has_phone: bool


def odds(age: int, old: float, older: float, young: float) -> float:
    return old if age >= 80 else older if age >= 65 else young


def resident_row(rng, city, grid, index: int, number: str, now, this_year: int) -> dict:
    low, high = BIRTH_YEARS.pick(rng)
    birth_year = rng.randint(low, high)
    age = this_year - birth_year
    has_phone = rng.random() >= odds(age, 0.15, 0.05, 0.01)
    channel = CHANNELS.pick(rng)
    community_id = grid["community_id"]
    entered_by = {
        "gridworker": lambda: city.worker.get(grid["id"]),
        "volunteer": lambda: rng.choice(city.volunteers[community_id]) if city.volunteers[community_id] else None,
        "phone": lambda: rng.choice(city.staff[community_id]) if city.staff[community_id] else None,
    }.get(channel, lambda: None)()
    if rng.random() < 0.85:
        since = now - timedelta(days=rng.uniform(400, 5 * 365))
    else:
        since = now - timedelta(days=rng.uniform(1, 400))
    since = since.replace(microsecond=0)
    return {
        "number": number,
        "name": person_name(rng),
        "phone": mobile(index) if has_phone else None,
        "family_contact": "" if has_phone and rng.random() < 0.6 else family_contact(rng, index),
        "birth_year": birth_year,
        "community_id": community_id,
        "grid_id": grid["id"],
        "building_id": rng.choice(city.buildings[grid["id"]]),
        "room": f"{rng.randint(1, 18)}0{rng.randint(1, 4)}",
        "lives_alone": rng.random() < odds(age, 0.25, 0.12, 0.03),
        "difficulty_walking": rng.random() < odds(age, 0.25, 0.10, 0.01),
        "hearing_difficulty": rng.random() < odds(age, 0.15, 0.05, 0.005),
        "sight_difficulty": rng.random() < odds(age, 0.10, 0.04, 0.005),
        "no_smartphone": not has_phone or rng.random() < odds(age, 0.5, 0.25, 0.03),
        "channel": channel,
        "entered_by_id": entered_by,
        "kiosk_id": city.kiosks.get(community_id) if channel == "kiosk" else None,
        "consented_at": since,
        "card_version": 2 if rng.random() < 0.02 else 1,
        "created_at": since,
    }


def build_residents(loader, figures, rng, city, now, this_year: int) -> list[Person]:
    """Insert the residents in batches and return them, with their ids, for the bookings and requests."""
    session = loader.session
    numbers = ResidentNumbers(session.scalars(select(Resident.number)))
    people = []
    loader.bar("resident", figures.residents)
    grids = city.grids
    for start in range(0, figures.residents, BATCH):
        rows = []
        for index in range(start, min(start + BATCH, figures.residents)):
            # Round the city: every grid gets its share.
            grid = grids[index % len(grids)]
            rows.append(resident_row(rng, city, grid, index, numbers.draw(), now, this_year))
        loader.insert(Resident.__table__, rows)
        ids = loader.ids_by(Resident.__table__, "number", [r["number"] for r in rows])
        for r in rows:
            needs = r["phone"] is None or r["lives_alone"] or r["difficulty_walking"] or r["no_smartphone"]
            people.append(
                Person(
                    ids[r["number"]],
                    r["number"],
                    r["community_id"],
                    r["grid_id"],
                    r["building_id"],
                    r["created_at"],
                    needs,
                    r["phone"] is not None,
                )
            )
        audit_registrations(loader, city, rows, ids)
    return people


def audit_registrations(loader, city, rows, ids) -> None:
    """resident.register for everyone a grid worker or volunteer signed up (register.py does the same)."""
    for r in rows:
        if r["channel"] in ("gridworker", "volunteer") and r["entered_by_id"]:
            loader.audit.add(
                r["created_at"],
                "resident.register",
                actor_id=r["entered_by_id"],
                resident_id=ids[r["number"]],
                reason="resident agreed; helper confirmed the agreement",
                detail=f"registered by {r['channel']}",
                channel=r["channel"],
            )
        if r["card_version"] == 2:
            loader.audit.add(
                r["created_at"] + timedelta(days=90),
                "card.reissue",
                actor_id=city.worker.get(r["grid_id"]),
                resident_id=ids[r["number"]],
                reason="lost",
                detail="card version 2",
                channel="gridworker",
            )
