"""Resident requests (诉求): filing with a printable receipt, the public status page and Open311 view,
the grid worker's queue with the lifecycle buttons, the staff overdue view and category admin.

`cli_group=None` puts `flask --app portal escalate-overdue` at the top level.
"""

import click
from flask import Blueprint

bp = Blueprint("requests", __name__, cli_group=None)


@bp.cli.command("escalate-overdue")
def escalate_overdue_command():
    """Escalate overdue requests to community staff (an outbox message each). Safe to run again."""
    from ..extensions import db
    from ..models import utcnow
    from ..services.sla import escalate_overdue

    escalated = escalate_overdue(db.session, utcnow())
    db.session.commit()
    click.echo(f"Escalated {len(escalated)} overdue request(s).")


from . import categories, filing, handling, status  # noqa: E402,F401
