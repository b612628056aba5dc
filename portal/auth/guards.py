"""Role checks. Views call these instead of comparing roles themselves.

Not signed in -> the sign-in page (then back here). Signed in with a role that cannot do this -> 403,
whose page says in plain words what this account can do instead. Scope (which community, which grid)
is checked by the loaders in loaders.py: outside it, 404.
"""

from functools import wraps

from flask import abort, g, redirect, request, url_for

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
