"""Open311 GeoReport v2: the categories as services, requests as open data (JSON and XML), filing by
partners' systems with a key of their own, and the admins' page for those keys.

The rules (what is public, the filters, the 90-day window, filing) are in services/open311.py,
services/open311_filing.py and services/partner_keys.py; this package parses and writes the formats.
"""

from flask import Blueprint

bp = Blueprint("open311", __name__)

from . import api, keys  # noqa: E402,F401
