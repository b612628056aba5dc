"""render_page: one template serves both the full page and its htmx fragments."""
from flask import make_response, render_template
from jinja2_fragments.flask import render_block
from markupsafe import Markup

from .extensions import htmx
from .services.inputs import CONTROL


def visible_text(value):
    """Every `{{ value }}` on every page: a control character someone typed (a NUL byte, say) is shown as
    U+FFFD (the replacement character) rather than written raw into the HTML, so the page stays valid and the rest of the input is kept."""
    if isinstance(value, str) and CONTROL.search(value):
        cleaned = CONTROL.sub("\ufffd", str(value))
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


def init_app(app):
    app.jinja_env.finalize = visible_text


def render_page(template: str, block: str | None = None, status: int = 200, **context):
    """Render the whole page, or only `block` when htmx asks for it (not for boosted navigation).

    Responses always vary on HX-Request, so a cache never hands a fragment to a full page load.
    """
    if block and htmx and not htmx.boosted:
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.headers.add("Vary", "HX-Request")
    return response
