"""Error pages in large type and both languages, each with a way back home."""

from flask import g, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, UnicodeConverter

from .extensions import db
from .pages import render_page
from .services.inputs import INT_MAX

MESSAGES = {
    400: (
        _l("Something in that request was not right"),
        _l("The page could not understand what was sent. Please go back and try again."),
    ),
    404: (
        _l("We cannot find that page"),
        _l(
            "The address may be mistyped, or the page may have moved. Check the address, or start again from the home page."
        ),
    ),
    405: (_l("That did not work"), _l("The page could not do what was asked. Please start again from the home page.")),
    410: (
        _l("This page is no longer in use"),
        _l("It was replaced or switched off. Please ask community staff for the current one."),
    ),
    413: (_l("That file is too large"), _l("Please choose a smaller file and try again.")),
    429: (
        _l("Please wait a moment"),
        _l(
            "There were too many tries from here in a short time. Wait one minute, then try again. If you need help now, ask a volunteer or your grid worker."
        ),
    ),
    500: (
        _l("Sorry, something went wrong on our side"),
        _l("This step did not finish. Please try again in a minute, or ask a volunteer for help."),
    ),
}


def render_error(code: int, title=None, text=None, template="errors/error.html", **context):
    default_title, default_text = MESSAGES.get(code, MESSAGES[400])
    return render_page(
        template, status=code, code=code, title=title or default_title, text=text or default_text, **context
    )


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number the id columns can hold, or 404 before any query runs.

    Werkzeug's own converter accepts any length, and a 20-digit id overflows SQLite and PostgreSQL."""

    def __init__(self, map, fixed_digits=0, min=0, max=INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class PartConverter(UnicodeConverter):
    """`<name>` in every route: up to 100 characters, none of them a control character (a NUL byte in a
    booking reference made PostgreSQL fail), or 404."""

    regex = "[^/\x00-\x1f\x7f]{1,100}"

    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength, maxlength, length)
        if maxlength is None and length is None:
            self.regex = PartConverter.regex


def install_converters(app):
    """Called before any blueprint adds its rules."""
    app.url_map.converters.update(int=IdConverter, default=PartConverter, string=PartConverter)


def init_app(app):
    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def unstorable_value(error):
        # A value the database cannot hold (out of range, a NUL byte) that a form did not catch: say
        # so in plain words rather than "something went wrong". The form rules should catch it first.
        db.session.rollback()
        app.logger.warning("Refused a value the database cannot hold: %s", error)
        return render_error(400)

    @app.errorhandler(CSRFError)
    def csrf_expired(error):
        # The form is shown again by its own address; nothing was saved from the stale post.
        again = request.full_path if request.query_string else request.path
        return render_page("errors/csrf.html", status=400, again=again)

    @app.errorhandler(403)
    def forbidden(error):
        return render_page("errors/403.html", status=403, account=g.get("account"))

    @app.errorhandler(HTTPException)
    def http_error(error):
        code = error.code or 500
        if code == 429:
            return render_error(429, template="errors/429.html")
        return render_error(code if code in MESSAGES else 400)

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500)
