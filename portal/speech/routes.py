"""GET /speech?path=/some/page[&part=element-id]: that page, as this visitor sees it, read aloud (WAV)."""

from pathlib import Path
from urllib.parse import urlsplit

from flask import abort, current_app, g, request
from werkzeug.test import Client
from werkzeug.wrappers import Response

from ..i18n import display_prefs
from ..identify import current_resident
from ..services.inputs import has_control
from ..services.speech import speak
from ..services.speech_text import page_text, speakable
from . import bp

MAX_PATH = 2000


def local_page(raw: str | None) -> str | None:
    """A path of this site to read, or None: never another host, never the speech endpoint itself."""
    raw = (raw or "").strip()
    if not raw.startswith("/") or raw.startswith("//") or "\\" in raw or len(raw) > MAX_PATH or has_control(raw):
        return None
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or parts.path.startswith("/speech") or parts.path.startswith("/static/"):
        return None
    return raw


def fetch_as_visitor(path: str) -> Response:
    """The page, rendered by this app for this visitor: their cookies (session, kiosk, language,
    preferences) go with it, so it shows only what they may see."""
    client = Client(current_app._get_current_object(), Response, use_cookies=False)
    headers = {
        "Cookie": request.headers.get("Cookie", ""),
        "Accept-Language": request.headers.get("Accept-Language", ""),
    }
    return client.get(path, headers=headers, environ_base={"REMOTE_ADDR": request.remote_addr or "127.0.0.1"})


def is_personal(page: Response) -> bool:
    """Whether the page may carry someone's personal data: a signed-in account, an identified resident or
    a helper's session; or a web page that forbids keeping it (a kiosk marks every page no-store)."""
    if g.get("account") is not None or g.get("assisted") is not None or current_resident() is not None:
        return True
    return "no-store" in page.headers.get("Cache-Control", "") and g.get("kiosk") is None


def cache_dir() -> Path:
    return Path(current_app.config.get("PORTAL_SPEECH_CACHE") or Path(current_app.instance_path) / "speech-cache")


@bp.route("/speech")
def read_aloud():
    path = local_page(request.args.get("path"))
    part = (request.args.get("part") or "").strip()[:100] or None
    if path is None:
        abort(404)
    page = fetch_as_visitor(path)
    if page.status_code != 200 or page.mimetype != "text/html":
        abort(404)
    text, lang = page_text(page.get_data(as_text=True), part)
    words = speakable(text, lang)
    if not words.strip():
        abort(404)
    personal = is_personal(page)
    spoken = speak(words, lang, display_prefs()["speech"], personal=personal, cache_dir=cache_dir())
    response = Response(spoken.wav, mimetype="audio/wav")
    response.headers["Cache-Control"] = "no-store" if personal else "no-cache"
    response.headers["X-Speech-Cache"] = spoken.cache
    if not personal:
        response.set_etag(spoken.key)
    return response
