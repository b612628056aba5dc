"""Who handles a request: the grid worker of the resident's grid, or else the community staff queue."""

from sqlalchemy import select

from ..models import Account, Request, RequestEvent, account_grids


class RoutingError(ValueError):
    """code: reason_required, not_a_grid_worker (wrong role or community), unchanged."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def grid_workers(session, grid_id: int) -> list[Account]:
    return list(
        session.scalars(
            select(Account)
            .join(account_grids, account_grids.c.account_id == Account.id)
            .where(account_grids.c.grid_id == grid_id, Account.role == "gridworker", Account.active.is_(True))
            .order_by(Account.id)
        )
    )


def route_request(session, resident) -> Account | None:
    """The grid worker for a new request from `resident`: the worker of their grid (the first active one,
    by account id, when a grid has more than one). None sends it to the community staff queue."""
    workers = grid_workers(session, resident.grid_id)
    return workers[0] if workers else None


def assignable_accounts(session, community_id: int) -> list[Account]:
    """The grid workers a request of this community may be handed to."""
    return list(
        session.scalars(
            select(Account)
            .where(Account.community_id == community_id, Account.role == "gridworker", Account.active.is_(True))
            .order_by(Account.display_name)
        )
    )


def reassign(session, request: Request, assignee: Account | None, *, actor, reason: str, now) -> RequestEvent:
    """Hand a request to another grid worker of its community, or (assignee None) to the staff queue."""
    reason = (reason or "").strip()
    if not reason:
        raise RoutingError("reason_required")
    if assignee is not None and (
        assignee.role != "gridworker" or not assignee.active or assignee.community_id != request.community_id
    ):
        raise RoutingError("not_a_grid_worker")
    new_id = assignee.id if assignee else None
    if new_id == request.assignee_id:
        raise RoutingError("unchanged")
    request.assignee_id = new_id
    request.updated_at = now
    event = RequestEvent(
        request_id=request.id,
        at=now,
        actor_id=actor.id if actor else None,
        kind="reassigned",
        note=reason,
        public=False,
    )
    session.add(event)
    session.flush()
    session.refresh(request)
    return event
