"""A year of appointments for seed-scale, kept to the rules services/booking.py and checkin.py enforce:

- `slot.booked` counts the bookings that hold a place (booked, checked in or marked "did not come";
  cancelling gives the place back), never more than `capacity`; over-capacity walk-ins count apart in
  `overbooked`;
- one booking per resident, service and day (stricter than the partial unique index on active ones);
- queue numbers run 1, 2, 3 ... per service and day in the order the bookings were made, and
  queue_counter holds the last one handed out;
- past appointments are mostly checked in, some missed, a few walk-ins; today's at the demo nurse's
  station fill every place; future ones are booked; some of each were cancelled.
"""

from datetime import timedelta
from itertools import groupby

from sqlalchemy import bindparam, select, update

from ..models import Booking, QueueCounter
from ..services.booking import REFERENCE_ALPHABET, REFERENCE_LENGTH
from ..services.checkin import OVER_CAPACITY_REASON
from .fake import UniqueDraws
from .helpers import HelperPicker

CANCELLED_SHARE = 0.08
OVER_CAPACITY_SHARE = 0.001
WALK_IN_SHARE = 0.06
MINUTE = timedelta(minutes=1)


def allocate(rng, slots, total: int, now, today, full_station: int) -> None:
    """Decide per slot how many bookings hold a place (`hold`), were cancelled (`cancel`) and came in
    over the places (`over`), adding up to `total`. The demo nurse's station is full today and
    tomorrow (her roster, and the grid worker's call list for tomorrow)."""
    full_days = (today, today + timedelta(days=1))
    forced = 0
    for s in slots:
        s.update(hold=0, cancel=0, over=0, weight=0.0)
        free = s["capacity"] - s["booked"]
        if s["closed"] or free <= 0:
            continue
        if s["station_id"] == full_station and s["day"] in full_days:
            s["hold"], forced = free, forced + free
            continue
        ahead = (s["day"] - today).days
        s["weight"] = 1.0 if ahead < 0 else max(0.1, 1.0 - ahead / 30)
    cancels = round(total * CANCELLED_SHARE)
    overs = round(total * OVER_CAPACITY_SHARE)
    holds = max(0, total - forced - cancels - overs)
    open_slots = [s for s in slots if s["weight"] > 0]
    expected = sum(s["weight"] * (s["capacity"] - s["booked"]) for s in open_slots) or 1
    scale = holds / expected
    for s in open_slots:
        p = min(1.0, s["weight"] * scale)
        s["hold"] = sum(1 for _ in range(s["capacity"] - s["booked"]) if rng.random() < p)
    missing = holds - sum(s["hold"] for s in open_slots)
    while missing > 0:  # the random draw came out short: top up slots with room
        s = rng.choice(open_slots)
        if s["hold"] < s["capacity"] - s["booked"]:
            s["hold"], missing = s["hold"] + 1, missing - 1
    while missing < 0:
        s = rng.choice(open_slots)
        if s["hold"] > 0:
            s["hold"], missing = s["hold"] - 1, missing + 1
    for _ in range(cancels):
        rng.choice(open_slots or slots)["cancel"] += 1
    full_past = [s for s in open_slots if s["ends_at"] <= now and s["hold"] == s["capacity"] - s["booked"]]
    for _ in range(overs):  # a walk-in over the places only where every place was taken
        if full_past:
            rng.choice(full_past)["over"] += 1
        else:
            rng.choice(open_slots or slots)["cancel"] += 1
    for s in slots:
        s["booked"] += s["hold"]
        s["overbooked"] += s["over"]


class BookingWriter:
    def __init__(self, loader, rng, city, people_by_community, services, now, tz):
        self.loader, self.rng, self.city, self.now, self.tz = loader, rng, city, now, tz
        self.people = people_by_community
        self.focus = None  # {"station", "day", "people"}: see pick_resident
        self.cutoff = {s.id: timedelta(minutes=s.cutoff) for s in services}
        self.helpers = HelperPicker(rng, city, loader.audit)
        session = loader.session
        self.references = UniqueDraws(
            rng, REFERENCE_ALPHABET, REFERENCE_LENGTH, session.scalars(select(Booking.reference))
        )
        self.taken = {
            tuple(row) for row in session.execute(select(Booking.resident_id, Booking.service_id, Booking.day))
        }
        self.counters = dict(
            ((service_id, day), last)
            for service_id, day, last in session.execute(
                select(QueueCounter.service_id, QueueCounter.day, QueueCounter.last_number)
            )
        )

    def pick_resident(self, community_id, service_id, day, before, slot=None):
        pool = self.people[community_id]
        focus = self.focus
        if (
            focus
            and slot
            and slot["station_id"] == focus["station"]
            and day == focus["day"]
            and self.rng.random() < 0.6
        ):
            pool = focus["people"]  # tomorrow at the nurse's station: many from the demo grid worker's grids
        for _ in range(30):
            person = self.rng.choice(pool)
            if person.since < before and (person.id, service_id, day) not in self.taken:
                break
        else:
            person = next((p for p in pool if (p.id, service_id, day) not in self.taken), None)
            if person is None:
                raise ValueError("too few residents for the bookings of one day: use more --residents")
        self.taken.add((person.id, service_id, day))
        return person

    def made_at(self, slot):
        made = (
            slot["starts_at"] - self.cutoff[slot["service_id"]] - timedelta(minutes=self.rng.uniform(10, 14 * 24 * 60))
        )
        if made >= self.now:
            made = self.now - timedelta(minutes=self.rng.uniform(1, 3 * 24 * 60))
        return made.replace(microsecond=0)

    def bookings_of(self, slot, community_id):
        """The bookings of one slot, in no particular order (queue numbers come after)."""
        rng, now = self.rng, self.now
        started, ended = slot["starts_at"] <= now, slot["ends_at"] <= now
        length = (slot["ends_at"] - slot["starts_at"]).total_seconds() / 60
        kinds = ["hold"] * slot["hold"] + ["cancel"] * slot["cancel"] + ["over"] * slot["over"]
        for kind in kinds:
            walk_in = kind == "over" or (kind == "hold" and started and rng.random() < WALK_IN_SHARE)
            if walk_in:
                made = min(now, slot["starts_at"] + timedelta(minutes=rng.uniform(0, length))).replace(microsecond=0)
            else:
                made = self.made_at(slot)
            person = self.pick_resident(community_id, slot["service_id"], slot["day"], made, slot)
            row = {
                "reference": self.references.draw(),
                "slot_id": slot["id"],
                "service_id": slot["service_id"],
                "day": slot["day"],
                "resident_id": person.id,
                "walk_in": walk_in,
                "over_capacity": kind == "over",
                "locale": "en" if rng.random() < 0.05 else "zh_Hans_CN",
                "created_at": made,
                "checked_in_at": None,
                "cancelled_at": None,
                "call_done_at": None,
                "call_done_by_id": None,
                "status": "booked",
            }
            if walk_in:
                nurse = self.helpers.nurse(community_id)
                row.update(status="checked_in", checked_in_at=made, channel="staff", entered_by_id=nurse, kiosk_id=None)
            else:
                row.update(self.helpers.origin(person))
                if kind == "cancel":
                    latest = min(now, slot["starts_at"])
                    row["status"] = "cancelled"
                    row["cancelled_at"] = (made + (latest - made) * rng.uniform(0.1, 0.9)).replace(microsecond=0)
                elif ended or (started and rng.random() < 0.7):
                    if rng.random() < 0.1 and ended:
                        row["status"] = "no_show"
                    else:
                        at = slot["starts_at"] + timedelta(minutes=rng.uniform(-15, length))
                        row.update(status="checked_in", checked_in_at=min(at, now).replace(microsecond=0))
                self.reminder_call(row, person, slot)
            yield row, person

    def reminder_call(self, row, person, slot) -> None:
        """People without a mobile or who need help get a phone call the day before (health/calls.py)."""
        if not person.needs_person or row["status"] == "cancelled":
            return
        at = (slot["starts_at"] - timedelta(hours=self.rng.uniform(20, 28))).replace(microsecond=0)
        if (
            at < self.now
            and at > row["created_at"]
            and self.rng.random() < (0.85 if slot["ends_at"] <= self.now else 0.3)
        ):
            row["call_done_at"], row["call_done_by_id"] = at, self.city.worker.get(person.grid_id)

    def write(self, slots, community_of_station) -> int:
        """Insert every slot's bookings, numbered per service and day, with their audit candidates."""
        written = 0
        counters_new, counters_changed = [], []
        batch = []
        for (service_id, day), group in groupby(slots, key=lambda s: (s["service_id"], s["day"])):
            rows = []
            for slot in group:
                community_id = community_of_station[slot["station_id"]]
                rows += [(row, person, slot) for row, person in self.bookings_of(slot, community_id)]
            if not rows:
                continue
            rows.sort(key=lambda item: item[0]["created_at"])
            last = self.counters.get((service_id, day))
            number = last or 0
            for row, person, slot in rows:
                number += 1
                row["queue_number"] = number
                self.audit(row, person, slot)
                batch.append(row)
            (counters_changed if last is not None else counters_new).append(
                {"service_id": service_id, "day": day, "last_number": number}
            )
            if len(batch) >= 5_000:
                self.loader.insert(Booking.__table__, batch, background=True)
                written, batch = written + len(batch), []
        self.loader.insert(Booking.__table__, batch, background=True)
        written += len(batch)
        self.loader.insert(QueueCounter.__table__, counters_new)
        if counters_changed:
            table = QueueCounter.__table__
            self.loader.execute(
                update(table)
                .where(table.c.service_id == bindparam("s_id"), table.c.day == bindparam("s_day"))
                .values(last_number=bindparam("s_last")),
                [{"s_id": c["service_id"], "s_day": c["day"], "s_last": c["last_number"]} for c in counters_changed],
            )
        return written

    def audit(self, row, person, slot) -> None:
        add, ref, resident = self.loader.audit.add, row["reference"], person.id
        if row["walk_in"]:
            action = "booking.walk_in_over_capacity" if row["over_capacity"] else "booking.walk_in"
            reason = OVER_CAPACITY_REASON if row["over_capacity"] else ""
            add(
                row["created_at"],
                action,
                actor_id=row["entered_by_id"],
                resident_id=resident,
                reason=reason,
                detail=ref,
                channel="staff",
            )
            return
        self.helpers.audit_origin(row, person, "booking.create", ref)
        nurse = self.helpers.nurse(person.community_id)
        if row["status"] == "checked_in":
            add(
                row["checked_in_at"],
                "booking.check_in",
                actor_id=nurse,
                resident_id=resident,
                detail=ref,
                channel="staff",
            )
        elif row["status"] == "no_show":
            at = slot["ends_at"] + timedelta(minutes=self.rng.uniform(5, 180))
            add(
                at.replace(microsecond=0),
                "booking.no_show",
                actor_id=nurse,
                resident_id=resident,
                detail=ref,
                channel="staff",
            )
        elif row["status"] == "cancelled":
            add(
                row["cancelled_at"],
                "booking.cancel",
                actor_id=row["entered_by_id"],
                resident_id=resident,
                detail=ref,
                channel=row["channel"],
                kiosk_id=row["kiosk_id"],
            )
        if row["call_done_at"]:
            worker = row["call_done_by_id"]
            viewed = row["call_done_at"] - timedelta(minutes=self.rng.uniform(2, 30))
            add(
                viewed,
                "resident.contact_view",
                actor_id=worker,
                resident_id=resident,
                reason="appointment reminder call list",
                detail=ref,
                channel="gridworker",
            )
            add(
                row["call_done_at"],
                "booking.reminder_call",
                actor_id=worker,
                resident_id=resident,
                detail=ref,
                channel="gridworker",
            )
