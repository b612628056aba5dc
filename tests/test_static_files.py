"""Static files: pages link fingerprinted names, those are cached for a year and sent compressed.

They rely on `make setup` having compiled static/ (`flask --app portal digest compile`), as `make test`
does; a test below says so when it has not. The build itself is also tried on a copy in a temp folder.
"""

import gzip
import json
import re

import brotli
import pytest
from flask import url_for
from flask_static_digest.cli import digest

from portal import create_app
from portal.config import ROOT

from tests.support.app import test_config as config_for

STATIC = ROOT / "static"
ASSET_RE = re.compile(r'<(?:link|script)\b[^>]*\b(?:href|src)="(/static/[^"]+)"')
FINGERPRINTED_RE = re.compile(r"-[0-9a-f]{32}\.[a-z]+$")


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",") if part.strip()}


def source_of(url: str) -> bytes:
    """The content a fingerprinted /static/ address stands for: the file it was copied from."""
    name = url.removeprefix("/static/")
    originals = {copy: original for original, copy in manifest().items()}
    return (STATIC / originals[name]).read_bytes()


def manifest() -> dict:
    path = STATIC / "cache_manifest.json"
    if not path.exists():
        pytest.fail("static/ is not compiled: run `make setup` (it runs `flask --app portal digest compile`)")
    return json.loads(path.read_text())


def linked_assets(page: str) -> list[str]:
    return ASSET_RE.findall(page)


def fetch(client, url: str, **kwargs):
    # buffered: the test client reads the whole file and closes it (a WSGI server does the same).
    return client.get(url, buffered=True, **kwargs)


@pytest.mark.parametrize("page", ["/login", "/kiosk"])
def test_pages_link_fingerprinted_files_that_answer_with_a_year_of_cache(request, client, page):
    if page == "/kiosk":
        client = request.getfixturevalue("kiosk")  # the kiosk layout adds kiosk.css and kiosk.js
    assets = linked_assets(client.get(page).get_data(as_text=True))
    assert any("/css/site-" in url for url in assets) and any("/vendor/htmx.min-" in url for url in assets)
    if page == "/kiosk":
        assert any("/css/kiosk-" in url for url in assets) and any("/js/kiosk-" in url for url in assets)
    for url in assets:
        assert FINGERPRINTED_RE.search(url), url
        response = fetch(client, url)
        assert response.status_code == 200, url
        assert cache_directives(response) == {"public", "max-age=31536000", "immutable"}, url
        assert response.data == source_of(url)


def test_every_static_file_has_a_fingerprinted_copy():
    names = manifest()
    sources = [p for p in STATIC.rglob("*") if p.is_file() and not FINGERPRINTED_RE.search(p.name)]
    sources = [p for p in sources if p.suffix not in (".gz", ".br") and p.name != "cache_manifest.json"]
    assert sources
    for path in sources:
        name = path.relative_to(STATIC).as_posix()
        assert name in names, f"{name} is not compiled: run `make setup`"
        assert (STATIC / names[name]).read_bytes() == path.read_bytes(), f"{name} changed since: run `make setup`"


@pytest.mark.parametrize(
    "accept, encoding, decompress",
    [
        ("gzip", "gzip", gzip.decompress),
        ("br", "br", brotli.decompress),
        ("gzip, deflate, br", "br", brotli.decompress),
    ],
)
@pytest.mark.parametrize("name", ["css/site.css", "vendor/htmx.min.js", "js/kiosk.js"])
def test_files_are_sent_compressed_when_the_browser_accepts_it(client, name, accept, encoding, decompress):
    url = "/static/" + manifest()[name]
    response = fetch(client, url, headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert len(response.data) < len(source_of(url))
    assert decompress(response.data) == source_of(url)


def test_without_accept_encoding_the_file_is_sent_as_it_is(client):
    url = "/static/" + manifest()["css/site.css"]
    response = fetch(client, url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.data == source_of(url)
    assert response.mimetype == "text/css"


def test_plain_names_still_answer_but_are_cached_briefly(client):
    # A page rendered before the last build may still name css/site.css.
    response = fetch(client, "/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert gzip.decompress(response.data) == (STATIC / "css/site.css").read_bytes()
    directives = cache_directives(response)
    assert "immutable" not in directives
    assert "max-age=60" in directives


def test_html_pages_are_not_given_a_cache_lifetime(client):
    response = client.get("/login", headers={"Accept-Encoding": "gzip, br"})
    assert response.mimetype == "text/html"
    assert not any(d.startswith("max-age") or d == "immutable" for d in cache_directives(response))


@pytest.mark.parametrize(
    "path",
    [
        "/static/nothing.css",
        "/static/css/site-0123456789abcdef0123456789abcdef.css",
        "/static/css/",
        "/static/css",
        "/static/css/site.css/more",
        "/static/../portal/config.py",
        "/static/%2e%2e/portal/config.py",
        "/static/css/..%2f..%2fpyproject.toml",
        "/static/%ff%fe.css",
        "/static/css/site.css%00.js",
        "/static/" + "a/" * 200 + "b.css",
    ],
)
def test_unknown_static_paths_are_not_found(client, path):
    response = fetch(client, path)
    assert response.status_code == 404, path
    assert response.mimetype == "text/html"


def test_posting_to_a_static_file_is_refused_without_an_error(client):
    response = client.post("/static/" + manifest()["css/site.css"], buffered=True)
    assert response.status_code == 405


def test_changing_a_file_changes_its_fingerprinted_name(app, runner, tmp_path):
    """The real build command, on a copy of one stylesheet in a temp folder."""
    folder = tmp_path / "static"
    (folder / "css").mkdir(parents=True)
    sheet = folder / "css" / "site.css"
    sheet.write_bytes((STATIC / "css/site.css").read_bytes())
    app.static_folder = str(folder)

    def build() -> str:
        result = runner.invoke(digest, ["compile"])
        assert result.exit_code == 0, result.output
        return json.loads((folder / "cache_manifest.json").read_text())["css/site.css"]

    first = build()
    assert build() == first  # the same content keeps its name
    sheet.write_bytes(sheet.read_bytes() + b"\n.new-rule { color: #111111; }\n")
    second = build()
    assert second != first and FINGERPRINTED_RE.search(second)
    assert (folder / second).read_bytes() == sheet.read_bytes()
    assert gzip.decompress((folder / (second + ".gz")).read_bytes()) == sheet.read_bytes()
    assert brotli.decompress((folder / (second + ".br")).read_bytes()) == sheet.read_bytes()
    assert (folder / first).exists()  # a page still naming the old copy keeps working until the next clean


def test_debug_mode_serves_the_files_as_they_are(database_url):
    # `flask run --debug`: an edited stylesheet shows on reload, without compiling again.
    app = create_app(config_for(database_url) | {"DEBUG": True})
    with app.test_request_context():
        assert url_for("static", filename="css/site.css") == "/static/css/site.css"
    response = fetch(app.test_client(), "/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.data == (STATIC / "css/site.css").read_bytes()


def test_an_app_served_under_a_root_path_links_its_files_under_it_too(client):
    # Static addresses are worked out once per app (static_files.static_url), but per root path: the same
    # app mounted at /linli by a proxy must not be given the addresses it worked out for /, nor the reverse.
    def files(page: str) -> list[str]:
        return re.findall(r'<(?:link|script)\b[^>]*\b(?:href|src)="([^"]+)"', page)

    plain = files(client.get("/login").get_data(as_text=True))
    mounted = files(client.get("/login", environ_overrides={"SCRIPT_NAME": "/linli"}).get_data(as_text=True))
    assert len(plain) >= 12 and all(url.startswith("/static/") for url in plain)
    assert mounted == ["/linli" + url for url in plain]
    assert files(client.get("/login").get_data(as_text=True)) == plain
