"""Neighbours (邻里): mutual aid between neighbours, topics and meetings (议事会), votes (微投票) and the
volunteer register (活地图). This package holds the hub page the kiosk's "Neighbours" tile leads to; each
part is its own package and adds itself to the hub in sections.py."""

from flask import Blueprint

bp = Blueprint("neighbours", __name__)

from . import routes  # noqa: E402,F401
