from flask import current_app, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l

from ..auth.guards import require_role
from ..auth.loaders import resident_or_404
from ..channels import record_origin
from ..extensions import client_ip, db
from ..models import Booking, Request, Resident, Slot, utcnow
from ..pages import render_page
from ..redirects import safe_next
from ..services.assist import check_start, search_residents
from ..services.audit import record_event
from ..services.identity import IdentifyError, identify_by_card, message
from ..services.inputs import MESSAGES as INPUT_MESSAGES
from ..services.permissions import HELPER_ROLES, can_help
from . import audit_assisted, begin_assisted, bp, end_assisted, extend_assisted

MESSAGES = {
    "identity_missing": _l("Choose how you checked who they are"),
    "consent_missing": _l("Tick the box to confirm the resident agrees to you acting for them"),
    "reason_missing": _l("Say what you are helping with"),
    "reason_too_long": _l("Keep the reason to 200 characters or fewer"),
    "reason_control": INPUT_MESSAGES["control"],
}
IDENTITY_OPTIONS = [
    ("card", _l("They showed me their resident card")),
    ("id_document", _l("They showed me their ID card")),
    ("known", _l("I know them personally")),
]


def register_url() -> str | None:
    """The sign-up flow for a resident who is not registered yet, once that blueprint exists."""
    if "join.register_start" in current_app.view_functions:
        return url_for("join.register_start")
    return None


def just_registered() -> Resident | None:
    """The resident this helper registered a moment ago (the sign-up flow leaves their id behind)."""
    resident_id = session.get("last_registered_resident_id")
    resident = db.session.get(Resident, resident_id) if resident_id else None
    return resident if resident is not None and can_help(g.account, resident) else None


@bp.route("/assist")
@require_role(*HELPER_ROLES)
def start():
    query = request.args.get("q", "").strip()[:60]
    residents, more = search_residents(db.session, g.account, query)
    return render_page(
        "assist/start.html",
        block="results",
        query=query,
        residents=residents,
        more=more,
        register_url=register_url(),
        just_registered=just_registered(),
        ended=request.args.get("ended"),
        form_errors={},
    )


@bp.route("/assist/card", methods=["POST"])
@require_role(*HELPER_ROLES)
def card():
    code = None
    try:
        resident = identify_by_card(
            db.session,
            current_app.config["SECRET_KEY"],
            request.form.get("token", ""),
            community_id=g.account.community_id,
            address=client_ip(),
            origin=record_origin(),
            actor=g.account,
        )
    except IdentifyError as refused:
        db.session.commit()  # a counted failure and its audit event stay
        code = refused.errors["token"]
    else:
        if not can_help(g.account, resident):
            code = "token_out_of_scope"
    if code:
        errors = {"token": message(code)}
        return render_page(
            "assist/start.html",
            query="",
            residents=[],
            more=False,
            register_url=register_url(),
            just_registered=just_registered(),
            ended=None,
            form_errors=errors,
        )
    return redirect(url_for("assist.confirm", number=resident.number, how="card"), code=303)


@bp.route("/assist/residents/<number>", methods=["GET", "POST"])
@require_role(*HELPER_ROLES)
def confirm(number):
    # A resident outside the helper's scope is "not found": the page does not say they exist.
    resident = resident_or_404(number, may=can_help)
    form = {"identity_check": request.values.get("how", ""), "consent": False, "reason": ""}
    errors = {}
    if request.method == "POST":
        form = {
            "identity_check": request.form.get("identity_check", ""),
            "consent": request.form.get("consent") == "yes",
            "reason": request.form.get("reason", "").strip(),
        }
        codes = check_start(form["identity_check"], form["consent"], form["reason"])
        if not codes:
            if g.get("assisted") is not None:
                audit_assisted("assist.end", g.assisted, detail="ended=switched")
            record_event(
                db.session,
                "assist.start",
                actor=g.account,
                resident=resident,
                reason=form["reason"],
                detail=f"identity={form['identity_check']}; consent=given",
                channel=g.account.role,
            )
            db.session.commit()
            # Only once the start is on record: a session that was never audited must not begin.
            begin_assisted(g.account, resident, form["identity_check"], form["reason"])
            session.pop("last_registered_resident_id", None)
            return redirect(url_for("assist.helping"), code=303)
        errors = {field: str(MESSAGES[code]) for field, code in codes.items()}
    return render_page(
        "assist/confirm.html", resident=resident, form=form, form_errors=errors, identity_options=IDENTITY_OPTIONS
    )


@bp.route("/assist/now")
@require_role(*HELPER_ROLES)
def helping():
    if g.get("assisted") is None:
        return redirect(url_for("assist.start"), code=303)
    resident_id = g.assisted.resident.id
    recent = db.session.scalars(
        db.select(Request).where(Request.resident_id == resident_id).order_by(Request.created_at.desc()).limit(5)
    ).all()
    return render_page(
        "assist/helping.html",
        recent=recent,
        register_url=register_url(),
        books_health="health.stations" in current_app.view_functions,
        appointments=upcoming_appointments(resident_id),
    )


def upcoming_appointments(resident_id: int) -> list:
    """The resident's booked health checks that have not started yet, soonest first."""
    if "health.stations" not in current_app.view_functions:
        return []
    return db.session.scalars(
        db.select(Booking)
        .join(Slot, Booking.slot_id == Slot.id)
        .where(Booking.resident_id == resident_id, Booking.status == "booked", Slot.starts_at > utcnow())
        .order_by(Slot.starts_at)
        .limit(5)
    ).all()


@bp.route("/assist/end", methods=["POST"])
@require_role(*HELPER_ROLES)
def end():
    if g.get("assisted") is not None:
        audit_assisted("assist.end", g.assisted, detail="ended=by_helper")
        db.session.commit()
    end_assisted()
    return redirect(url_for("assist.start", ended=1), code=303)


@bp.route("/assist/extend", methods=["POST"])
@require_role(*HELPER_ROLES)
def extend():
    if g.get("assisted") is None:
        return redirect(url_for("assist.start"), code=303)
    extend_assisted()
    audit_assisted("assist.extend", g.assisted, detail="extended=30min")
    db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("assist.helping")), code=303)
