"""Demo kiosk: one screen in 南湖社区's service centre. Activate it with `flask --app portal kiosk-code 1`."""
from ..extensions import db
from ..models import Community, Kiosk

DEMO_KIOSKS = [
    # (community name, kiosk name, location)
    ("南湖社区", "南湖社区服务中心 kiosk", "南湖社区服务中心一楼大厅 · Nanhu Community Centre, ground-floor hall"),
]


def seed_kiosks() -> None:
    """Idempotent: a kiosk is looked up by community and name first."""
    for community_name, name, location in DEMO_KIOSKS:
        community = db.session.scalars(db.select(Community).filter_by(name=community_name)).first()
        if community is None:
            continue
        exists = db.session.scalars(db.select(Kiosk).filter_by(community_id=community.id, name=name)).first()
        if exists is None:
            db.session.add(Kiosk(name=name, location=location, community_id=community.id, active=True))
    db.session.commit()
