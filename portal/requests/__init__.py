"""Resident requests (诉求): filing with a printable receipt, the public status page, the grid worker's
queue with the lifecycle buttons, the staff overdue view and category admin (Open311 is portal/open311/).

`cli_group=None` puts `flask --app portal escalate-overdue` at the top level.
"""

import click
from flask import Blueprint

bp = Blueprint("requests", __name__, cli_group=None)


@bp.cli.command("escalate-overdue")
def escalate_overdue_command():
    """Escalate overdue requests, and kiosk calls nobody answered within 5 minutes, to community staff
    (an outbox message each). Safe to run again, and from cron every minute or two."""
    from ..extensions import db
    from ..services import clock
    from ..services.sla import escalate_overdue
    from ..services.staff_calls import escalate_unanswered_calls

    now = clock.utcnow()
    escalated = escalate_overdue(db.session, now)
    calls = escalate_unanswered_calls(db.session, now, zone=clock.portal_zone())
    db.session.commit()
    click.echo(f"Escalated {len(escalated)} overdue request(s).")
    click.echo(f"Escalated {len(calls)} unanswered kiosk call(s).")


from . import categories, filing, handling, status  # noqa: E402,F401
