"""A year of residents' requests for seed-scale, with their timelines.

Each request walks services/lifecycle.py's TRANSITIONS (every step is checked against it, with a note
where NOTE_REQUIRED says so), stamps accepted_at / resolved_at / closed_at as transition() does, and is
escalated exactly when escalate_overdue() would have been, run from cron every few minutes: the
first tick after a missed deadline while it was still in that state. Steps that would fall after
now have not happened yet, so recent requests are still open. On top of that a backlog of requests
nobody finished keeps the demo grid worker's queue (Nanhu grids 1-2), the demo staff's overdue view
and every grid's queue full.
"""

from datetime import timedelta
from types import SimpleNamespace

from flask_babel import force_locale, gettext
from sqlalchemy import select

from ..models import Category, Request, RequestEvent
from ..services.lifecycle import NOTE_REQUIRED, TIMESTAMPS, allowed_next
from ..services.sla import STAFF_LOCALE, deadlines
from ..services.tickets import ALPHABET as TICKET_ALPHABET
from ..services.tickets import LENGTH as TICKET_LENGTH
from ..services.tickets import format_ticket
from .fake import UniqueDraws, Weighted
from .helpers import HelperPicker
from .texts import CATEGORY_SHARES, DESCRIPTIONS, NOTES, PATHS, REASSIGN_NOTES

HOUR = timedelta(hours=1)
BACKLOG_STATES = Weighted([("submitted", 4), ("accepted", 3), ("in_progress", 3)])


class RequestWriter:
    def __init__(self, loader, rng, city, now):
        self.loader, self.rng, self.city, self.now = loader, rng, city, now
        self.helpers = HelperPicker(rng, city, loader.audit)
        session = loader.session
        self.tickets = UniqueDraws(rng, TICKET_ALPHABET, TICKET_LENGTH, session.scalars(select(Request.ticket)))
        # Plain values, not ORM objects: deadlines() reads them 150,000 times.
        self.categories = {
            c.code: SimpleNamespace(
                id=c.id, name=c.name, hours_to_accept=c.hours_to_accept, days_to_resolve=c.days_to_resolve
            )
            for c in session.scalars(select(Category).where(Category.active.is_(True)))
        }
        self.category_codes = Weighted([(code, share) for code, share in CATEGORY_SHARES if code in self.categories])
        self.grid_names = {g["id"]: g for g in city.grids}
        self.community_names = {c["id"]: c["name"] for c in city.communities}
        with force_locale(STAFF_LOCALE):
            self.late_words = {
                "accept": gettext(
                    "Request %(ticket)s (%(category)s, %(grid)s) has not been accepted in time. Please follow it up."
                ),
                "resolve": gettext(
                    "Request %(ticket)s (%(category)s, %(grid)s) has not been resolved in time. Please follow it up."
                ),
            }
            self.phone_reason = gettext("To contact the resident about their request")

    # -- who and when ------------------------------------------------------------------------------
    def plan(self, figures, people) -> list[tuple]:
        """(created_at, person, backlog state or None) for every request, oldest first."""
        rng, now, demo = self.rng, self.now, self.city.demo
        by_grid = {}
        for person in people:
            by_grid.setdefault(person.grid_id, []).append(person)
        demo_grids = [g for g in demo["grids"] if g in by_grid]
        community = [
            g["id"] for g in self.city.grids if g["community_id"] == demo["community"] and g["id"] not in demo_grids
        ]
        others = [g["id"] for g in self.city.grids if g["community_id"] != demo["community"]]
        plans = []
        for grid_ids, count in (
            (demo_grids, figures.backlog_demo_grids),
            (community, figures.backlog_demo_community),
            (others, figures.backlog_city),
        ):
            grid_ids = [g for g in grid_ids if g in by_grid]
            for _ in range(count if grid_ids else 0):
                person = rng.choice(by_grid[rng.choice(grid_ids)])
                created = max(person.since + HOUR, now - timedelta(days=rng.uniform(0.2, 30)))
                state = BACKLOG_STATES.pick(rng)
                plans.append((created, person, state))
        for _ in range(max(0, figures.requests - len(plans))):
            person = rng.choice(people)
            start = max(person.since, now - timedelta(days=365))
            created = start + (now - start - timedelta(minutes=10)) * rng.random()
            plans.append((created, person, None))
        plans = [(created.replace(microsecond=0), person, state) for created, person, state in plans]
        plans.sort(key=lambda plan: plan[0])
        return plans

    def steps(self, category, created, backlog_state) -> list[tuple]:
        """[(at, to_state)] that have happened by now."""
        rng, now = self.rng, self.now
        accept_hours, resolve_hours = category.hours_to_accept, category.days_to_resolve * 24
        if backlog_state is not None:
            path = {"submitted": [], "accepted": ["accepted"], "in_progress": ["accepted", "in_progress"]}[
                backlog_state
            ]
            at, steps = created, []
            for state in path:
                at = at + (now - at) * rng.uniform(0.05, 0.5)
                steps.append((at, state))
            return steps
        path = PATHS.pick(rng)
        at, steps, resolved_once = created, [], False
        for state in path:
            if state == "accepted":
                late = rng.random() < 0.12
                at = at + HOUR * accept_hours * (rng.uniform(1.05, 3) if late else rng.uniform(0.05, 0.9))
            elif state == "resolved" and not resolved_once:
                late = rng.random() < 0.12
                target = created + HOUR * resolve_hours * (rng.uniform(1.05, 2) if late else rng.uniform(0.2, 0.9))
                at = max(at + HOUR, target)
                resolved_once = True
            elif state == "resolved":
                at = at + HOUR * rng.uniform(24, 96)
            elif state == "in_progress":
                at = at + HOUR * rng.uniform(0.5, 24 if not resolved_once else 72)
            elif state == "closed":
                at = at + HOUR * rng.uniform(12, 120)
            else:  # referred, cancelled
                at = at + HOUR * rng.uniform(1, 48)
            if at >= now:
                break
            steps.append((at.replace(microsecond=0), state))
        return steps

    def escalations(self, timeline, accept_by, resolve_by) -> dict:
        """When escalate_overdue() would have caught each missed deadline, if it has by now."""
        found = {}
        for i, (start, state) in enumerate(timeline):
            end = timeline[i + 1][0] if i + 1 < len(timeline) else self.now
            tick = timedelta(minutes=self.rng.uniform(1, 10))
            if state == "submitted" and "accept" not in found and max(start, accept_by) + tick < end:
                found["accept"] = (max(start, accept_by) + tick).replace(microsecond=0)
            if state in ("accepted", "in_progress") and "resolve" not in found and max(start, resolve_by) + tick < end:
                found["resolve"] = (max(start, resolve_by) + tick).replace(microsecond=0)
        return found

    # -- rows ---------------------------------------------------------------------------------------
    def request_and_events(self, created, person, backlog_state) -> tuple[dict, list[dict]]:
        rng = self.rng
        code = self.category_codes.pick(rng)
        category = self.categories[code]
        accept_by, resolve_by = deadlines(created, category)
        ticket = self.tickets.draw()
        shown = format_ticket(ticket)
        origin = self.helpers.origin(person)
        assignee = self.city.worker.get(person.grid_id)
        row = {
            "ticket": ticket,
            "category_id": category.id,
            "description": rng.choice(DESCRIPTIONS[code]).format(u=rng.randint(1, 4)),
            "building_id": person.building_id,
            "location_text": "",
            "photo_path": None,
            "resident_id": person.id,
            "community_id": person.community_id,
            "grid_id": person.grid_id,
            "assignee_id": assignee,
            **origin,
            "state": "submitted",
            "created_at": created,
            "updated_at": created,
            "accept_by": accept_by,
            "resolve_by": resolve_by,
            "accepted_at": None,
            "resolved_at": None,
            "closed_at": None,
            "accept_escalated_at": None,
            "resolve_escalated_at": None,
        }
        events = [self.event(created, origin["entered_by_id"], "filed", None, "submitted", "", True)]
        self.helpers.audit_origin(row, person, "request.file", f"ticket={shown}; category={code}")
        steps = self.steps(category, created, backlog_state)
        actor = assignee
        if assignee is not None and backlog_state is None and rng.random() < 0.03:
            # Handed to the community staff queue before anyone took it on (routing.reassign).
            at = (created + HOUR * rng.uniform(0.2, 2)).replace(microsecond=0)
            if at < self.now and (not steps or at < steps[0][0]):
                events.append(self.event(at, assignee, "reassigned", None, None, rng.choice(REASSIGN_NOTES), False))
                staff = self.city.staff.get(person.community_id) or [None]
                row.update(assignee_id=None, updated_at=at)
                actor = rng.choice(staff)
        timeline = [(created, "submitted")]
        for at, to_state in steps:
            from_state = row["state"]
            if to_state not in allowed_next(from_state):
                raise AssertionError(f"seed-scale made an illegal step {from_state} -> {to_state}")
            key = "reopen" if (from_state, to_state) == ("resolved", "in_progress") else to_state
            note = rng.choice(NOTES[key]) if (from_state, to_state) in NOTE_REQUIRED or rng.random() < 0.7 else ""
            by = None if to_state == "cancelled" else actor
            events.append(self.event(at, by, "state", from_state, to_state, note, True))
            row.update(state=to_state, updated_at=at)
            if to_state in TIMESTAMPS:
                row[TIMESTAMPS[to_state]] = at
            if key == "reopen":
                row["resolved_at"] = None
            if to_state == "accepted" and person.has_phone and rng.random() < 0.25:
                self.loader.audit.add(
                    at - timedelta(minutes=rng.uniform(1, 30)),
                    "phone.view",
                    actor_id=actor,
                    resident_id=person.id,
                    reason=self.phone_reason,
                    detail=f"ticket={shown}; number=resident",
                    channel="gridworker" if actor == assignee else "staff",
                )
            if to_state == "cancelled":
                self.loader.audit.add(
                    at,
                    "request.cancel",
                    resident_id=person.id,
                    detail=f"ticket={shown}",
                    channel="kiosk" if origin["kiosk_id"] else "online",
                    kiosk_id=origin["kiosk_id"],
                )
            timeline.append((at, to_state))
        for missed, at in self.escalations(timeline, accept_by, resolve_by).items():
            row[f"{missed}_escalated_at"] = at
            events.append(
                self.event(at, None, "escalated", None, None, self.late_text(missed, ticket, category, person), False)
            )
        events.sort(key=lambda event: event["at"])
        return row, events

    def event(self, at, actor_id, kind, from_state, to_state, note, public) -> dict:
        return {
            "at": at,
            "actor_id": actor_id,
            "kind": kind,
            "from_state": from_state,
            "to_state": to_state,
            "note": note,
            "public": public,
        }

    def late_text(self, missed, ticket, category, person) -> str:
        place = f"{self.community_names[person.community_id]} {self.grid_names[person.grid_id]['name']}"
        return self.late_words[missed] % {"ticket": format_ticket(ticket), "category": category.name, "grid": place}

    def write(self, figures, people, batch: int = 5_000) -> None:
        plans = self.plan(figures, people)
        loader = self.loader
        loader.bar("request", len(plans))
        loader.bar("request_event", round(len(plans) * 4.75))
        for start in range(0, len(plans), batch):
            built = [self.request_and_events(*plan) for plan in plans[start : start + batch]]
            loader.insert(Request.__table__, [row for row, _events in built])
            ids = loader.ids_by(Request.__table__, "ticket", [row["ticket"] for row, _events in built])
            loader.insert(
                RequestEvent.__table__,
                [{**event, "request_id": ids[row["ticket"]]} for row, events in built for event in events],
                background=True,
            )
        loader.finish("request_event")
