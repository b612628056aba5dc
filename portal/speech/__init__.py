"""Read-aloud spoken by the server, for browsers with no voice for the page's language (Chromium on a
Linux kiosk has none) and for JavaScript off: GET /speech?path=<a page of this site> answers that page's
main text (or `part`, one element of it by id) as a WAV file.

The page is fetched inside the app with the visitor's own cookies, so the audio says exactly what that
visitor may see, and nothing more; a page that needs a sign-in they do not have gives nothing to read.
"""

from flask import Blueprint

bp = Blueprint("speech", __name__)


def init_app(app):
    app.register_blueprint(bp)


from . import routes  # noqa: E402,F401
