"""/neighbours: the hub of the neighbours' parts, for everyone (each part says itself who may do what)."""

from flask import url_for

from ..page_cache import public_page
from ..pages import render_page
from . import bp
from .sections import available_sections


@bp.route("/neighbours")
@public_page
def hub():
    links = [{"section": section, "url": url_for(section.endpoint)} for section in available_sections()]
    return render_page("neighbours/hub.html", links=links)
