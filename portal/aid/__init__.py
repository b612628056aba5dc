"""Mutual aid (邻里互助): the open needs and offers of a grid and its community, posting one (one question per
page; a resident themselves, at a kiosk, or through a helper), "I can help" / "I would like this", closing,
renewing, marking done and reporting; the grid worker's queue that confirms or declines proposed matches,
hides, closes or restores reported posts and lists the calls to make; and `flask --app portal aid-sweep`.
Rules: services/aid.py."""

from flask import Blueprint

# cli_group=None puts `aid-sweep` at the top level: `flask --app portal aid-sweep`.
bp = Blueprint("aid", __name__, cli_group=None)

from . import cli, posting, queue, records, routes  # noqa: E402,F401
