"""Role and scope checks. Views call these instead of comparing roles themselves.

Not signed in -> the sign-in page (then back here). Signed in with the wrong role or scope -> 403,
whose page says in plain words what this account can do instead.
"""
from functools import wraps

from flask import abort, g, redirect, request, url_for

from ..extensions import db
from ..services import permissions


def login_url():
    return url_for("auth.login", next=request.full_path if request.query_string else request.path)


def require_role(*roles: str):
    """Decorator: the view needs a signed-in account with one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if g.get("account") is None:
                return redirect(login_url(), code=303)
            if not permissions.has_role(g.account, *roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def load_or_404(model, ident):
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


def require_community(community_id: int) -> None:
    if not permissions.can_see_community(g.account, community_id):
        abort(403)


def require_grid(grid) -> None:
    if not permissions.can_see_grid(g.account, grid):
        abort(403)
