"""Recognising a kiosk's browser, and keeping each visit to the kiosk separate from the next.

- The kiosk cookie is signed (itsdangerous) and holds the kiosk id and cookie version. Switching the
  kiosk off, or activating it again on another device, bumps the version and so revokes the cookie.
- A visit: the session (kept on the server, portal/sessions.py) carries the kiosk's id, its visit
  number and the time of the last request. "Start again" bumps the visit number and ends the session,
  and a session idle for longer than the idle time plus the warning is ended on the server, so neither
  a replayed cookie nor the Back button can bring a person back. A kiosk's session opens nothing in a
  browser without that kiosk's cookie.
"""

from urllib.parse import urlsplit

from flask import current_app, g, redirect, request, session, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.exceptions import HTTPException

from ..extensions import db
from ..services import clock
from ..services.kiosks import kiosk_for_cookie
from ..sessions import end_session

COOKIE = "linli_kiosk"
COOKIE_MAX_AGE = 5 * 365 * 24 * 3600
VISIT_KEY = "kiosk_visit"
KIOSK_KEY = "kiosk_id"
SEEN_KEY = "kiosk_seen"
# The "Are you still there?" countdown (WCAG 2.2.1 asks for at least 20 seconds).
WARNING_SECONDS = 30
# While someone touches the screen, kiosk.js tells the server at most this often (touches that stay
# in the page, such as keypad taps with JavaScript on, make no request of their own).
PING_SECONDS = 15
# The last-seen time is rounded to this step, so a burst of requests writes the session once.
SEEN_STEP_SECONDS = 5


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="linli-kiosk-device")


def set_kiosk_cookie(response, kiosk) -> None:
    response.set_cookie(
        COOKIE,
        _serializer().dumps({"k": kiosk.id, "v": kiosk.cookie_version}),
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )


def idle_seconds() -> int:
    return int(current_app.config.get("PORTAL_KIOSK_IDLE_SECONDS", 90))


def server_idle_limit() -> int:
    """How long the server keeps a visit without any request: the idle time, the whole warning
    countdown, and the longest gap between kiosk.js's "still here" messages."""
    return idle_seconds() + WARNING_SECONDS + PING_SECONDS


def kiosk_from_cookie():
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None, False
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return None, True
    if not isinstance(data, dict):
        return None, True
    kiosk = kiosk_for_cookie(db.session, data.get("k"), data.get("v"))
    return kiosk, kiosk is None


# URL variables that name one person's record: a booking reference, a request ticket, a resident number.
RECORD_ARGS = {"reference", "ticket", "number"}


def names_a_record(target: str) -> bool:
    """Whether a local address names one person's booking, request or card. At a kiosk such an
    address is never carried to the identification page: after Start again, Back would otherwise show
    the previous person's booking reference to the next one."""
    try:
        _endpoint, args = current_app.url_map.bind("").match(urlsplit(target or "").path, method="GET")
    except HTTPException:
        return False
    return bool(RECORD_ARGS & set(args))


def continue_or_end_visit(kiosk) -> None:
    """End the session unless it belongs to this kiosk's current visit and was used recently."""
    seen = session.get(SEEN_KEY)
    fresh = (
        session.get(KIOSK_KEY) == kiosk.id
        and session.get(VISIT_KEY) == kiosk.visit
        and isinstance(seen, (int, float))
        and clock.timestamp() - seen <= server_idle_limit()
    )
    if not fresh and session:
        end_session()


def load_kiosk():
    g.kiosk = None
    if request.endpoint == "static":
        return None
    kiosk, revoked = kiosk_from_cookie()
    g.kiosk_revoked = revoked
    if kiosk is None:
        if KIOSK_KEY in session:  # a kiosk visit's cookie, copied into another browser
            end_session()
        return None
    g.kiosk = kiosk
    continue_or_end_visit(kiosk)
    # At a kiosk, the web home and the web identification page have kiosk versions.
    query = ("?" + request.query_string.decode()) if request.query_string else ""
    if request.endpoint == "main.home":
        return redirect(url_for("kiosk.home") + query, code=303)
    if request.endpoint == "identify.start":
        target = request.values.get("next", "")
        return redirect(url_for("kiosk.identify", next=None if names_a_record(target) else target), code=303)
    return None


def finish_kiosk_response(response):
    if g.get("kiosk_revoked"):
        response.delete_cookie(COOKIE, httponly=True, samesite="Lax")
    kiosk = g.get("kiosk")
    if kiosk is None or request.endpoint == "static":
        return response
    # Nothing a kiosk shows may be kept: the Back button must fetch afresh (and find nobody).
    response.headers["Cache-Control"] = "no-store"
    # Written only when something changed: every stored write is a database commit (see sessions.py).
    now = int(clock.timestamp())
    if session.get(KIOSK_KEY) != kiosk.id or session.get(VISIT_KEY) != kiosk.visit:
        session[KIOSK_KEY] = kiosk.id
        session[VISIT_KEY] = kiosk.visit
    if now - session.get(SEEN_KEY, 0) >= SEEN_STEP_SECONDS:
        session[SEEN_KEY] = now
    return response


def kiosk_context() -> dict:
    """What every page template needs to know about the kiosk it may be showing on."""
    return {
        "kiosk_mode": g.get("kiosk"),
        "kiosk_idle_seconds": idle_seconds(),
        "kiosk_warning_seconds": WARNING_SECONDS,
        "kiosk_ping_seconds": PING_SECONDS,
        # Slips printed here follow the kiosk's printer; everywhere else (staff desks) prints on A4.
        "print_paper": g.kiosk.paper if g.get("kiosk") is not None else "a4",
    }


def print_links() -> dict:
    """The print-friendly version of this page (for the Print button with JavaScript off), and back."""
    args = request.args.to_dict()
    args.pop("print", None)
    view_args = request.view_args or {}
    if request.endpoint is None:
        return {"print_url": "", "unprint_url": ""}
    return {
        "print_url": url_for(request.endpoint, **view_args, **args, print=1),
        "unprint_url": url_for(request.endpoint, **view_args, **args),
    }


def init_app(app):
    # First of all before_request hooks: the CSRF check, the rate limits and their error pages must
    # already see g.kiosk, and see the session of this visit only.
    app.before_request_funcs.setdefault(None, []).insert(0, load_kiosk)
    app.after_request(finish_kiosk_response)
