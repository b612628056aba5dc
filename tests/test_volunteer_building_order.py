"""The volunteer register's buildings in their natural order: 8幢 before 10幢 on the staff's plan and in the
staff's list, as a person reading the numbers expects (not the text order, which puts 10幢 first)."""

import re

from portal.extensions import db
from portal.models import Building, Resident, Volunteer, utcnow

from tests.support.signin import sign_in

NAMES = ["10幢", "8幢", "9幢", "12幢"]


def add_buildings_with_volunteers(app) -> None:
    """Buildings 10, 8, 9 and 12 in 南湖 grid 1 (made in that order, so neither id nor text order is the
    natural one), each with one resident of 南湖 who lives there on the register."""
    with app.app_context():
        listed = select_listed()
        residents = db.session.scalars(
            db.select(Resident).where(Resident.community_id == 1, Resident.id.not_in(listed)).order_by(Resident.id)
        ).all()
        assert len(residents) >= len(NAMES)
        for name, resident in zip(NAMES, residents, strict=False):
            building = Building(grid_id=1, name=name, name_en=f"Building {name[:-1]}")
            db.session.add(building)
            db.session.flush()
            resident.grid_id, resident.building_id = 1, building.id  # they moved into the new building
            db.session.add(
                Volunteer(
                    community_id=1,
                    grid_id=1,
                    building_id=building.id,
                    resident_id=resident.id,
                    skills=1,
                    other_skill="",
                    availability=1,
                    consented_at=utcnow(),
                    channel="online",
                )  # fmt: skip
            )
        db.session.commit()


def select_listed():
    return db.select(Volunteer.resident_id).where(Volunteer.resident_id.is_not(None))


def in_grid_one(names: list[str]) -> list[str]:
    """The numbered buildings of grid 1 (1-3幢 and the new ones), in the order the page shows them."""
    wanted = {"1幢", "2幢", "3幢", *NAMES}
    seen = []
    for name in names:
        if name in wanted and name not in seen:
            seen.append(name)
    return seen


def test_the_plan_and_the_list_put_8_before_10(app, client, auth):
    add_buildings_with_volunteers(app)
    sign_in(auth, "staff")
    plan = client.get("/volunteers/plan?lang=zh").get_data(as_text=True)
    shown = in_grid_one(re.findall(r"<strong>([^<]+)</strong>", plan))
    assert shown == ["1幢", "2幢", "3幢", "8幢", "9幢", "10幢", "12幢"]
    listing = client.get("/volunteers?grid=1&lang=zh").get_data(as_text=True)
    rows = in_grid_one(re.findall(r"·\s*([^<\s]+)\s*</td>", listing))
    assert rows[-4:] == ["8幢", "9幢", "10幢", "12幢"]
    assert rows == sorted(rows, key=lambda name: int(name[:-1]))
