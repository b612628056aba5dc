"""The grid's own space (微嘉园): each grid's public page (its grid worker's work phone, its notices, its
upcoming activities), the staff list of its residents, and the form where staff set a work phone."""

from flask import Blueprint

bp = Blueprint("grids", __name__)

from . import routes, staff  # noqa: E402,F401
