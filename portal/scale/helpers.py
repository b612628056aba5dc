"""Who made a record for seed-scale, the way channels.record_origin() says it: the resident online or at
their kiosk, their grid worker or a volunteer in an assisted session, or staff taking a phone call;
and the audit events each of those paths writes around the action itself (assist.start / assist.end
for a helper, resident.identify at a kiosk)."""

from datetime import timedelta

from .fake import Weighted

CHANNELS = Weighted([("online", 40), ("kiosk", 15), ("volunteer", 15), ("gridworker", 15), ("phone", 15)])
ASSIST_REASONS = [
    "老人不会用手机，请我代为办理",
    "居民行动不便，上门代办",
    "居民视力不好，请我帮忙操作",
    "居民在服务中心请志愿者帮忙",
    "独居老人，入户走访时代为办理",
]
IDENTITY_CHECKS = ["card", "id_document", "known"]


class HelperPicker:
    def __init__(self, rng, city, audit):
        self.rng, self.city, self.audit = rng, city, audit

    def nurse(self, community_id):
        nurses = self.city.nurses.get(community_id)
        return self.rng.choice(nurses) if nurses else None

    def origin(self, person, channel: str | None = None) -> dict:
        """channel, entered_by_id, kiosk_id for a record made for `person`."""
        channel = channel or CHANNELS.pick(self.rng)
        community_id = person.community_id
        by = None
        if channel == "gridworker":
            by = self.city.worker.get(person.grid_id)
        elif channel == "volunteer":
            volunteers = self.city.volunteers.get(community_id)
            by = self.rng.choice(volunteers) if volunteers else None
        elif channel == "phone":
            staff = self.city.staff.get(community_id)
            by = self.rng.choice(staff) if staff else None
        if channel in ("gridworker", "volunteer", "phone") and by is None:
            channel = "online"
        kiosk = self.city.kiosks.get(community_id) if channel == "kiosk" else None
        return {"channel": channel, "entered_by_id": by, "kiosk_id": kiosk}

    def audit_origin(self, row, person, action: str, detail: str, at=None) -> None:
        """The action's own audit event, with a helper's session or a kiosk identification around it."""
        add, rng = self.city_audit, self.rng
        at = at or row["created_at"]
        channel, by = row["channel"], row["entered_by_id"]
        reason = ""
        if channel in ("gridworker", "volunteer"):
            reason = rng.choice(ASSIST_REASONS)
            identity = rng.choice(IDENTITY_CHECKS)
            add(
                at - timedelta(minutes=rng.uniform(2, 9)),
                "assist.start",
                actor_id=by,
                resident_id=person.id,
                reason=reason,
                detail=f"identity={identity}; consent=given",
                channel=channel,
            )
            add(
                at + timedelta(minutes=rng.uniform(1, 5)),
                "assist.end",
                actor_id=by,
                resident_id=person.id,
                reason=reason,
                detail="ended=by_helper",
                channel=channel,
            )
        elif channel == "kiosk":
            how = rng.choice(("card", "phone"))
            add(
                at - timedelta(minutes=rng.uniform(1, 4)),
                "resident.identify",
                resident_id=person.id,
                detail=how,
                channel="kiosk",
                kiosk_id=row["kiosk_id"],
            )
        add(
            at,
            action,
            actor_id=by,
            resident_id=person.id,
            reason=reason,
            detail=detail,
            channel=channel,
            kiosk_id=row["kiosk_id"],
        )

    def city_audit(self, at, action, **fields):
        self.audit.add(at.replace(microsecond=0), action, **fields)
