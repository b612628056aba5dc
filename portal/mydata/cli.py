"""`flask --app portal retention-sweep`: anonymise what is older than the retention period (safe daily)."""

import click
from flask import current_app

from ..extensions import db
from ..requests.filing import upload_folder
from ..services.clock import now_utc
from ..services.retention import sweep
from . import bp


@bp.cli.command("retention-sweep")
@click.option("--days", type=click.IntRange(1, 36500), default=None, help="Override PORTAL_RETENTION_DAYS.")
def retention_sweep_command(days):
    """Anonymise audit events and closed records older than the retention period."""
    days = days or current_app.config["PORTAL_RETENTION_DAYS"]
    done = sweep(db.session, now=now_utc(), days=days, photo_folder=upload_folder())
    click.echo(
        f"Retention sweep, older than {days} days: "
        "{audit_events} audit events, {requests} closed requests, {request_notes} request notes, "
        "{messages} messages and {asks} corrections or removals anonymised; "
        "{codes} one-time codes and {sessions} ended sessions deleted.".format(**done)
    )
