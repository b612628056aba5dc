"""/admin/outbox: in development, staff and admins read the text messages the SMS adapter would have
sent (the way a mail catcher works), so the demo works end to end without a gateway. In production the
page does not exist: 404 for everyone, before any sign-in is asked for."""

from functools import wraps

from flask import abort, current_app

from ..auth.guards import require_role
from ..extensions import db
from ..models import OutboxMessage
from ..pages import render_page
from . import bp

SHOWN = 50


def development_only(view):
    """404 in production, checked before the sign-in, so the page does not even ask for one."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_app.config.get("PORTAL_PRODUCTION"):
            abort(404)
        return view(*args, **kwargs)

    return wrapped


@bp.route("/admin/outbox")
@development_only
@require_role("admin", "staff")
def outbox():
    messages = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.channel == "sms").order_by(OutboxMessage.id.desc()).limit(SHOWN)
    ).all()
    return render_page("main/outbox.html", messages=messages, shown=SHOWN)
