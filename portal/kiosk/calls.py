"""Call a staff member: the kiosk's side (raise a call, see that someone is coming) and the staff's
list of calls for their community, which updates itself with htmx polling and works without JS."""

from flask import g, redirect, request, session, url_for

from ..auth.guards import require_role
from ..auth.loaders import staff_call_or_404
from ..extensions import db
from ..identify import current_resident
from ..pages import render_page
from ..services import clock
from ..services.audit import record_event
from ..services.masking import mask_name
from ..services.paging import page_number
from ..services.permissions import STAFF_ROLES, community_scope
from ..services.staff_calls import (
    ANSWER_WITHIN,
    answer_call,
    call_of_kiosk,
    calls_page,
    escalate_unanswered_calls,
    finish_call,
    raise_call,
    share_resident,
)
from . import bp
from .admin import no_store
from .routes import kiosk_only

CALL_KEY = "kiosk_call"  # the visit's call: "Start again" ends the session, and with it this
POLL_SECONDS = 5  # the kiosk asks how its call is going; the staff list refreshes every STAFF_POLL_SECONDS
STAFF_POLL_SECONDS = 10


@bp.route("/kiosk/call", methods=["GET", "POST"])
@kiosk_only
def call():
    if request.method == "POST":
        made, new = raise_call(db.session, g.kiosk, clock.utcnow())
        if new:
            record_event(db.session, "kiosk.call", detail=f"call={made.id}", channel="kiosk", kiosk_id=g.kiosk.id)
        db.session.commit()
        session[CALL_KEY] = made.id
        return redirect(url_for("kiosk.call"), code=303)
    current = call_of_kiosk(db.session, session.get(CALL_KEY), g.kiosk.id)
    resident = current_resident()
    return render_page(
        "kiosk/call.html",
        block="call_status",
        call=current,
        resident_name=mask_name(resident.name) if resident else None,
        poll_seconds=POLL_SECONDS,
    )


@bp.route("/kiosk/call/share", methods=["POST"])
@kiosk_only
def call_share():
    """The identified resident agrees that the staff may see their name on the call."""
    current = call_of_kiosk(db.session, session.get(CALL_KEY), g.kiosk.id)
    resident = current_resident()
    if current is not None and resident is not None and share_resident(db.session, current, resident):
        record_event(
            db.session,
            "kiosk.call_share",
            resident=resident,
            detail=f"call={current.id}",
            channel="kiosk",
            kiosk_id=g.kiosk.id,
        )
        db.session.commit()
    return redirect(url_for("kiosk.call"), code=303)


@bp.route("/admin/kiosks/calls")
@require_role(*STAFF_ROLES)
def call_list():
    scope = community_scope(g.account)
    # Reading the list also escalates any call left unanswered (the CLI does the same on a timer).
    if escalate_unanswered_calls(db.session, clock.utcnow(), scope, clock.portal_zone()):
        db.session.commit()
    listing = calls_page(db.session, scope, page_number(request.args))
    return no_store(
        render_page(
            "kiosk/calls.html",
            block="call_list",
            listing=listing,
            now=clock.utcnow(),
            answer_minutes=int(ANSWER_WITHIN.total_seconds() // 60),
            poll_seconds=STAFF_POLL_SECONDS,
        )
    )


@bp.route("/admin/kiosks/calls/<int:call_id>/<any('coming', 'done'):step>", methods=["POST"])
@require_role(*STAFF_ROLES)
def call_step(call_id, step):
    found = staff_call_or_404(call_id)
    move = answer_call if step == "coming" else finish_call
    if move(db.session, found.id, g.account, clock.utcnow(), community_scope(g.account)):
        action = "kiosk.call_answer" if step == "coming" else "kiosk.call_done"
        record_event(db.session, action, actor=g.account, detail=f"call={found.id}", channel="staff")
        db.session.commit()
    return redirect(
        url_for("kiosk.call_list", page=page_number(request.args) if request.args.get("page") else None), code=303
    )
