"""`flask --app portal aid-sweep`: the "still needed?" reminders and the expiry of mutual-aid posts (safe to
run often, say hourly)."""

import click

from ..extensions import db
from ..services.aid_sweep import sweep_aid
from ..services.clock import now_utc
from . import bp


@bp.cli.command("aid-sweep")
def aid_sweep_command():
    """Remind residents 2 days before their post closes, and close posts after 14 days."""
    done = sweep_aid(db.session, now_utc())
    click.echo("Mutual aid: {reminded} reminders sent, {expired} posts closed after 14 days.".format(**done))
