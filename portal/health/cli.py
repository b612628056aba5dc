"""`flask --app portal generate-slots`: bring every station's bookable times up to date (safe to repeat)."""

import click

from ..extensions import db
from ..services.clock import now_utc
from ..services.slots import DEFAULT_WINDOW_DAYS, generate_slots
from . import bp
from .common import zone


@bp.cli.command("generate-slots")
@click.option(
    "--days",
    default=DEFAULT_WINDOW_DAYS,
    show_default=True,
    type=click.IntRange(1, 366),
    help="How many days ahead, starting today.",
)
def generate_slots_command(days):
    """Make the bookable times of every station for the coming days from the weekly schedules."""
    counts = generate_slots(db.session, now=now_utc(), tz=zone(), days=days)
    db.session.commit()
    click.echo("Slots: {created} added, {removed} removed, {resized} resized.".format(**counts))
