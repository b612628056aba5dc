"""Help a resident: a volunteer or grid worker finds the resident, records how they checked who it is
and the resident's consent, then acts for them for at most 30 minutes, with a banner on every page.

The assisted session lives in the Flask session under SESSION_KEY. A before-request hook checks it
on every request and sets g.assisted; identify.current_resident() then returns the assisted resident,
and channels.record_origin() records the helper as the one who entered each record.
"""

from dataclasses import dataclass
from datetime import datetime, timezone

from flask import Blueprint, current_app, g, request, session

from ..extensions import db
from ..models import Account, Resident
from ..services import clock
from ..services.assist import ASSIST_SECONDS, EXTEND_OFFER_SECONDS
from ..services.audit import record_event
from ..services.masking import mask_name
from ..services.permissions import can_help
from ..sessions import end_session, renew_session_id

bp = Blueprint("assist", __name__)
SESSION_KEY = "assisted"


@dataclass
class AssistedSession:
    helper: Account
    resident: Resident
    identity_check: str
    reason: str
    started_at: float
    expires_at: float

    @property
    def masked_name(self) -> str:
        return mask_name(self.resident.name)

    @property
    def seconds_left(self) -> int:
        return max(0, int(self.expires_at - clock.timestamp()))

    @property
    def ends_at(self) -> datetime:
        return datetime.fromtimestamp(self.expires_at, timezone.utc).replace(tzinfo=None)

    @property
    def offer_extend(self) -> bool:
        return self.seconds_left <= EXTEND_OFFER_SECONDS


def begin_assisted(helper: Account, resident: Resident, identity_check: str, reason: str) -> None:
    now = clock.timestamp()
    renew_session_id()  # a cookie copied before the help began never carries it
    session[SESSION_KEY] = {
        "helper_id": helper.id,
        "resident_id": resident.id,
        "identity_check": identity_check,
        "consent": True,
        "reason": reason,
        "started_at": now,
        "expires_at": now + ASSIST_SECONDS,
    }


def extend_assisted() -> None:
    data = session.get(SESSION_KEY)
    if data:
        data["expires_at"] = clock.timestamp() + ASSIST_SECONDS
        session[SESSION_KEY] = data


def end_assisted() -> None:
    """The stored session ends (its old cookie opens nothing, anywhere); the helper stays signed in
    under a new id, with the same form token, and nothing of the resident (answers, ids) comes along."""
    if SESSION_KEY in session:
        end_session(keep=("account_id", current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")))
    g.assisted = None


def audit_assisted(action: str, assisted: AssistedSession, detail: str = "") -> None:
    """An audit event for something done in an assisted session, with the session's reason."""
    record_event(
        db.session,
        action,
        actor=assisted.helper,
        resident=assisted.resident,
        reason=assisted.reason,
        detail=detail,
        channel=assisted.helper.role,
    )


def load_assisted() -> None:
    """Check the assisted session on every request: right helper, resident still in scope, not expired."""
    g.assisted = None
    g.assisted_ended = None
    data = session.get(SESSION_KEY)
    if not data or request.endpoint == "static":
        return
    account = g.get("account")
    resident = db.session.get(Resident, data.get("resident_id"))
    if account is None or account.id != data.get("helper_id") or resident is None or not can_help(account, resident):
        session.pop(SESSION_KEY, None)
        return
    assisted = AssistedSession(
        helper=account,
        resident=resident,
        identity_check=data.get("identity_check", ""),
        reason=data.get("reason", ""),
        started_at=data["started_at"],
        expires_at=data["expires_at"],
    )
    if clock.timestamp() > assisted.expires_at:
        end_assisted()
        audit_assisted("assist.timeout", assisted, detail="ended=timeout")
        db.session.commit()
        g.assisted_ended = assisted.masked_name
        return
    g.assisted = assisted


@bp.record_once
def install(state):
    state.app.before_request(load_assisted)


from . import audit_log, routes  # noqa: E402,F401
