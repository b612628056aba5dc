"""Demo data: one street, two communities, seven grids, the five demo accounts and 42 residents.

Idempotent: every row is looked up by its natural key first, so running it twice changes nothing.
"""

from .extensions import db
from .kiosk.seed import seed_kiosks
from .models import Account, Building, Community, Grid, Resident, Street, utcnow
from .services.posters import seed_posters
from .services.residents import new_resident_number

DEMO_PASSWORD = "linli-demo"

STREET = ("梅湾街道", "Meiwan Street")
COMMUNITIES = [
    (
        "南湖社区",
        "Nanhu Community",
        [
            ("第一网格", "Grid 1", [("1幢", "Building 1"), ("2幢", "Building 2"), ("3幢", "Building 3")]),
            ("第二网格", "Grid 2", [("5幢", "Building 5"), ("6幢", "Building 6")]),
            ("第三网格", "Grid 3", [("8幢", "Building 8"), ("9幢", "Building 9"), ("10幢", "Building 10")]),
            ("第四网格", "Grid 4", [("12幢", "Building 12"), ("15幢", "Building 15")]),
        ],
    ),
    (
        "月河社区",
        "Yuehe Community",
        [
            ("第一网格", "Grid 1", [("A幢", "Block A"), ("B幢", "Block B")]),
            ("第二网格", "Grid 2", [("C幢", "Block C"), ("D幢", "Block D")]),
            ("第三网格", "Grid 3", [("E幢", "Block E"), ("F幢", "Block F")]),
        ],
    ),
]
# username, display name, role, community index (None = whole street), grid numbers
ACCOUNTS = [
    ("admin", "系统管理员 Admin", "admin", None, []),
    ("staff", "陈社工 Chen (staff)", "staff", 0, []),
    ("gridworker", "李网格员 Li (grid worker)", "gridworker", 0, [1, 2]),
    ("volunteer", "张志愿者 Zhang (volunteer)", "volunteer", 0, []),
    ("nurse", "王护士 Wang (nurse)", "nurse", 0, []),
]
FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["秀英", "桂兰", "建国", "玉兰", "志强", "淑珍", "德明", "凤英", "国华", "美玲", "明", "芳", "伟", "静"]


def get_or_create(model, defaults=None, **keys):
    obj = db.session.scalars(db.select(model).filter_by(**keys)).first()
    if obj is None:
        obj = model(**keys, **(defaults or {}))
        db.session.add(obj)
        db.session.flush()
    return obj


def demo_residents():
    """42 residents spread over the grids; every fifth has no mobile phone."""
    for i in range(42):
        name = FAMILY[i % len(FAMILY)] + GIVEN[(i * 5) % len(GIVEN)]
        phone = None if i % 5 == 4 else f"139{(i * 7919) % 10**8:08d}"
        yield i, name, phone


def seed_demo() -> dict:
    street = get_or_create(Street, name=STREET[0], defaults={"name_en": STREET[1]})
    communities, all_grids = [], []
    for c_name, c_en, grids in COMMUNITIES:
        community = get_or_create(Community, street_id=street.id, name=c_name, defaults={"name_en": c_en})
        communities.append(community)
        for number, (g_name, g_en, buildings) in enumerate(grids, start=1):
            grid = get_or_create(
                Grid, community_id=community.id, number=number, defaults={"name": g_name, "name_en": g_en}
            )
            all_grids.append(grid)
            for b_name, b_en in buildings:
                get_or_create(Building, grid_id=grid.id, name=b_name, defaults={"name_en": b_en})

    for username, display, role, c_index, grid_numbers in ACCOUNTS:
        account = db.session.scalars(db.select(Account).filter_by(username=username)).first()
        if account is None:
            community = communities[c_index] if c_index is not None else None
            account = Account(
                username=username, display_name=display, role=role, community_id=community.id if community else None
            )
            account.set_password(DEMO_PASSWORD)
            account.grids = [g for g in community.grids if g.number in grid_numbers] if community else []
            if role == "gridworker":
                account.work_phone = "057382012345"
            db.session.add(account)
    db.session.flush()

    if db.session.scalar(db.select(db.func.count()).select_from(Resident).where(Resident.channel == "seed")) == 0:
        for i, name, phone in demo_residents():
            grid = all_grids[i % len(all_grids)]
            building = grid.buildings[i % len(grid.buildings)]
            db.session.add(
                Resident(
                    number=new_resident_number(),
                    name=name,
                    phone=phone,
                    family_contact="" if phone else f"女儿 / daughter 137{(i * 104729) % 10**8:08d}",
                    birth_year=1938 + (i * 3) % 30,
                    community_id=grid.community_id,
                    grid_id=grid.id,
                    building_id=building.id,
                    room=f"{(i % 6) + 1}0{(i % 3) + 1}",
                    lives_alone=i % 4 == 0,
                    difficulty_walking=i % 6 == 0,
                    hearing_difficulty=i % 9 == 0,
                    sight_difficulty=i % 11 == 0,
                    no_smartphone=phone is None or i % 3 == 0,
                    channel="seed",
                    consented_at=utcnow(),
                )
            )
    seed_posters(db.session)
    db.session.commit()
    seed_kiosks()
    from .requests.seed import seed_requests

    seed_requests()
    from .health.seed import seed_health

    seed_health()
    from .mydata.seed import seed_mydata

    seed_mydata()
    from .activities.seed import seed_activities

    seed_activities()
    from .notices.seed import seed_notices

    seed_notices()
    from .topics.seed import seed_topics  # topics and meetings (议事会)

    seed_topics()
    from .polls.seed import seed_polls  # votes (网络微投票)

    seed_polls()
    from .volunteers.seed import seed_volunteers  # volunteer register (活地图)

    seed_volunteers()
    from .aid.seed import seed_aid  # mutual aid (邻里互助)

    seed_aid()
    count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
    return {
        "communities": count(Community),
        "grids": count(Grid),
        "accounts": count(Account),
        "residents": count(Resident),
    }
