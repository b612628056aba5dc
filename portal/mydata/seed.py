"""Demo data: one pending correction, asked by a resident of Nanhu (南湖社区), for the staff queue."""

from ..extensions import db
from ..models import Community, DataRequest, Resident


def seed_mydata() -> None:
    nanhu = db.session.scalars(db.select(Community).filter_by(name_en="Nanhu Community")).first()
    if nanhu is None or db.session.scalar(db.select(DataRequest.id).where(DataRequest.community_id == nanhu.id)):
        return
    resident = db.session.scalars(
        db.select(Resident).where(Resident.community_id == nanhu.id, Resident.channel == "seed").order_by(Resident.id)
    ).first()
    if resident is None:
        return
    db.session.add(
        DataRequest(
            resident_id=resident.id,
            community_id=nanhu.id,
            kind="correction",
            field="room",
            what_is_wrong="房号写错了 / The room number is wrong",
            should_be="302",
            channel="online",
        )
    )
    db.session.commit()
