"""Demo data for requests: the eight categories with their service levels, and a few requests (one
overdue, one in the community staff queue, one in the other community). Idempotent: categories are
found by code and demo requests by their fixed ticket numbers."""

from datetime import timedelta

from ..extensions import db
from ..models import Category, Request, RequestEvent, Resident, utcnow
from ..services.routing import route_request
from ..services.sla import deadlines

# code, Chinese name, English name, hours to accept, days to resolve
CATEGORIES = [
    ("repairs", "维修", "Repairs", 24, 7),
    ("sanitation", "环境卫生", "Sanitation and rubbish", 24, 3),
    ("safety_hazard", "安全隐患", "Safety hazard", 4, 2),
    ("noise_dispute", "噪音与邻里纠纷", "Noise or neighbour dispute", 48, 14),
    ("health_care", "健康与照护", "Health and care", 8, 3),
    ("mutual_aid", "生活求助（邻里互助）", "Help needed (mutual aid)", 24, 5),
    ("suggestion", "意见建议", "Suggestion", 72, 30),
    ("other", "其他", "Other", 48, 14),
]
# ticket, resident index (by id within the demo residents), category, description, days ago, state, note
DEMO_REQUESTS = [
    (
        "K7MX3PQA",
        0,
        "repairs",
        "3单元楼道2楼的灯坏了一个星期，晚上上下楼看不见台阶。",
        1,
        "in_progress",
        "已联系物业电工，明天上午来换灯。",
    ),
    ("HFT4WR9C", 1, "sanitation", "楼下垃圾桶满了好几天没人清运，气味很大。", 3, "submitted", ""),
    ("DNP7QX3E", 2, "suggestion", "希望在小区花园多放几张长椅，老人散步累了可以歇一歇。", 0, "submitted", ""),
    (
        "MRJ9TK4A",
        7,
        "mutual_aid",
        "腿脚不便，想请邻居帮忙每周买一次菜。",
        5,
        "resolved",
        "已为您联系楼上的志愿者张阿姨，每周六上午帮您买菜。",
    ),
    ("CYW3EA7N", 4, "noise_dispute", "楼上晚上十一点以后还在装修，影响休息。", 0, "submitted", ""),
]


def seed_requests() -> None:
    by_code = {}
    for position, (code, name, name_en, hours, days) in enumerate(CATEGORIES, start=1):
        category = db.session.scalars(db.select(Category).filter_by(code=code)).first()
        if category is None:
            category = Category(
                code=code,
                name=name,
                name_en=name_en,
                hours_to_accept=hours,
                days_to_resolve=days,
                position=position * 10,
            )
            db.session.add(category)
        by_code[code] = category
    db.session.flush()

    residents = db.session.scalars(db.select(Resident).where(Resident.channel == "seed").order_by(Resident.id)).all()
    if not residents:
        db.session.commit()
        return
    now = utcnow()
    for ticket, index, code, description, days_ago, state, note in DEMO_REQUESTS:
        if db.session.scalars(db.select(Request).filter_by(ticket=ticket)).first() is not None:
            continue
        resident, category = residents[index % len(residents)], by_code[code]
        created = now - timedelta(days=days_ago, hours=2)
        accept_by, resolve_by = deadlines(created, category)
        assignee = route_request(db.session, resident)
        req = Request(
            ticket=ticket,
            category_id=category.id,
            description=description,
            building_id=resident.building_id,
            resident_id=resident.id,
            community_id=resident.community_id,
            grid_id=resident.grid_id,
            assignee_id=assignee.id if assignee else None,
            channel="gridworker" if assignee else "online",
            entered_by_id=assignee.id if assignee else None,
            state=state,
            created_at=created,
            updated_at=created,
            accept_by=accept_by,
            resolve_by=resolve_by,
        )
        db.session.add(req)
        db.session.flush()
        db.session.add(
            RequestEvent(
                request_id=req.id,
                at=created,
                actor_id=req.entered_by_id,
                kind="filed",
                to_state="submitted",
                public=True,
            )
        )
        path = {"in_progress": ["accepted", "in_progress"], "resolved": ["accepted", "resolved"]}.get(state, [])
        previous, at = "submitted", created
        for step in path:
            at = at + timedelta(hours=3)
            last = step == path[-1]
            db.session.add(
                RequestEvent(
                    request_id=req.id,
                    at=at,
                    actor_id=req.assignee_id,
                    kind="state",
                    from_state=previous,
                    to_state=step,
                    note=note if last else "",
                    public=True,
                )
            )
            if step == "accepted":
                req.accepted_at = at
            if step == "resolved":
                req.resolved_at = at
            previous = step
        req.updated_at = at
    db.session.commit()
