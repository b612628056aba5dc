"""What residents read: a grid's notices, a notice's page (counted once per identified resident), its A4
print, and /notices, where the kiosk's "Notices" tile leads."""

from flask import g, redirect, request, url_for

from ..auth.loaders import load_or_404, notice_or_404
from ..channels import record_origin
from ..extensions import db
from ..identify import current_resident
from ..models import Grid
from ..page_cache import public_page
from ..pages import render_page
from ..services import permissions
from ..services.clock import today_local, utcnow
from ..services.notices import count_read, current_query, has_ended, read_counts
from ..services.paging import fetch_page, page_number
from ..services.qr import qr_svg
from . import bp

NOTICES_PAGE = 10


def staff_counts(notices, community_id: int) -> dict | None:
    """Read counts for the staff and grid workers of the community, None (not shown) for anyone else."""
    account = g.get("account")
    if not permissions.has_role(account, *permissions.NOTICE_ROLES):
        return None
    if not permissions.can_see_community(account, community_id):
        return None
    return read_counts(db.session, [notice.id for notice in notices])


@bp.route("/notices")
def here():
    """The identified resident's grid notices; at a kiosk with nobody identified, the community's."""
    resident = current_resident()
    if resident is not None:
        return redirect(url_for("notices.grid_list", grid_id=resident.grid_id), code=303)
    kiosk = g.get("kiosk")
    if kiosk is None:
        return render_page("notices/where.html")
    page = fetch_page(
        db.session,
        current_query(today_local(), community_id=kiosk.community_id),
        page_number(request.args),
        NOTICES_PAGE,
    )
    return render_page("notices/community.html", community=kiosk.community, page=page)


@bp.route("/grids/<int:grid_id>/notices")
@public_page
def grid_list(grid_id):
    grid = load_or_404(Grid, grid_id)
    page = fetch_page(
        db.session,
        current_query(today_local(), community_id=grid.community_id, grid_id=grid.id),
        page_number(request.args),
        NOTICES_PAGE,
    )
    return render_page(
        "notices/grid.html", grid=grid, page=page, read_counts=staff_counts(page.items, grid.community_id)
    )


@bp.route("/notices/<int:notice_id>")
def show(notice_id):
    notice = notice_or_404(notice_id)
    resident = current_resident()
    if resident is not None and resident.community_id == notice.community_id:
        count_read(db.session, notice_id=notice.id, resident_id=resident.id, origin=record_origin(), now=utcnow())
        db.session.commit()
    counts = staff_counts([notice], notice.community_id)
    return render_page(
        "notices/notice.html",
        notice=notice,
        ended=has_ended(notice, today_local()),
        read_count=counts.get(notice.id, 0) if counts is not None else None,
        may_manage=permissions.can_manage_notice(g.get("account"), notice),
        back_grid=resident.grid if resident is not None else None,
    )


@bp.route("/notices/<int:notice_id>/print")
def print_notice(notice_id):
    """One A4 page for the stairwell board, with a QR code back to the notice online."""
    notice = notice_or_404(notice_id)
    url = url_for("notices.show", notice_id=notice.id, _external=True)
    return render_page(
        "notices/print.html",
        notice=notice,
        url=url,
        short_url=url.split("://", 1)[-1],
        qr=qr_svg(url, level="M", css_class="qr notice-print-qr"),
    )
