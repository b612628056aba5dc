"""QR posters: the staff pages that print them, and /j/<code>, where every poster's QR code points.

/j/<code> looks the poster up, counts the scan and hands over to the handler registered for the
poster's kind. Sign-up registers 'grid' (in portal/join); other capabilities register their own kinds:

    from portal.posters import poster_handler

    @poster_handler("station")
    def station_poster(poster):
        return redirect(url_for("health.station", ...), code=303)
"""

from collections.abc import Callable

from flask import Blueprint

bp = Blueprint("posters", __name__)

POSTER_HANDLERS: dict[str, Callable] = {}


def poster_handler(kind: str):
    """Decorator: `view(poster)` answers a scan of an active poster of this kind."""

    def register(view):
        POSTER_HANDLERS[kind] = view
        return view

    return register


from . import routes  # noqa: E402,F401
