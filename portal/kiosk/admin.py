"""Registering kiosks: admins for every community, community staff for their own."""

from flask import g, redirect, request, session, url_for
from flask_babel import gettext as _

from ..auth.guards import require_role
from ..auth.loaders import kiosk_or_404
from ..display import place_name
from ..extensions import db
from ..models import Kiosk
from ..pages import render_page
from ..services.audit import record_event
from ..services.inputs import text_errors
from ..services.kiosks import (
    CODE_VALID_FOR,
    issue_activation_code,
    register_kiosk,
    set_paper,
    switch_off,
    switch_on,
)
from ..services.permissions import STAFF_ROLES, scope_to_community, visible_communities
from . import bp

NEW_CODE_KEY = "kiosk_new_code"


def remember_code_for_one_view(kiosk, code: str) -> None:
    """The code is shown once, on the next page, and then forgotten (only its hash is stored)."""
    session[NEW_CODE_KEY] = {"kiosk": kiosk.id, "code": code}


def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/admin/kiosks")
@require_role(*STAFF_ROLES)
def admin_list():
    kiosks = db.session.scalars(
        scope_to_community(db.select(Kiosk), Kiosk.community_id, g.account).order_by(Kiosk.community_id, Kiosk.id)
    ).all()
    return render_page("kiosk/admin_list.html", kiosks=kiosks)


@bp.route("/admin/kiosks/new", methods=["GET", "POST"])
@require_role(*STAFF_ROLES)
def admin_new():
    communities = visible_communities(db.session, g.account)
    form = {
        "name": request.form.get("name", "").strip(),
        "name_en": request.form.get("name_en", "").strip(),
        "location": request.form.get("location", "").strip(),
        "community": request.form.get("community", str(communities[0].id) if len(communities) == 1 else ""),
    }
    errors = {}
    if request.method == "POST":
        if not form["name"]:
            errors["name"] = _("Enter a name for the kiosk, like: Community centre entrance")
        elif len(form["name"]) > 80:
            errors["name"] = _("Enter a name of 80 characters or fewer")
        if len(form["name_en"]) > 120:
            errors["name_en"] = _("Enter an English name of 120 characters or fewer")
        if len(form["location"]) > 160:
            errors["location"] = _("Enter a location of 160 characters or fewer")
        errors = {**text_errors({"name": form["name"], "location": form["location"]}, Kiosk), **errors}
        # Staff register kiosks for their own community only, whatever the form says.
        chosen = (
            communities[0]
            if len(communities) == 1
            else next((c for c in communities if str(c.id) == form["community"]), None)
        )
        if chosen is None:
            errors["community"] = _("Choose the community the kiosk stands in")
        if not errors:
            kiosk, code = register_kiosk(
                db.session,
                name=form["name"],
                name_en=form["name_en"],
                location=form["location"],
                community_id=chosen.id,
            )
            record_event(db.session, "kiosk.register", actor=g.account, detail=f"kiosk {kiosk.id}", channel="staff")
            db.session.commit()
            remember_code_for_one_view(kiosk, code)
            return redirect(url_for("kiosk.admin_detail", kiosk_id=kiosk.id), code=303)
    return render_page(
        "kiosk/admin_new.html",
        form=form,
        form_errors=errors,
        communities=communities,
        community_options=[(c.id, place_name(c)) for c in communities],
    )


@bp.route("/admin/kiosks/<int:kiosk_id>")
@require_role(*STAFF_ROLES)
def admin_detail(kiosk_id):
    kiosk = kiosk_or_404(kiosk_id)
    new_code = session.pop(NEW_CODE_KEY, None)
    code = new_code["code"] if new_code and new_code.get("kiosk") == kiosk.id else None
    hours = int(CODE_VALID_FOR.total_seconds() // 3600)
    return no_store(
        render_page(
            "kiosk/admin_detail.html",
            device=kiosk,
            code=code,
            hours=hours,
            done=request.args.get("done"),
            papers=paper_options(),
            form_errors={},
        )
    )


def paper_options() -> list[tuple]:
    return [
        ("a4", _("A4 sheet"), _("An ordinary office printer.")),
        ("a5", _("A5 sheet"), _("Half an A4 sheet.")),
        ("roll80", _("Receipt roll, 80 mm wide"), _("A thermal receipt printer, the common width.")),
        ("roll58", _("Receipt roll, 58 mm wide"), _("A small thermal receipt printer.")),
    ]


@bp.route("/admin/kiosks/<int:kiosk_id>/paper", methods=["POST"])
@require_role(*STAFF_ROLES)
def admin_paper(kiosk_id):
    """What the kiosk's printer takes: the slips printed there follow it; staff desks stay on A4."""
    kiosk = kiosk_or_404(kiosk_id)
    paper = request.form.get("paper", "")
    if paper == kiosk.paper:
        return redirect(url_for("kiosk.admin_detail", kiosk_id=kiosk.id, done="paper"), code=303)
    if not set_paper(db.session, kiosk, paper):
        errors = {"paper": _("Choose the paper this kiosk's printer takes")}
        page = render_page(
            "kiosk/admin_detail.html",
            device=kiosk,
            code=None,
            hours=int(CODE_VALID_FOR.total_seconds() // 3600),
            done=None,
            papers=paper_options(),
            form_errors=errors,
        )
        return no_store(page)
    record_event(db.session, "kiosk.paper", actor=g.account, detail=f"kiosk {kiosk.id}; paper={paper}", channel="staff")
    db.session.commit()
    return redirect(url_for("kiosk.admin_detail", kiosk_id=kiosk.id, done="paper"), code=303)


@bp.route("/admin/kiosks/<int:kiosk_id>/code", methods=["POST"])
@require_role(*STAFF_ROLES)
def admin_new_code(kiosk_id):
    kiosk = kiosk_or_404(kiosk_id)
    if not kiosk.active:
        return redirect(url_for("kiosk.admin_detail", kiosk_id=kiosk.id), code=303)
    code = issue_activation_code(db.session, kiosk)
    record_event(db.session, "kiosk.code", actor=g.account, detail=f"kiosk {kiosk.id}", channel="staff")
    db.session.commit()
    remember_code_for_one_view(kiosk, code)
    return redirect(url_for("kiosk.admin_detail", kiosk_id=kiosk.id), code=303)


@bp.route("/admin/kiosks/<int:kiosk_id>/switch", methods=["POST"])
@require_role(*STAFF_ROLES)
def admin_switch(kiosk_id):
    kiosk = kiosk_or_404(kiosk_id)
    if request.form.get("to") == "off" and kiosk.active:
        switch_off(db.session, kiosk)
        record_event(db.session, "kiosk.switch_off", actor=g.account, detail=f"kiosk {kiosk.id}", channel="staff")
        done = "off"
    elif request.form.get("to") == "on" and not kiosk.active:
        switch_on(db.session, kiosk)
        record_event(db.session, "kiosk.switch_on", actor=g.account, detail=f"kiosk {kiosk.id}", channel="staff")
        done = "on"
    else:
        done = None
    db.session.commit()
    return redirect(url_for("kiosk.admin_detail", kiosk_id=kiosk.id, done=done), code=303)
