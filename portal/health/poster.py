"""A health station's QR poster: /j/<code> leads to the station's booking page.

The scan itself is counted by the poster dispatcher (portal/posters/routes.py). To show staff which
posters bring bookings, the poster is remembered in the session here, and a booking confirmed for the
same station afterwards is counted once on that poster (book_confirm calls count_poster_booking).
"""

from flask import redirect, session, url_for

from ..extensions import db
from ..posters import poster_handler
from ..services.posters import count_booking

SESSION_KEY = "health-poster"


@poster_handler("station")
def station_poster(poster):
    station = poster.station
    if station is None or not station.active:
        # The station stopped taking bookings: show the stations that still do.
        return redirect(url_for("health.stations"), code=303)
    session[SESSION_KEY] = {"poster_id": poster.id, "station_id": station.id}
    return redirect(url_for("health.station", station_id=station.id), code=303)


def count_poster_booking(station_id: int) -> None:
    """A booking was just confirmed at this station: count it on the poster the person came from, once."""
    came_from = session.pop(SESSION_KEY, None)
    if came_from and came_from.get("station_id") == station_id:
        count_booking(db.session, came_from["poster_id"])
        db.session.commit()
