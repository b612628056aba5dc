"""The volunteer register (活地图): a resident or a volunteer account joins with consent and keeps their own
entry (skills, building, weekly availability); staff and grid workers list the volunteers of their grids,
see a building-level plan, show a volunteer's contact on request (audited), call volunteers out with a short
message, and see who is coming; a volunteer answers from the link in the message. Rules:
services/volunteers.py."""

from flask import Blueprint

bp = Blueprint("volunteers", __name__)

from . import callouts, records, register, staff  # noqa: E402,F401
