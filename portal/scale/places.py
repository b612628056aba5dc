"""The city's structure for seed-scale: streets, communities, grids, buildings, a kiosk per community,
and the accounts that work there (a grid worker per grid, staff and volunteers per community, nurses
per station). The demo's street, communities, grids and accounts are kept and count among them."""

from dataclasses import dataclass, field

from sqlalchemy import select

from ..models import Account, Building, Community, Grid, Kiosk, Street, account_grids
from ..seed import DEMO_PASSWORD
from ..services.hashing import hash_secret
from .fake import staff_name

# The marker: seed-scale has run on this database when this street exists.
MARKER_STREET = ("城南街道", "Chengnan Street")
NEW_STREETS = [MARKER_STREET, ("新嘉街道", "Xinjia Street")]
DEMO_STREET = None  # the demo's own street (梅湾街道) takes communities too
# (street: an index into NEW_STREETS or DEMO_STREET, name, name in English); the first is on the marker street.
NEW_COMMUNITIES = [
    (0, "桂园社区", "Guiyuan Community"),
    (1, "竹林社区", "Zhulin Community"),
    (0, "秀水社区", "Xiushui Community"),
    (1, "芳草社区", "Fangcao Community"),
    (DEMO_STREET, "梅林社区", "Meilin Community"),
    (0, "东栅社区", "Dongzha Community"),
    (1, "西塘社区", "Xitang Community"),
    (DEMO_STREET, "春晖社区", "Chunhui Community"),
]
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1-99 as written in grid names: 一, 十, 十二, 二十, 二十三."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


@dataclass
class City:
    """What later steps need to know about the places and people, by id."""

    street_ids: list = field(default_factory=list)
    communities: list = field(default_factory=list)  # dicts: id, name, name_en, index
    grids: list = field(default_factory=list)  # dicts: id, community_id, number, name
    buildings: dict = field(default_factory=dict)  # grid id -> [building ids]
    kiosks: dict = field(default_factory=dict)  # community id -> kiosk id
    worker: dict = field(default_factory=dict)  # grid id -> the grid worker's account id
    staff: dict = field(default_factory=dict)  # community id -> [account ids]
    volunteers: dict = field(default_factory=dict)
    nurses: dict = field(default_factory=dict)
    demo: dict = field(default_factory=dict)  # community, grids (the grid worker's), staff, nurse ids
    password_hash: str = ""


def find_demo(session) -> dict | None:
    """The demo's community (南湖社区), the demo grid worker's grids and the demo accounts, or None."""
    accounts = {
        a.username: a
        for a in session.scalars(select(Account).where(Account.username.in_(("staff", "gridworker", "nurse"))))
    }
    if len(accounts) < 3:
        return None
    return {
        "community": accounts["staff"].community_id,
        "grids": [g.id for g in accounts["gridworker"].grids],
        "staff": accounts["staff"].id,
        "gridworker": accounts["gridworker"].id,
        "nurse": accounts["nurse"].id,
        "street": accounts["staff"].community.street_id,
    }


def build_places(loader, figures, rng, now, demo: dict) -> City:
    session, city = loader.session, City(demo=demo)
    loader.insert(Street.__table__, [{"name": name, "name_en": en} for name, en in NEW_STREETS])
    streets = loader.ids_by(Street.__table__, "name", [name for name, _en in NEW_STREETS])
    street_ids = [streets[name] for name, _en in NEW_STREETS]
    new = NEW_COMMUNITIES[: max(0, figures.communities - 2)]
    extra = range(len(NEW_COMMUNITIES) + 2, figures.communities)  # more communities than names: number them
    new += [(n % 2, f"新城第{chinese_number(n % 100)}社区", f"Xincheng Community {n}") for n in extra]
    loader.insert(
        Community.__table__,
        [
            {"street_id": demo["street"] if s is DEMO_STREET else street_ids[s], "name": name, "name_en": en}
            for s, name, en in new
        ],
    )
    rows = session.execute(select(Community.id, Community.name, Community.name_en).order_by(Community.id)).all()
    city.communities = [{"id": r.id, "name": r.name, "name_en": r.name_en, "index": i} for i, r in enumerate(rows, 1)]
    city.street_ids = street_ids
    build_grids(loader, figures, city)
    build_kiosks(loader, city, now)
    city.password_hash = hash_secret(DEMO_PASSWORD)  # once: hashing is slow on purpose
    build_grid_workers(loader, rng, city, now)
    return city


def build_grids(loader, figures, city: City) -> None:
    session = loader.session
    existing = session.execute(select(Grid.id, Grid.community_id, Grid.number)).all()
    last_number = {}
    for row in existing:
        last_number[row.community_id] = max(last_number.get(row.community_id, 0), row.number)
    grid_rows = []
    for community in city.communities:
        for number in range(last_number.get(community["id"], 0) + 1, figures.grids_per_community + 1):
            grid_rows.append(
                {
                    "community_id": community["id"],
                    "number": number,
                    "name": f"第{chinese_number(number)}网格",
                    "name_en": f"Grid {number}",
                }
            )
    loader.insert(Grid.__table__, grid_rows)
    grids = session.execute(select(Grid.id, Grid.community_id, Grid.number, Grid.name).order_by(Grid.id)).all()
    city.grids = [{"id": g.id, "community_id": g.community_id, "number": g.number, "name": g.name} for g in grids]
    new_grid_ids = {(g.community_id, g.number): g.id for g in grids}
    names = session.execute(select(Building.grid_id, Building.name)).all()
    taken = {}
    for grid_id, name in names:
        grid = next(g for g in city.grids if g["id"] == grid_id)
        digits = "".join(ch for ch in name if ch.isdigit())
        taken[grid["community_id"]] = max(taken.get(grid["community_id"], 0), int(digits) if digits else 0)
    building_rows = []
    for row in grid_rows:
        grid_id = new_grid_ids[(row["community_id"], row["number"])]
        first = taken.get(row["community_id"], 0) + 1
        count = 6 + row["number"] % 4
        taken[row["community_id"]] = first + count - 1
        building_rows += [
            {"grid_id": grid_id, "name": f"{k}幢", "name_en": f"Building {k}"} for k in range(first, first + count)
        ]
    loader.insert(Building.__table__, building_rows)
    for building_id, grid_id in session.execute(select(Building.id, Building.grid_id).order_by(Building.id)):
        city.buildings.setdefault(grid_id, []).append(building_id)


def build_kiosks(loader, city: City, now) -> None:
    session = loader.session
    have = {cid for (cid,) in session.execute(select(Kiosk.community_id))}
    loader.insert(
        Kiosk.__table__,
        [
            {
                "name": f"{c['name']}服务中心",
                "name_en": c["name_en"].replace("Community", "Community Centre"),
                "location": f"{c['name']}服务中心一楼大厅",
                "community_id": c["id"],
                "activated_at": now,
                "cookie_version": 1,
                "visit": 0,
                "active": True,
                "created_at": now,
            }
            for c in city.communities
            if c["id"] not in have
        ],
    )
    for kiosk_id, community_id in session.execute(select(Kiosk.id, Kiosk.community_id).order_by(Kiosk.id.desc())):
        city.kiosks[community_id] = kiosk_id


def account_row(city: City, username: str, display: str, role: str, community_id: int, now) -> dict:
    return {
        "username": username,
        "password_hash": city.password_hash,
        "display_name": display,
        "role": role,
        "community_id": community_id,
        "active": True,
        "created_at": now,
    }


def build_grid_workers(loader, rng, city: City, now) -> None:
    """A grid worker for every grid that has none; the demo grid worker keeps Nanhu grids 1 and 2."""
    session = loader.session
    for grid_id, account_id in session.execute(
        select(account_grids.c.grid_id, account_grids.c.account_id).order_by(account_grids.c.account_id.desc())
    ):
        city.worker[grid_id] = account_id
    index = {c["id"]: c["index"] for c in city.communities}
    wanted = {}
    for grid in city.grids:
        if grid["id"] not in city.worker:
            username = f"gridworker-{index[grid['community_id']]:02d}-{grid['number']:02d}"
            wanted[username] = grid
    rows = [
        account_row(city, name, staff_name(rng, "网格员", "grid worker"), "gridworker", grid["community_id"], now)
        for name, grid in wanted.items()
    ]
    loader.insert(Account.__table__, rows)
    ids = loader.ids_by(Account.__table__, "username", list(wanted))
    loader.insert(account_grids, [{"account_id": ids[name], "grid_id": grid["id"]} for name, grid in wanted.items()])
    for name, grid in wanted.items():
        city.worker[grid["id"]] = ids[name]


def build_community_accounts(loader, rng, figures, city: City, stations_per_community: dict, now) -> None:
    """Staff and volunteers per community, nurses per station, next to the demo's own accounts."""
    session = loader.session
    have = {}
    for account_id, role, community_id in session.execute(select(Account.id, Account.role, Account.community_id)):
        have.setdefault((role, community_id), []).append(account_id)
    words = {"staff": ("社工", "staff"), "volunteer": ("志愿者", "volunteer"), "nurse": ("护士", "nurse")}
    wanted = {}
    for community in city.communities:
        cid = community["id"]
        targets = {
            "staff": figures.staff_per_community,
            "volunteer": figures.volunteers_per_community,
            "nurse": figures.nurses_per_station * stations_per_community.get(cid, 0),
        }
        for role, target in targets.items():
            for k in range(len(have.get((role, cid), [])) + 1, target + 1):
                wanted[f"{role}-{community['index']:02d}-{k}"] = (role, cid)
    rows = [
        account_row(city, name, staff_name(rng, *words[role]), role, cid, now) for name, (role, cid) in wanted.items()
    ]
    loader.insert(Account.__table__, rows)
    ids = loader.ids_by(Account.__table__, "username", list(wanted))
    for name, (role, cid) in wanted.items():
        have.setdefault((role, cid), []).append(ids[name])
    for community in city.communities:
        cid = community["id"]
        city.staff[cid] = sorted(have.get(("staff", cid), []))
        city.volunteers[cid] = sorted(have.get(("volunteer", cid), []))
        city.nurses[cid] = sorted(have.get(("nurse", cid), []))
