"""Notices (通知公告): a grid's notices and a notice's page for anyone, its A4 print for the stairwell
board, and the forms where staff and grid workers post, change and withdraw them."""

from flask import Blueprint

bp = Blueprint("notices", __name__)

from . import manage, records, routes  # noqa: E402,F401
