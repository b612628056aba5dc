"""render_page: one template serves both the full page and its htmx fragments."""

from flask import current_app, make_response, render_template, url_for
from jinja2_fragments.flask import render_block
from markupsafe import Markup
from werkzeug.routing import BuildError

from .extensions import htmx
from .services.inputs import CONTROL


def render_page(template: str, block: str | None = None, status: int = 200, **context):
    """Render the whole page, or only `block` when htmx asks for it (not for boosted navigation).

    Responses always vary on HX-Request, so a cache never hands a fragment to a full page load.
    """
    if block and htmx and not htmx.boosted:
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    body = visible_text(body)
    response = make_response(body, status)
    response.headers.add("Vary", "HX-Request")
    return response


def render_part(template: str, block: str, **context) -> Markup:
    """One block of a page's template as markup, to keep and put back into the page later (the page's
    render_page still passes the whole page through visible_text)."""
    return Markup(render_block(template, block, **context))


def visible_text(body: str) -> str:
    """A control character someone typed (a NUL byte, a right-to-left override) is shown as U+FFFD, the
    replacement character, rather than written raw into the page, so the page stays valid and the rest of
    the input is kept. Our templates hold none, so one pass over the finished page (in C) does what a
    Jinja `finalize` did for every `{{ value }}` (about a tenth of rendering a long list)."""
    return CONTROL.sub("\ufffd", body)  # the same string back when there is none


def addresses(endpoint: str, name: str, **values):
    """A function giving `url_for(endpoint, **{name: x}, **values)` for each x of a list (each row's
    reference or ticket), from one url_for for the whole list: x is put in place of a marker. A value of
    letters and digits goes into a URL as it is; any other goes through url_for itself."""
    marker = "LINLIMARKER"
    base = url_for(endpoint, **{name: marker}, **values)

    def address(value: str) -> str:
        if value.isalnum() and value.isascii():
            return base.replace(marker, value)
        return url_for(endpoint, **{name: value}, **values)

    return address


def linkable(endpoint: str) -> bool:
    """The endpoint exists in this app and builds without arguments: a link to it from a list of places (the
    kiosk's tiles, the neighbours' hub) is never dead, and a capability that is not installed leaves none."""
    if endpoint not in current_app.view_functions:
        return False
    try:
        url_for(endpoint)
    except BuildError:
        return False
    return True
