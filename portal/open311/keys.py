"""Admins make and revoke the API keys of Open311 partners. A new key is shown once, on the next page,
and then forgotten: only its SHA-256 is stored."""

from flask import g, redirect, request, session, url_for
from flask_babel import gettext as _

from ..auth.guards import require_role
from ..auth.loaders import load_or_404
from ..display import place_name
from ..extensions import db
from ..models import PartnerKey
from ..pages import render_page
from ..services import clock
from ..services.audit import record_event
from ..services.inputs import text_problem
from ..services.paging import fetch_page, page_number
from ..services.partner_keys import NAME_MAX, create_key, revoke_key
from ..services.permissions import visible_communities
from . import bp

NEW_KEY = "open311_new_key"


def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def keys_page(form: dict, errors: dict, status: int = 200):
    communities = visible_communities(db.session, g.account)
    query = (
        db.select(PartnerKey)
        .options(db.joinedload(PartnerKey.community))
        .order_by(PartnerKey.revoked_at.is_not(None), PartnerKey.created_at.desc(), PartnerKey.id.desc())
    )
    page = fetch_page(db.session, query, page_number(request.args))
    shown = session.pop(NEW_KEY, None) if request.method == "GET" else None
    return no_store(
        render_page(
            "open311/keys.html",
            page=page,
            new_key=shown,
            form=form,
            form_errors=errors,
            community_options=[(str(c.id), place_name(c)) for c in communities],
            done=request.args.get("done"),
            status=status,
        )
    )


@bp.route("/admin/open311")
@require_role("admin")
def keys():
    return keys_page({"name": "", "community": ""}, {})


@bp.route("/admin/open311/keys", methods=["POST"])
@require_role("admin")
def key_new():
    form = {"name": request.form.get("name", "").strip(), "community": request.form.get("community", "")}
    errors = {}
    if not form["name"]:
        errors["name"] = _("Enter who the key is for, like: City 12345 hotline")
    elif len(form["name"]) > NAME_MAX:
        errors["name"] = _("Enter a name of 80 characters or fewer")
    elif text_problem(form["name"], NAME_MAX):
        errors["name"] = str(text_problem(form["name"], NAME_MAX))
    community = next((c for c in visible_communities(db.session, g.account) if str(c.id) == form["community"]), None)
    if community is None:
        errors["community"] = _("Choose the community the partner files requests in")
    if errors:
        return keys_page(form, errors)
    row, key = create_key(db.session, name=form["name"], community_id=community.id, actor=g.account, now=clock.utcnow())
    record_event(
        db.session, "open311.key_create", actor=g.account, detail=f"key {row.id} ({row.prefix}…)", channel="staff"
    )
    db.session.commit()
    session[NEW_KEY] = {"id": row.id, "name": row.name, "key": key}
    return redirect(url_for("open311.keys"), code=303)


@bp.route("/admin/open311/keys/<int:key_id>/revoke", methods=["POST"])
@require_role("admin")
def key_revoke(key_id):
    row = load_or_404(PartnerKey, key_id)
    if revoke_key(db.session, row, clock.utcnow()):
        record_event(
            db.session, "open311.key_revoke", actor=g.account, detail=f"key {row.id} ({row.prefix}…)", channel="staff"
        )
        db.session.commit()
    return redirect(url_for("open311.keys", done="revoked"), code=303)
