"""Public pages kept for a few seconds (Flask-Caching), for visitors who only read.

The pages marked @public_page (home, privacy, health stations, a grid's page and its notices, the
activities, mutual aid and polls lists, the neighbours hub, a request's status by its number, the public
figures) are the same for every visitor who has no session (nobody signed in, identified, helped or
half-way through a form) and is not at a kiosk: only the address, the language, the text size, the
contrast and the read-aloud speed change them, and those make the key. Such a page is rendered once per
PORTAL_PAGE_CACHE_SECONDS in each app process instead of on every view; a visitor with a session cookie
or at a kiosk always gets a fresh page. A rate limit above @public_page (the status lookup's) still
counts every request. 0 switches it off.
"""

from flask import current_app, g, request
from flask_caching import Cache

from .i18n import current_lang_code, display_prefs

cache = Cache()


def init_app(app) -> None:
    seconds = app.config.get("PORTAL_PAGE_CACHE_SECONDS", 10)
    app.config.setdefault("CACHE_TYPE", "SimpleCache" if seconds else "NullCache")
    app.config.setdefault("CACHE_DEFAULT_TIMEOUT", seconds)
    app.config.setdefault("CACHE_THRESHOLD", 2000)
    app.config.setdefault("CACHE_NO_NULL_WARNING", True)  # 0 seconds: switched off on purpose
    cache.init_app(app)


def only_reads() -> bool:
    """A visitor whose page cannot depend on who they are: no session cookie, no kiosk."""
    return (
        request.method == "GET"
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
        and g.get("kiosk") is None
        and not g.get("kiosk_revoked")
    )


def page_key(*_args, **_view_args) -> str:
    """The cache key: the address (with its query string) and what the reader chose; view arguments are in
    the address already."""
    prefs = display_prefs()
    htmx = f"{request.headers.get('HX-Request', '')}/{request.headers.get('HX-Boosted', '')}"
    look = f"{prefs['text_size']}:{prefs['contrast']}:{prefs['speech']}"
    return f"page:{current_lang_code()}:{look}:{htmx}:{request.full_path}"


def fit_to_share(response) -> bool:
    return response.status_code == 200 and "Set-Cookie" not in response.headers


def public_page(view):
    """Keep this view's page for readers without a session (see the module's docstring)."""
    return cache.cached(make_cache_key=page_key, unless=lambda: not only_reads(), response_filter=fit_to_share)(view)
