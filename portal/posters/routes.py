from flask import abort, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from ..auth.guards import require_role
from ..auth.loaders import community_or_404, poster_or_404
from ..channels import record_origin
from ..extensions import db
from ..models import utcnow
from ..pages import render_page
from ..services.audit import record_event
from ..services.paging import fetch_page, page_number
from ..services.permissions import STAFF_ROLES, sees_every_community, visible_communities
from ..services.posters import (
    active_stations,
    coming_activity_posters,
    community_posters_query,
    count_scan,
    ensure_grid_posters,
    ensure_station_posters,
    find_poster,
    normalise_code,
    posters_were_made,
    retire_and_replace,
)
from ..services.qr import qr_svg
from . import POSTER_HANDLERS, bp

# Old posters are listed newest first, this many to a page.
RETIRED_PAGE = 20
CODE_MESSAGES = {
    "missing": _l("Enter the code printed under the QR code on the poster"),
    "unknown": _l("We do not know that code. Check it against the poster and try again, or ask your grid worker."),
}


def scan_url(poster) -> str:
    return url_for("posters.scan", code=poster.code, _external=True)


def short_url(url: str) -> str:
    """What people type: the address without http(s)://."""
    return url.split("://", 1)[-1]


def poster_view(poster) -> dict:
    """Everything a printed poster shows (templates/components/poster.html picks the words by kind)."""
    url = scan_url(poster)
    return {
        "poster": poster,
        "url": url,
        "short_url": short_url(url),
        "qr": qr_svg(url, level="M", css_class="qr poster-qr-code"),
    }


# -- residents: scanning or typing a poster code -----------------------------------------------
@bp.route("/j/<code>")
def scan(code):
    poster = find_poster(db.session, code)
    if poster is None:
        return render_page("posters/unknown.html", status=404, code=code, form_errors={})
    if normalise_code(code) != code:
        # Typed in lower case or with spaces: go to the one true address (and count the scan there).
        return redirect(url_for("posters.scan", code=poster.code), code=302)
    if request.method == "GET":
        count_scan(db.session, poster.id)
        db.session.commit()
    if not poster.active:
        return render_page("posters/retired.html", status=410, poster=poster)
    handler = POSTER_HANDLERS.get(poster.kind)
    if handler is None:
        abort(404)
    return handler(poster)


@bp.route("/j", methods=["GET", "POST"])
def enter():
    """For people who cannot scan: type the code printed under the QR code."""
    typed, errors = request.values.get("code", ""), {}
    if request.method == "POST":
        if not normalise_code(typed):
            errors["code"] = str(CODE_MESSAGES["missing"])
        else:
            poster = find_poster(db.session, typed)
            if poster is None:
                errors["code"] = str(CODE_MESSAGES["unknown"])
            else:
                return redirect(url_for("posters.scan", code=poster.code), code=303)
    return render_page("posters/enter.html", code=typed, form_errors=errors)


# -- staff: seeing, printing and replacing posters ---------------------------------------------
@bp.route("/posters")
@require_role(*STAFF_ROLES)
def home():
    if not sees_every_community(g.account):
        return redirect(url_for("posters.index", community_id=g.account.community_id), code=303)
    communities = visible_communities(db.session, g.account)
    return render_page("posters/home.html", communities=communities)


def community_working_posters(community) -> tuple[list, list]:
    """The working join poster of every grid, in grid order, and the working poster of every health
    station taking bookings; made now for any grid or station that has none."""
    grid_posters = ensure_grid_posters(db.session, community.grids)
    station_posters = ensure_station_posters(db.session, active_stations(db.session, community.id))
    if posters_were_made(db.session):
        db.session.commit()
    return grid_posters, station_posters


@bp.route("/communities/<int:community_id>/posters")
@require_role(*STAFF_ROLES)
def index(community_id):
    community = community_or_404(community_id)
    posters, station_posters = community_working_posters(community)
    retired = fetch_page(
        db.session, community_posters_query(community.id, active=False), page_number(request.args), RETIRED_PAGE
    )
    return render_page(
        "posters/index.html",
        community=community,
        posters=posters,
        station_posters=station_posters,
        activity_posters=coming_activity_posters(db.session, community.id, utcnow()),
        retired=retired.items,
        retired_page=retired,
    )


@bp.route("/communities/<int:community_id>/posters/print")
@require_role(*STAFF_ROLES)
def print_all(community_id):
    """Every working poster of the community, one per A4 page: grids first, then health stations."""
    community = community_or_404(community_id)
    grid_posters, station_posters = community_working_posters(community)
    views = [poster_view(p) for p in grid_posters + station_posters]
    return render_page("posters/print_all.html", community=community, views=views)


# The kinds of poster staff see, print and replace here.
STAFF_KINDS = ("grid", "station")


@bp.route("/posters/<code>")
@require_role(*STAFF_ROLES)
def show(code):
    poster = poster_or_404(code, STAFF_KINDS)
    return render_page(
        "posters/show.html", replaced=request.args.get("replaced"), poster=poster, view=poster_view(poster)
    )


@bp.route("/posters/<code>/replace", methods=["GET", "POST"])
@require_role(*STAFF_ROLES)
def replace(code):
    poster = poster_or_404(code, STAFF_KINDS)
    if not poster.active:
        return redirect(url_for("posters.show", code=poster.code), code=303)
    if request.method == "POST":
        old_code = poster.code
        new = retire_and_replace(db.session, poster)
        origin = record_origin("staff")
        record_event(
            db.session,
            "poster.replace",
            actor=g.account,
            detail=f"{poster.kind} poster {old_code} -> {new.code}",
            channel=origin["channel"],
            kiosk_id=origin["kiosk_id"],
        )
        db.session.commit()
        return redirect(url_for("posters.show", code=new.code, replaced=old_code), code=303)
    return render_page("posters/replace.html", poster=poster)
