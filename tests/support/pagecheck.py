"""Checks every rendered HTML page the way GOV.UK Notify's tests do.

One h1; a <title> that starts with the h1 (after an "Error:" prefix when the form has errors);
`lang` set; no duplicate ids; every error-summary link points at an existing id; valid HTML.
"""

import hashlib
import re
from collections import Counter

import html5lib

# The suite renders the same page many times (over and over for each role, language and test); a page that
# passed once passes again, so a passing page's digest is remembered for the run. The CSRF token is the
# only part that changes from one client to the next, and no check reads it.
CSRF_VALUE = re.compile(r'(name="csrf_token" value=")[^"]*"')
PASSED: set[bytes] = set()
NS = "{http://www.w3.org/1999/xhtml}"
ERROR_PREFIXES = ("Error:", "错误：")


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


class PageProblem(AssertionError):
    pass


def check_html(html: str, url: str = "") -> None:
    digest = hashlib.blake2b(CSRF_VALUE.sub(r"\1", html).encode(), digest_size=16).digest()
    if digest in PASSED:
        return
    check_page(html, url)
    PASSED.add(digest)


def check_page(html: str, url: str) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        root = parser.parse(html)
    except html5lib.html5parser.ParseError as exc:
        raise PageProblem(f"{url}: invalid HTML: {exc}") from exc

    def fail(message):
        raise PageProblem(f"{url}: {message}")

    if not root.get("lang"):
        fail("the <html> element has no lang attribute")
    h1s = list(root.iter(f"{NS}h1"))
    if len(h1s) != 1:
        fail(f"expected exactly one h1, found {len(h1s)}")
    h1 = text_of(h1s[0])
    if not h1:
        fail("the h1 is empty")
    titles = list(root.iter(f"{NS}title"))
    if len(titles) != 1:
        fail("expected one <title>")
    title = text_of(titles[0])
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    duplicates = {i for i, n in Counter(ids).items() if n > 1}
    if duplicates:
        fail(f"duplicate ids: {sorted(duplicates)}")
    summaries = [el for el in root.iter(f"{NS}div") if "error-summary" in (el.get("class") or "").split()]
    if summaries:
        if not title.startswith(ERROR_PREFIXES):
            fail(f"a page with errors must have a title starting 'Error:', got {title!r}")
        title = title.split(None, 1)[1] if title.startswith("Error:") else title[len("错误：") :].strip()
        for link in summaries[0].iter(f"{NS}a"):
            target = (link.get("href") or "").lstrip("#")
            if target not in ids:
                fail(f"error summary link #{target} points at no element")
    elif title.startswith(ERROR_PREFIXES):
        fail("the title says Error: but there is no error summary")
    if not title.startswith(h1):
        fail(f"the title {title!r} does not start with the h1 {h1!r}")
