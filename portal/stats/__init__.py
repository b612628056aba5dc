"""Statistics (统计): the staff pages per community and grid with CSV export, the monthly report for
the residents' committee, and the public, de-identified view under /stats."""

from flask import Blueprint

bp = Blueprint("stats", __name__)

from . import public, staff  # noqa: E402,F401
