"""The life of a request: submitted -> accepted -> in progress -> resolved -> closed, plus referred to
another body and cancelled by the resident. The table below is the only place that says which step
may follow which; anything else is refused.
"""

from sqlalchemy import update

from ..models import Request, RequestEvent

OPEN_STATES = ("submitted", "accepted", "in_progress")
CLOSED_STATES = ("resolved", "closed", "referred", "cancelled")

TRANSITIONS = {
    "submitted": ("accepted", "referred", "cancelled"),
    "accepted": ("in_progress", "resolved", "referred", "cancelled"),
    "in_progress": ("resolved", "referred", "cancelled"),
    # Reopening: the resident says it is not fixed after all.
    "resolved": ("closed", "in_progress"),
    "referred": ("closed",),
    "closed": (),
    "cancelled": (),
}
# These steps need a note: which body it was referred to, and why a resolved request is reopened.
NOTE_REQUIRED = {
    ("submitted", "referred"),
    ("accepted", "referred"),
    ("in_progress", "referred"),
    ("resolved", "in_progress"),
}
# When each state is first reached, for the SLA figures.
TIMESTAMPS = {
    "accepted": "accepted_at",
    "resolved": "resolved_at",
    "closed": "closed_at",
    "referred": "closed_at",
    "cancelled": "closed_at",
}


class TransitionRefused(ValueError):
    """code: illegal (not allowed from this state), note_required, or changed (someone else moved it first)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def allowed_next(state: str) -> tuple[str, ...]:
    return TRANSITIONS.get(state, ())


def is_open(state: str) -> bool:
    return state in OPEN_STATES


def open311_status(state: str) -> str:
    """GeoReport v2 knows only open and closed."""
    return "open" if state in OPEN_STATES else "closed"


def transition(session, request: Request, to_state: str, *, actor, note: str = "", now) -> RequestEvent:
    """Move `request` to `to_state`, recording who, when and the note on its timeline.

    The change is a conditional UPDATE on the state it was read in, so when two people press
    buttons at once only the first one counts and the second is told it changed.
    """
    from_state = request.state
    note = (note or "").strip()
    if to_state not in allowed_next(from_state):
        raise TransitionRefused("illegal")
    if (from_state, to_state) in NOTE_REQUIRED and not note:
        raise TransitionRefused("note_required")
    values = {"state": to_state, "updated_at": now}
    if to_state in TIMESTAMPS:
        values[TIMESTAMPS[to_state]] = now
    if (from_state, to_state) == ("resolved", "in_progress"):
        values["resolved_at"] = None
    changed = session.execute(
        update(Request)
        .where(Request.id == request.id, Request.state == from_state)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        session.refresh(request)
        raise TransitionRefused("changed")
    event = RequestEvent(
        request_id=request.id,
        at=now,
        actor_id=actor.id if actor else None,
        kind="state",
        from_state=from_state,
        to_state=to_state,
        note=note,
        public=True,
    )
    session.add(event)
    session.flush()
    session.refresh(request)
    return event
