"""Health-station appointments (智慧健康站): the resident's booking flow and slip, "My appointments",
the nurse's day roster with check-in and walk-ins, the grid worker's call list, and staff management
of stations, services, schedules and closures. Rules live in services/booking.py and services/slots.py."""

from flask import Blueprint

# cli_group=None puts `generate-slots` at the top level: `flask --app portal generate-slots`.
bp = Blueprint("health", __name__, url_prefix="/health", cli_group=None)

from . import book, calls, cli, manage, mine, poster, roster  # noqa: E402,F401
