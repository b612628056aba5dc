"""Each resident's own data (个人信息): My information, its printout and JSON file, asking for a
correction or to be removed, the staff queue that acts on those asks, and the retention sweep.
What a page shows comes from the registry of record kinds (records.py, kinds.py)."""

from flask import Blueprint

# cli_group=None puts `retention-sweep` at the top level: `flask --app portal retention-sweep`.
bp = Blueprint("mydata", __name__, cli_group=None)

from . import cli, kinds, mine, queue  # noqa: E402,F401
