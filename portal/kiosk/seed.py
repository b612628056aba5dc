"""Demo kiosk: one screen in 南湖社区's service centre. Activate it with `flask --app portal kiosk-code 1`."""

from ..extensions import db
from ..models import Community, Kiosk

DEMO_KIOSKS = [
    # (community name, kiosk name, name in English, location)
    (
        "南湖社区",
        "南湖社区服务中心",
        "Nanhu Community Centre",
        "南湖社区服务中心一楼大厅 · Nanhu Community Centre, ground-floor hall",
    ),
]
# Earlier demo data named the kiosk in one language only; seeding again renames it instead of adding a second.
EARLIER_NAMES = {"南湖社区服务中心": "南湖社区服务中心 kiosk"}


def seed_kiosks() -> None:
    """Idempotent: a kiosk is looked up by community and name (or its earlier demo name) first."""
    for community_name, name, name_en, location in DEMO_KIOSKS:
        community = db.session.scalars(db.select(Community).filter_by(name=community_name)).first()
        if community is None:
            continue
        names = [name] + ([EARLIER_NAMES[name]] if name in EARLIER_NAMES else [])
        exists = db.session.scalars(
            db.select(Kiosk).where(Kiosk.community_id == community.id, Kiosk.name.in_(names)).order_by(Kiosk.id)
        ).first()
        if exists is None:
            db.session.add(Kiosk(name=name, name_en=name_en, location=location, community_id=community.id, active=True))
        else:
            exists.name, exists.name_en = name, exists.name_en or name_en
    db.session.commit()
