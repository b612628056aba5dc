"""The kiosk screens: home, how to join, the identified resident's page, Start again, activation."""

from functools import wraps

from flask import g, redirect, request, url_for
from flask_babel import gettext as _

from ..extensions import csrf, db, limiter
from ..identify import current_resident
from ..pages import render_page
from ..services.audit import record_event
from ..services.kiosks import CODE_VALID_FOR, activate_kiosk, start_new_visit
from ..services.masking import mask_name
from ..sessions import end_session
from . import bp
from .device import set_kiosk_cookie
from .tiles import tile_links

# The previous person's language, text size and contrast are theirs, not the next person's.
PERSONAL_PREFERENCE_COOKIES = ("lang", "textsize", "contrast", "speech")


def kiosk_only(view):
    """Kiosk screens exist only on an activated kiosk; elsewhere /kiosk explains how to activate."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("kiosk") is None:
            return redirect(url_for("kiosk.home"), code=303)
        return view(*args, **kwargs)

    return wrapped


def resident_summary(resident) -> dict:
    return {"name": mask_name(resident.name), "community": resident.community, "grid": resident.grid}


@bp.route("/kiosk")
def home():
    if g.get("kiosk") is None:
        return render_page("kiosk/not_a_kiosk.html", revoked=g.get("kiosk_revoked"))
    resident = current_resident()
    identified = resident is not None
    return render_page(
        "kiosk/home.html",
        tiles=tile_links(identified, after_identify_only=identified),
        resident=resident_summary(resident) if resident else None,
    )


@bp.route("/kiosk/join")
@kiosk_only
def join():
    return render_page("kiosk/join.html", community=g.kiosk.community)


@bp.route("/kiosk/me")
@kiosk_only
def me():
    resident = current_resident()
    if resident is None:
        return redirect(url_for("kiosk.identify", next=url_for("kiosk.me")), code=303)
    return render_page(
        "kiosk/me.html",
        resident=resident_summary(resident),
        tiles=tile_links(identified=True, after_identify_only=True),
    )


@bp.route("/kiosk/reset", methods=["POST"])
@csrf.exempt  # the idle countdown must be able to end a visit whose session the server already emptied
def reset():
    """Start again: nothing of the person stays, neither in the session nor in a replayed cookie."""
    response = redirect(url_for("kiosk.home"), code=303)
    if g.get("kiosk") is None:
        return response
    end_session()  # deleted on the server: the old session cookie opens nothing, in any browser
    start_new_visit(db.session, g.kiosk)
    db.session.commit()
    for name in PERSONAL_PREFERENCE_COOKIES:
        if name in request.cookies:
            response.delete_cookie(name, httponly=True, samesite="Lax")
    return response


@bp.route("/kiosk/still-here", methods=["POST"])
@kiosk_only
def still_here():
    """kiosk.js says someone is still using the screen; the visit's clock restarts (device.py)."""
    return "", 204, {"Content-Type": "text/plain"}


@bp.route("/kiosk/activate", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def activate():
    errors, code = {}, ""
    if request.method == "POST":
        code = request.form.get("code", "").strip()
        kiosk = activate_kiosk(db.session, code) if code else None
        if not code:
            errors["code"] = _("Type the activation code")
        elif kiosk is None:
            errors["code"] = _(
                "That code does not work. Check it and type it again. A code works once, within "
                "%(hours)d hours: ask your administrator for a new one if needed.",
                hours=int(CODE_VALID_FOR.total_seconds() // 3600),
            )
        else:
            record_event(db.session, "kiosk.activate", detail=f"kiosk {kiosk.id}", channel="kiosk", kiosk_id=kiosk.id)
            db.session.commit()
            end_session()
            response = redirect(url_for("kiosk.home"), code=303)
            set_kiosk_cookie(response, kiosk)
            return response
    return render_page("kiosk/activate.html", form_errors=errors, code=code)
