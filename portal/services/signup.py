"""Joining a grid: one check per question, duplicate detection, and creating the resident record.

Every check returns (clean value, {field: message code}); the views turn codes into plain words in
both languages (join/questions.py). The same checks run again on the whole set of answers before the
record is made, so nothing reaches the database that a single page would have refused.

最多采一次 (collect once): the database's unique constraint on (community, phone) is what stops a second
record. The friendly look-up before inserting only saves a round trip; the IntegrityError of a
concurrent sign-up with the same phone is caught and reported the same way.
"""

import re
import unicodedata
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..models import Resident
from . import identity
from .inputs import has_control, int_in_range
from .residents import new_resident_number

STEPS = ["name", "phone", "family", "home", "birth_year", "needs", "consent"]
NEEDS = ("lives_alone", "difficulty_walking", "hearing_difficulty", "sight_difficulty", "no_smartphone")
NAME_MAX = 40
FAMILY_MAX = 120
ROOM_MAX = 40
NUMBER_TRIES = 10


class AlreadyRegistered(Exception):
    """This person is already on the register of this community. Carries nothing about the record."""


class InvalidAnswers(ValueError):
    """`step` is the first question whose stored answer no longer passes its check."""

    def __init__(self, step: str, errors: dict):
        super().__init__(step)
        self.step = step
        self.errors = errors


def tidy(raw) -> str:
    """Full-width letters and digits (from Chinese input methods) become ordinary ones; spaces are squeezed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(raw or ""))).strip()


# -- one check per question ------------------------------------------------------------------
def check_name(raw) -> tuple[str, dict]:
    name = tidy(raw)
    if not name:
        return name, {"name": "name_missing"}
    if len(name) > NAME_MAX:
        return name, {"name": "name_too_long"}
    if has_control(name):
        return name, {"name": "text_control"}
    if not re.search(r"[^\W\d_]", name):
        return name, {"name": "name_invalid"}
    return name, {}


def check_phone(raw) -> tuple[str, dict]:
    """A Chinese mobile number, by the one rule of services/identity.py (spaces, dashes, +86 and
    full-width digits accepted)."""
    phone, code = identity.check_phone(tidy(raw))
    return phone, ({"phone": code} if code else {})


def check_family_contact(raw) -> tuple[str, dict]:
    """Optional: a resident with no phone and no family is exactly who the grid worker visits."""
    contact = tidy(raw)
    if len(contact) > FAMILY_MAX:
        return contact, {"family_contact": "family_too_long"}
    if has_control(contact):
        return contact, {"family_contact": "text_control"}
    return contact, {}


def check_home(raw_building, raw_room, building_ids) -> tuple[dict, dict]:
    errors = {}
    building = tidy(raw_building)
    building_id = int_in_range(building, 1)
    if not building:
        errors["building"] = "building_missing"
    elif building_id not in set(building_ids):
        errors["building"] = "building_invalid"
    room = tidy(raw_room)
    if not room:
        errors["room"] = "room_missing"
    elif len(room) > ROOM_MAX:
        errors["room"] = "room_too_long"
    elif has_control(room):
        errors["room"] = "text_control"
    return {"building_id": building_id, "room": room}, errors


def check_birth_year(raw, this_year: int) -> tuple[int | str, dict]:
    """The one birth-year rule of services/identity.py: 4 digits, from 1900 to this year."""
    year, code = identity.check_birth_year(raw, this_year)
    if code:
        return identity.ascii_text(raw).strip(), {"birth_year": code}
    return year, {}


def check_needs(values) -> tuple[list[str], dict]:
    chosen = [v for v in NEEDS if v in set(values or ())]
    if len(chosen) != len(set(values or ())):
        return chosen, {"needs": "needs_invalid"}
    return chosen, {}


def check_consent(value) -> tuple[bool, dict]:
    if value not in ("yes", True):
        return False, {"consent": "consent_missing"}
    return True, {}


def check_step(step: str, values: dict, *, building_ids=(), this_year: int) -> tuple[object, dict]:
    """Check the values posted for one question. `values` holds plain strings (a list for needs)."""
    if step == "name":
        return check_name(values.get("name"))
    if step == "phone":
        return check_phone(values.get("phone"))
    if step == "family":
        return check_family_contact(values.get("family_contact"))
    if step == "home":
        return check_home(values.get("building"), values.get("room"), building_ids)
    if step == "birth_year":
        return check_birth_year(values.get("birth_year"), this_year)
    if step == "needs":
        return check_needs(values.get("needs"))
    if step == "consent":
        return check_consent(values.get("consent"))
    raise KeyError(step)


def validate_answers(answers: dict, *, building_ids, this_year: int) -> dict:
    """All stored answers, checked again, as Resident fields. Raises InvalidAnswers for the first bad one."""

    def again(step, errors):
        if errors:
            raise InvalidAnswers(step, errors)

    name, errors = check_name(answers.get("name"))
    again("name", errors)
    phone = None
    if answers.get("phone"):
        phone, errors = check_phone(answers["phone"])
        again("phone", errors)
    family, errors = check_family_contact(answers.get("family", ""))
    again("family", errors)
    home = answers.get("home") or {}
    home, errors = check_home(str(home.get("building_id", "")), home.get("room"), building_ids)
    again("home", errors)
    year, errors = check_birth_year(str(answers.get("birth_year", "")), this_year)
    again("birth_year", errors)
    needs, errors = check_needs(answers.get("needs"))
    again("needs", errors)
    _, errors = check_consent(answers.get("consent"))
    again("consent", errors)
    return {
        "name": name,
        "phone": phone,
        "family_contact": family,
        "building_id": home["building_id"],
        "room": home["room"],
        "birth_year": year,
        **{need: need in needs for need in NEEDS},
    }


# -- collected once -----------------------------------------------------------------------------
def find_duplicate(
    session,
    community_id: int,
    *,
    phone: str | None,
    name: str = "",
    birth_year: int | None = None,
    building_id: int | None = None,
    room: str = "",
) -> Resident | None:
    """The resident these answers describe, if already registered in this community.

    With a phone: the same phone (what the database constraint enforces). Without one: the same name,
    birth year, building and room, so a grid worker and a neighbour cannot register the same senior twice.
    """
    query = select(Resident).where(Resident.community_id == community_id)
    if phone:
        query = query.where(Resident.phone == phone)
    else:
        query = query.where(
            Resident.phone.is_(None),
            Resident.name == name,
            Resident.birth_year == birth_year,
            Resident.building_id == building_id,
            Resident.room == room,
        )
    return session.scalars(query).first()


def register_resident(session, *, grid, answers: dict, origin: dict, this_year: int, now: datetime) -> Resident:
    """Create the resident from checked answers, or raise AlreadyRegistered (never a second record).

    `origin` is record_origin()'s channel, entered_by_id and kiosk_id. The caller commits.
    """
    fields = validate_answers(answers, building_ids=[b.id for b in grid.buildings], this_year=this_year)
    if find_duplicate(
        session, grid.community_id, **{k: fields[k] for k in ("phone", "name", "birth_year", "building_id", "room")}
    ):
        raise AlreadyRegistered()
    for _ in range(NUMBER_TRIES):
        number = new_resident_number()
        resident = Resident(
            number=number,
            community_id=grid.community_id,
            grid_id=grid.id,
            consented_at=now,
            card_version=1,
            **fields,
            **origin,
        )
        try:
            with session.begin_nested():
                session.add(resident)
        except IntegrityError:
            # Either someone registered this phone a moment ago, or (rarely) the random number is taken.
            if fields["phone"] and find_duplicate(session, grid.community_id, phone=fields["phone"]):
                raise AlreadyRegistered() from None
            if session.scalars(select(Resident.id).where(Resident.number == number)).first() is None:
                raise
            continue
        return resident
    raise RuntimeError("could not draw an unused resident number")
