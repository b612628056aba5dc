"""Find every form of the app the way a person would, and fill it with hostile input.

Forms are found from the URL map: every rule that accepts POST, plus the GET forms (filters, searches)
on the pages a role can reach. Path arguments are filled with values seen in links and form actions
while crawling, so a new form is covered without editing the tests.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import parse_qs, urljoin, urlsplit

from hypothesis import example
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import AnyConverter, IntegerConverter, RequestRedirect, UnicodeConverter

MARKUP = "<script>alert(1)</script>"
HOSTILE = [
    "",
    " ",
    "\x00",
    "ab\x00cd",
    "\x01\x1f\x7f",
    "\u202e",
    "\ufeff",
    MARKUP,
    '"><img src=x onerror=alert(1)>',
    "9" * 20,
    "99999999999999999999",
    "-1",
    "-99999999999999999999",
    "0",
    "1e9",
    "１９５０",
    "¹⁹⁵⁰",
    "١٩٥٠",
    "x" * 300,
    "名" * 105,
    "a" * 5000,
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "25:99",
    "\n/evil",
    "/%09/evil.example/",
    "//evil.example",
    "\r\n",
    "NaN",
    "None",
    "../../etc/passwd",
    "%00",
    "'; --",
]
SKIP_FIELDS = {"csrf_token"}


@dataclass
class Form:
    action: str
    method: str
    multipart: bool = False
    fields: dict = field(default_factory=dict)  # name -> list of offered values (first is the default)
    files: set = field(default_factory=set)


class FormParser(HTMLParser):
    def __init__(self, page_url):
        super().__init__()
        self.page_url, self.forms, self.links, self.select = page_url, [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page_url, a["href"]))
        elif tag == "form":
            self.forms.append(
                Form(
                    urljoin(self.page_url, a.get("action") or self.page_url),
                    (a.get("method") or "get").upper(),
                    "multipart" in (a.get("enctype") or ""),
                )
            )
        elif self.forms and tag in ("input", "button", "textarea", "select") and a.get("name"):
            form, name = self.forms[-1], a["name"]
            if a.get("type") == "file":
                form.files.add(name)
            elif tag == "select":
                self.select = name
                form.fields.setdefault(name, [])
            else:
                form.fields.setdefault(name, []).append(a.get("value") or "")
        elif tag == "option" and self.select and self.forms:
            self.forms[-1].fields[self.select].append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def parse(page_url, html):
    parser = FormParser(page_url)
    parser.feed(html)
    return parser


def local_path(url):
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def match(adapter, path, method="GET"):
    try:
        return adapter.match(urlsplit(path).path, method=method)
    except RequestRedirect:
        return None
    except HTTPException:
        return None


def crawl(client, adapter, starts, limit=70, per_endpoint=3):
    """Pages a role reaches by following links: their forms, and the path arguments seen in them."""
    seen, queue, forms, args, per = set(), list(starts), [], {}, {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        found = match(adapter, path)
        if path in seen or found is None or found[0] == "static":
            continue
        if per.get(found[0], 0) >= per_endpoint:
            continue
        per[found[0]] = per.get(found[0], 0) + 1
        seen.add(path)
        response = client.get(path)
        if response.mimetype != "text/html" or response.status_code >= 300:
            continue
        page = parse(path, response.get_data(as_text=True))
        forms.extend(page.forms)
        for target in page.links + [f.action for f in page.forms]:
            target = local_path(target)
            if target is None:
                continue
            for method in ("GET", "POST"):
                hit = match(adapter, target, method)
                if hit:
                    args.setdefault(hit[0], []).append(hit[1])
                    for name, value in hit[1].items():
                        args.setdefault(name, []).append(value)
            query = parse_qs(urlsplit(target).query, keep_blank_values=True)
            query.pop("lang", None)
            if query:  # a link with a query string is a GET form too (a page number, a day, a filter)
                forms.append(Form(target.split("?")[0], "GET", fields={k: v[:1] for k, v in query.items()}))
            if "lang=" not in target and target not in seen:
                queue.append(target)
    return forms, args


def post_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if "POST" in r.methods), key=lambda r: r.rule)


def build_urls(app, rule, seen_args, per_rule=4) -> list[tuple[str, bool]]:
    """The rule filled with argument values seen while crawling, and with out-of-range ones; each URL with
    whether it is out of range (such an address is refused whatever the form holds)."""
    urls = {}
    with app.test_request_context():
        from flask import url_for

        names = sorted(rule.arguments)
        real = {n: ([v for v in seen_args.get(n, []) if _fits(rule, n, v)] or [_default(rule, n)])[0] for n in names}
        urls.setdefault(url_for(rule.endpoint, **real), False)
        for seen in seen_args.get(rule.endpoint, []):
            if set(seen) == set(names) and len(urls) < per_rule:
                urls.setdefault(url_for(rule.endpoint, **seen), False)
        for name in names:
            if isinstance(rule._converters[name], IntegerConverter):
                urls.setdefault(url_for(rule.endpoint, **{**real, name: 99999999999999999999}), True)
            elif isinstance(rule._converters[name], UnicodeConverter):
                urls.setdefault(url_for(rule.endpoint, **{**real, name: "x" * 300}), True)
                urls.setdefault(url_for(rule.endpoint, **{**real, name: "A\x00B"}), True)
    return list(urls.items())


def _fits(rule, name, value) -> bool:
    """A value seen under this argument's name elsewhere (a flow's `step`, say) fits this rule's converter."""
    converter = rule._converters[name]
    return not isinstance(converter, AnyConverter) or value in getattr(converter, "items", (value,))


def _default(rule, name):
    converter = rule._converters[name]
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0] if hasattr(converter, "items") else "x"
    return "x"


def hostile_value(offered):
    choices = [
        st.sampled_from(HOSTILE),
        st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=400),
        st.from_regex(r"[0-9０-９¹²³⁴⁵⁶⁷⁸⁹⁰\- ]{1,25}", fullmatch=True),
        st.integers(-(10**22), 10**22).map(str),
    ]
    if offered:
        choices.insert(0, st.sampled_from([v for v in offered if v is not None] or [""]))
    return st.one_of(*choices)


def form_data(form, fallback_names):
    """A strategy for one submission: each field keeps its offered value or gets hostile input."""
    names = {n: v for n, v in form.fields.items() if n not in SKIP_FIELDS}
    if not names:
        names = {n: [] for n in fallback_names}
    hostile = {n: hostile_value(v) for n, v in names.items()}
    mixed = {n: st.one_of(st.sampled_from(v), hostile[n]) if v else hostile[n] for n, v in names.items()}
    files = {}
    if form.files:
        payload = st.sampled_from([b"", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"GIF89a" + b"\xff" * 30, b"<svg/>"])
        files = {n: payload.map(lambda b: (BytesIO(b), "photo.png")) for n in form.files}
    if not names:
        return st.fixed_dictionaries(files)
    defaults = {n: (v[0] if v else "") for n, v in names.items()}

    def one_bad(name):
        # Every other field as the page offers it, so the bad one reaches the deepest check.
        return st.fixed_dictionaries({**{n: st.just(v) for n, v in defaults.items()}, name: hostile[name], **files})

    return st.one_of(st.sampled_from(sorted(names)).flatmap(one_bad), st.fixed_dictionaries({**mixed, **files}))


EVERYWHERE = ["ab\x00cd", "9" * 20, "¹⁹⁵⁰", "名" * 301, MARKUP, "\n/evil"]


def explicit_examples(form, fallback_names):
    """The known attacks, always tried: the same hostile value in every field at once."""
    names = [n for n in form.fields if n not in SKIP_FIELDS] or list(fallback_names)

    def decorate(test):
        for value in EVERYWHERE:
            test = example({n: value for n in names})(test)
        return test

    return decorate
