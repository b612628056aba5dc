"""The resident card: a bank-card-sized sheet to print, and reissuing it (which revokes the old one).

Who may see a card: the resident for a short time right after their own sign-up (the grant lives in
their session only), the helper who has just registered them, and staff or grid workers in scope.
"""

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l

from ..auth.guards import require_role
from ..auth.loaders import resident_or_404
from ..channels import record_origin
from ..extensions import db
from ..models import Resident
from ..pages import render_page
from ..services import clock
from ..services.audit import record_event
from ..services.cards import card_token, reissue_card
from ..services.inputs import text_problem
from ..services.masking import mask_name
from ..services.permissions import CARD_ROLES, can_manage_card, has_role
from ..services.qr import qr_svg
from ..services.residents import format_resident_number
from . import bp

GRANT_KEY = "card_grant"
GRANT_SECONDS = 30 * 60
REISSUE_REASONS = {
    "lost": _l("The card was lost"),
    "damaged": _l("The card is damaged or will not scan"),
    "stolen": _l("Someone else may have the card"),
    "other": _l("Another reason"),
}
REISSUE_MESSAGES = {
    "reason_missing": _l("Choose why a new card is needed"),
    "note_missing": _l("Say in a few words why a new card is needed"),
    "note_too_long": _l("Keep the note to 200 characters or fewer"),
}


def grant_card(resident: Resident, joined: bool = True) -> None:
    """Let this browser show the resident's card for GRANT_SECONDS: a new resident's (and the confirmation),
    or, with joined=False, the card of someone already registered who has just proved their phone."""
    session[GRANT_KEY] = {"number": resident.number, "at": clock.timestamp(), "joined": joined}


def granted_resident(joined_only: bool = False) -> Resident | None:
    grant = session.get(GRANT_KEY)
    if not grant or (joined_only and not grant.get("joined", True)):
        return None
    if clock.timestamp() - grant.get("at", 0) > GRANT_SECONDS:
        session.pop(GRANT_KEY, None)
        return None
    return db.session.scalars(db.select(Resident).where(Resident.number == grant["number"])).first()


@bp.route("/cards/<number>")
def card(number):
    resident = resident_or_404(number)
    granted = granted_resident()
    manager = can_manage_card(g.get("account"), resident)
    if not manager and (granted is None or granted.id != resident.id):
        account = g.get("account")
        if account is not None:
            # A card manager outside their scope is told "not found"; other roles cannot see cards at all.
            abort(404 if has_role(account, *CARD_ROLES) else 403)
        return render_page("join/card_gone.html", status=403)
    token = card_token(resident, current_app.config["SECRET_KEY"])
    return render_page(
        "join/card.html",
        resident=resident,
        masked_name=mask_name(resident.name),
        number=format_resident_number(resident.number),
        token=token,
        qr=qr_svg(token, level="M", css_class="qr card-qr-code"),
        may_reissue=manager,
        reissued=request.args.get("reissued"),
    )


@bp.route("/cards/<number>/reissue", methods=["GET", "POST"])
@require_role(*CARD_ROLES)
def reissue(number):
    resident = resident_or_404(number, may=can_manage_card)
    reason, note, errors = request.form.get("reason", ""), request.form.get("note", "").strip(), {}
    if request.method == "POST":
        if reason not in REISSUE_REASONS:
            errors["reason"] = str(REISSUE_MESSAGES["reason_missing"])
        if reason == "other" and not note:
            errors["note"] = str(REISSUE_MESSAGES["note_missing"])
        if len(note) > 200:
            errors["note"] = str(REISSUE_MESSAGES["note_too_long"])
        elif text_problem(note, multiline=True):
            errors["note"] = str(text_problem(note, multiline=True))
        if not errors:
            version = reissue_card(db.session, resident)
            origin = record_origin("staff")
            record_event(
                db.session,
                "card.reissue",
                actor=g.account,
                resident=resident,
                reason=f"{reason}: {note}" if note else reason,
                detail=f"card version {version}",
                channel=origin["channel"],
                kiosk_id=origin["kiosk_id"],
            )
            db.session.commit()
            return redirect(url_for("join.card", number=resident.number, reissued=1), code=303)
    return render_page(
        "join/reissue.html",
        resident=resident,
        masked_name=mask_name(resident.name),
        number=format_resident_number(resident.number),
        reason=reason,
        note=note,
        reasons=[(key, str(label)) for key, label in REISSUE_REASONS.items()],
        form_errors=errors,
    )
