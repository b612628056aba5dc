"""Home, health check, display preferences, the signed-in home and the community overview."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from . import outbox, routes  # noqa: E402,F401
