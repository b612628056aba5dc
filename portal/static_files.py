"""Static files: fingerprinted names, cached for a year, sent compressed.

`flask --app portal digest compile` (Flask-Static-Digest; `make setup` runs it) writes next to each file
in static/ a copy named after its content (css/site-<md5>.css) with .gz and .br versions of both, and
static/cache_manifest.json mapping each name to its copy. Every `url_for("static", filename=...)` then
gives the fingerprinted name, and WhiteNoise serves the folder in front of the app (dev server, gunicorn
and tests alike): the precompressed file when the browser accepts it, with `Vary: Accept-Encoding`; a
fingerprinted name as immutable for a year, since a new content gets a new name; a plain name (an older
page, or a folder not yet compiled) for a minute only. A path it does not know goes on to Flask (404).

With `flask run --debug` neither is installed: Flask serves the files as they are, so an edited
stylesheet shows on the next reload without compiling again.
"""

import re

from flask import Flask, current_app, request, url_for
from flask_static_digest import FlaskStaticDigest
from whitenoise import WhiteNoise

# What Flask-Static-Digest inserts before the extension: "-" and 32 hex digits of the content's md5.
FINGERPRINTED = re.compile(r"-[0-9a-f]{32}\.[^/.]+$")
FINGERPRINTED_CACHE = "public, max-age=31536000, immutable"
PLAIN_MAX_AGE = 60


def fingerprinted_cache_headers(headers, path: str, url: str) -> None:
    # WhiteNoise's own immutable max-age is ten years; a year is the longest HTTP caches are asked to honour.
    if FINGERPRINTED.search(url):
        headers["Cache-Control"] = FINGERPRINTED_CACHE


def fingerprinted_filename(endpoint: str, values: dict) -> None:
    """url_defaults hook: `url_for("static", filename="css/site.css")` names the content's copy."""
    if endpoint != "static" or "filename" not in values:
        return
    manifest = current_app.extensions["static_digest"].manifests.get("static", {})
    values["filename"] = manifest.get(values["filename"], values["filename"])


def static_url(filename: str) -> str:
    """`url_for("static", filename=...)`, worked out once per app: a file's address (its fingerprinted
    name) is the same for every request under the same root path, and the layout names 14 of them on
    every page."""
    known = current_app.extensions["linli_static_urls"]
    key = (request.script_root, filename)
    url = known.get(key)
    if url is None:
        url = known[key] = url_for("static", filename=filename)
    return url


def init_app(app: Flask) -> None:
    app.config.setdefault("FLASK_STATIC_DIGEST_COMPRESSION", ["gzip", "brotli"])
    app.extensions["linli_static_urls"] = {}  # static_url's addresses, (root path, file name) -> address
    if app.debug:
        return
    # One per app, not one at module level: each app reads the manifest of its own static folder.
    app.extensions["static_digest"] = FlaskStaticDigest(app)
    app.url_defaults(fingerprinted_filename)
    app.wsgi_app = WhiteNoise(
        app.wsgi_app,
        root=app.static_folder,
        prefix=app.static_url_path,
        max_age=PLAIN_MAX_AGE,
        allow_all_origins=False,  # served to our own pages only
        add_headers_function=fingerprinted_cache_headers,
    )
