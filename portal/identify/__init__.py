"""Residents say who they are (card, or phone plus birth year) before booking, filing or checking.

The identification is kept in the session for a short time only, and `forget_resident()` wipes it.
Blueprints call `current_resident()` and the `require_resident` decorator rather than the session.
"""

from functools import wraps

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for

from ..channels import record_origin
from ..extensions import client_ip, db
from ..models import Resident
from ..services import clock
from ..services.identity import IdentifyError, identify_by_card, message
from ..sessions import renew_session_id

bp = Blueprint("identify", __name__)
SESSION_KEY = "resident_identity"
IDENTITY_SECONDS = 30 * 60


def year_now() -> int:
    """This year in the portal's time zone, for the birth-year rule."""
    return clock.this_year_local()


def remember_resident(resident: Resident, how: str) -> None:
    renew_session_id()  # the id from before identification (perhaps planted) never carries it
    session[SESSION_KEY] = {"id": resident.id, "how": how, "at": clock.timestamp()}


def forget_resident() -> None:
    if SESSION_KEY in session:
        session.pop(SESSION_KEY)
        renew_session_id()  # the cookie from while they were identified opens nothing now


def current_resident() -> Resident | None:
    """The identified resident, or None once the identification is older than IDENTITY_SECONDS.

    While a helper is in an assisted session (g.assisted, set by the assist blueprint), it is the
    resident being helped.
    """
    assisted = g.get("assisted")
    if assisted is not None:
        return assisted.resident
    identity = session.get(SESSION_KEY)
    if not identity:
        return None
    if clock.timestamp() - identity.get("at", 0) > IDENTITY_SECONDS:
        session.pop(SESSION_KEY, None)
        return None
    # Kept for the request: the session's identity map holds objects weakly, so a guard's look-up and the
    # view's would otherwise each SELECT the resident.
    cached = g.get("identified_resident")
    if cached is None or cached.id != identity["id"]:
        cached = g.identified_resident = db.session.get(Resident, identity["id"])
    return cached


def require_resident(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_resident() is None:
            target = request.full_path if request.query_string else request.path
            return redirect(url_for("identify.start", next=target), code=303)
        return view(*args, **kwargs)

    return wrapped


def own_slip_or_staff(resident_id: int, staff_may_see: bool):
    """For a printable slip or ticket: staff who may see it, or the identified resident it belongs to. Gives
    the redirect to identification when nobody is identified (None when the visitor may see it); 404 for
    someone else's."""
    if staff_may_see:
        return None
    resident = current_resident()
    if resident is None:
        return redirect(url_for("identify.start", next=request.full_path), code=303)
    if resident.id != resident_id:
        abort(404)
    return None


def resident_from_desk_card(code: str, community_id: int) -> Resident:
    """The resident whose card staff scanned at a desk or a door (a health station, an activity), in that
    community. LookupError carries the plain-language reason a card is refused; the refusal is counted and
    audited like every identification, and stays although the page shows an error."""
    try:
        return identify_by_card(
            db.session,
            current_app.config["SECRET_KEY"],
            code,
            community_id=community_id,
            address=client_ip(),
            origin=record_origin("staff"),
            actor=g.account,
        )
    except IdentifyError as refused:
        db.session.commit()
        raise LookupError(message(refused.errors["token"])) from None


from . import routes  # noqa: E402,F401
