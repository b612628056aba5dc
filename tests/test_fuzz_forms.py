"""Every form of every role, filled with hostile input: no server error, no markup echoed unescaped,
and a helper's assisted session still works afterwards.

The forms come from the URL map (tests/fuzzing.py), so a new form is covered without editing this file.
The run is deterministic (derandomize) and short by default; `HYPOTHESIS_PROFILE=linli-long` tries more.
"""

import logging
import os
import re

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings

from portal.extensions import db, limiter
from portal.models import Resident
from portal.services.cards import card_token

from tests.support.app import DB_KIND
from tests.support.flows import start_assisting
from tests.support.fuzzing import (
    EVERYWHERE,
    MARKUP,
    Form,
    build_urls,
    crawl,
    explicit_examples,
    form_data,
    match,
    parse,
    post_rules,
)
from tests.support.kiosk import activate, new_code
from tests.support.records import resident_in

settings.register_profile(
    "linli-ci", max_examples=2, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.register_profile(
    "linli-long", max_examples=20, database=None, deadline=None, suppress_health_check=list(HealthCheck)
)
# The PostgreSQL run tries the known attacks (explicit_examples: NUL bytes, overlong text, huge numbers,
# what the database refuses) and half as many generated values: the SQLite run tries the rest. What the
# PostgreSQL run looks for (a value that database refuses where SQLite took it) depends on the form, not on who
# sends it, so there a form is tried in full by the first role that finds it on a page (ROLES' order) and
# skipped by the roles after; the SQLite run tries every form as every role. In both, a form a role was never
# shown is tried once first, and only fuzzed if that try was not refused.
settings.register_profile(
    "linli-ci-postgresql",
    max_examples=1,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
DEFAULT_PROFILE = "linli-ci-postgresql" if DB_KIND == "postgresql" else "linli-ci"
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", DEFAULT_PROFILE))
SIGN_IN_PAGES = ("/login", "/identify", "/kiosk/activate")
TRIED_THIS_RUN = set() if DB_KIND == "postgresql" else None  # (method, endpoint) of the forms tried so far
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
ROLES = ["anonymous", "resident", "kiosk", "admin", "staff", "gridworker", "volunteer", "nurse", "assisted"]
STARTS = [
    "/",
    "/me",
    "/identify",
    "/health",
    "/health/my",
    "/my-information",
    "/data-requests",
    "/health/book/service",
    "/health/manage",
    "/health/roster",
    "/health/calls",
    "/requests",
    "/requests/new",
    "/requests/status",
    "/requests/categories",
    "/assist",
    "/assist/now",
    "/assist/audit",
    "/admin/kiosks",
    "/admin/open311",
    "/kiosk",
    "/kiosk/identify",
    "/residents/register",
    "/signup/phone",
    "/posters",
    "/j",
    "/login",
    "/kiosk/activate",
    "/grids/1",
    "/notices/new?grid=1",
    "/stats/communities/1",
    "/communities/1/stats",
    "/communities/1/stats/report",
    "/activities/",
    "/activities/my",
    "/activities/manage",
    "/activities/calls",
    # Topics and meetings (议事会): topic 1 is the demo's open topic of 南湖 grid 1.
    "/topics/new",
    "/topics/1",
    "/topics/1/support",
    "/topics/1/edit",
    "/topics/1/moderate",
    "/topics/1/outcome",
    "/topics/1/meeting",
    # Votes (网络微投票): poll 1 is the demo's open poll of 南湖 (portal/polls/seed.py).
    "/polls/1/vote",
    "/polls/manage/new",
    "/polls/manage/1/paper",
    # Volunteer register (活地图): call-out 1 is the demo's call-out to 南湖 grid 1.
    "/volunteers/me",
    "/volunteers",
    "/volunteers/plan",
    "/volunteers/callouts",
    "/volunteers/callouts/1",
    # Mutual aid (邻里互助): post 1 is the demo's open need of 南湖 grid 1, match 1 the answer waiting for it.
    "/aid/new",
    "/aid/1",
    "/aid/1/report",
    "/aid/1/moderate",
    "/aid/queue",
    "/aid/matches/1/confirm",
    "/aid/matches/1/decline",
    # The volunteer's answer link (活地图): the demo call-out's first reply, its token made at run time.
    "/v/{answer_token}",
]


class Refusals(logging.Handler):
    """The database refused a value a form should have caught: what was typed is lost."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += "cannot hold" in record.getMessage()


class Fuzzer:
    def __init__(self, app, role):
        self.app, self.role = app, role
        self.client = FlaskClient(app, app.response_class, use_cookies=True)
        self.token, self.problems, self.requests = None, [], 0
        self.refusals = Refusals()

    def send(self, method, url, **kwargs):
        refused = self.refusals.count
        response = self.client.open(url, method=method, **kwargs)
        self.requests += 1
        if self.refusals.count > refused:
            self.problems.append(f"refused by the database {method} {url} {kwargs.get('data')!r:.300}")
        body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        found = CSRF_RE.search(body)
        if found:
            self.token = found.group(1)
        if response.status_code >= 500:
            self.problems.append(f"{response.status_code} {method} {url} {kwargs.get('data')!r:.300}")
        elif MARKUP in body:
            self.problems.append(f"unescaped markup {method} {url} {kwargs.get('data')!r:.300}")
        return response, body

    def post(self, url, data):
        self.send("GET", "/login") if self.token is None else None
        return self.send("POST", url, data={"csrf_token": self.token, **data})

    # -- being a role -----------------------------------------------------------------------
    def sign_in(self):
        self.client.delete_cookie("session")
        self.token = None
        if self.role == "resident":
            with self.app.app_context():
                resident = db.session.scalars(db.select(Resident).order_by(Resident.id)).first()
                token = card_token(resident, self.app.config["SECRET_KEY"])
            self.send("GET", "/identify")
            assert self.post("/identify", {"token": token})[0].status_code == 303
        elif self.role == "kiosk":
            assert activate(self, new_code(self.app)).status_code == 303
        elif self.role != "anonymous":
            self.send("GET", "/login")
            username = "volunteer" if self.role == "assisted" else self.role
            assert self.post("/login", {"username": username, "password": "linli-demo"})[0].status_code == 303
            if self.role == "assisted":
                self.send("GET", "/me")
                start_assisting(self, resident_in(self.app, 1)["number"])
                assert self.assisted_works(), "could not start an assisted session"
        self.send("GET", "/")

    def get(self, url):
        return self.send("GET", url)[0]

    def submit(self, url, data):
        return self.post(url, data)[0]

    def assisted_works(self):
        response, body = self.send("GET", "/assist/now")
        return response.status_code == 200 and 'action="/assist/end"' in body

    def still_signed_in(self):
        probes = {"anonymous": None, "resident": "/health/my", "kiosk": "/kiosk/me"}
        if self.role == "assisted":
            return self.assisted_works()
        probe = probes.get(self.role, "/me")
        return probe is None or self.send("GET", probe)[0].status_code == 200

    # -- the forms --------------------------------------------------------------------------
    def forms(self, adapter):
        starts = [start.format(answer_token=demo_answer_token(self.app)) for start in STARTS]
        crawled, seen_args = crawl(self.client, adapter, starts)
        by_endpoint = {}
        for form in crawled:
            hit = match(adapter, form.action.replace("http://localhost", ""), form.method)
            if hit:
                known = by_endpoint.setdefault((hit[0], form.method), form)
                for name, offered in form.fields.items():
                    known.fields.setdefault(name, offered)
        names = sorted({n for f in crawled for n in f.fields} - {"csrf_token"})
        targets = []
        for rule in post_rules(self.app):
            for url, odd in build_urls(self.app, rule, seen_args):
                targets.append(("POST", rule.endpoint, url, odd))
        for (endpoint, method), form in by_endpoint.items():
            if method == "GET":
                targets.append(("GET", endpoint, form.action.replace("http://localhost", "").split("?")[0], False))
        return targets, by_endpoint, names

    def fields_for(self, adapter, method, endpoint, url, by_endpoint):
        """The form as the page shows it now (a flow step may have moved on since the crawl)."""
        if method == "POST" and "GET" in next(r for r in self.app.url_map.iter_rules(endpoint)).methods:
            response, body = self.send("GET", url)
            if response.status_code == 200:
                for form in parse(url, body).forms:
                    hit = match(adapter, form.action.replace("http://localhost", ""), "POST")
                    if form.method == "POST" and hit and hit[0] == endpoint:
                        return form
        return by_endpoint.get((endpoint, method))

    def try_once(self, url, fields):
        """The form sent once, with the first known attack in every field."""
        return self.post(url, {n: EVERYWHERE[0] for n in fields})[0]

    def refused(self, url, form) -> bool:
        """One try of a form this role has not seen: refused (not found, forbidden, or sent to sign in or
        identify first) whatever it holds, or taken, and then fuzzed like every other."""
        response = self.try_once(url, form.fields if form else {"text": ""})
        location = response.headers.get("Location", "")
        return response.status_code in (403, 404, 405) or (
            response.status_code in (302, 303) and location.split("?")[0].endswith(SIGN_IN_PAGES)
        )

    def run(self):
        adapter = self.app.url_map.bind("localhost")
        self.sign_in()
        targets, by_endpoint, names = self.forms(adapter)
        tried_before = set(TRIED_THIS_RUN or ())  # by the roles before this one (the PostgreSQL run only)
        for method, endpoint, url, odd in targets:
            if (method, endpoint) in tried_before:
                continue
            if (endpoint, method) in by_endpoint:  # on a page this role can open: tried in full
                if TRIED_THIS_RUN is not None:
                    TRIED_THIS_RUN.add((method, endpoint))
            elif method == "POST" and not odd and self.refused(url, by_endpoint.get((endpoint, method))):
                continue  # a form this role was never shown, and is refused: the values do not matter
            if odd:  # an out-of-range address is refused whatever the form holds: one try is enough
                self.try_once(url, by_endpoint.get((endpoint, method), Form(url, method)).fields)
                continue
            form = self.fields_for(adapter, method, endpoint, url, by_endpoint) or Form(url, method)

            @settings(PROFILE, max_examples=PROFILE.max_examples * max(1, min(len(form.fields), 8)))
            @given(form_data(form, names))
            @explicit_examples(form, names)
            def attempt(data):
                if method == "POST":  # noqa: B023 (called at once, in this iteration)
                    self.post(url, data)  # noqa: B023
                else:
                    self.send("GET", url, query_string={k: v for k, v in data.items() if isinstance(v, str)})  # noqa: B023

            attempt()
            if not self.still_signed_in():
                self.sign_in()
        return len(targets)


@pytest.mark.parametrize("role", ROLES)
def test_no_form_gives_a_server_error_or_echoes_markup(app, role):
    # A server error must reach the error page as it would in production, not the test runner.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    limiter.enabled = False
    fuzzer = Fuzzer(app, role)
    app.logger.addHandler(fuzzer.refusals)
    try:
        count = fuzzer.run()
    finally:
        limiter.enabled = True
        app.logger.removeHandler(fuzzer.refusals)
    print(
        f"\n{role}: {count} forms, {fuzzer.requests} requests, {len(fuzzer.problems)} problems, "
        f"{sum(p[0] == '5' for p in fuzzer.problems)} server errors"
    )
    assert count > 40
    assert fuzzer.requests > 0
    assert not fuzzer.problems, f"{len(fuzzer.problems)} problems for {role}:\n" + "\n".join(fuzzer.problems[:60])


# -- the volunteer's answer link (活地图) -------------------------------------------------------------
def demo_answer_token(app) -> str:
    """The answer link of the demo call-out's first reply, as its message carries it."""
    from portal.models import CallOutReply
    from portal.services.volunteers import answer_token

    with app.app_context():
        reply = db.session.scalars(db.select(CallOutReply).order_by(CallOutReply.id)).first()
        return answer_token(reply, app.config["SECRET_KEY"])


def odd_tokens(token: str) -> dict:
    reply_id, nonce, signature = token.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]  # the last letter has bits that do not count
    return {
        "garbage": "not-a-token",
        "empty parts": "..",
        "truncated": token[: len(token) // 2],
        "no signature": f"{reply_id}.{nonce}",
        "tampered signature": f"{reply_id}.{nonce}.{flipped}",
        "another reply's id": f"{int(reply_id) + 1}.{nonce}.{signature}",
        "huge id": f"{'9' * 40}.{nonce}.{signature}",
        "very long": token * 200,
        "unicode": "志愿者.回复.签名\u202e",
        "NUL": "a\x00b",
        "markup": MARKUP,
    }


@pytest.mark.parametrize(
    "lang, words, not_found",
    [
        ("zh", "这个答复链接用不了", "找不到这个页面"),
        ("en", "This answer link does not work", "We cannot find that page"),
    ],
)
def test_an_odd_answer_link_is_a_plain_message_never_a_server_error(app, lang, words, not_found):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    token = demo_answer_token(app)
    assert client.get(f"/v/{token}?lang={lang}").status_code == 200
    for name, odd in odd_tokens(token).items():
        for method in ("GET", "POST"):
            response = client.open(f"/v/{odd}", method=method, query_string={"lang": lang}, data={"answer": "yes"})
            body = response.get_data(as_text=True)
            assert response.status_code in (400, 404), (name, method, response.status_code)
            # Past 100 characters, or with a "/" or a control character, it is no address of the site at all.
            routed = len(odd) <= 100 and not re.search(r"[/\x00-\x1f]", odd)
            if method == "GET":
                assert response.status_code == 404 and (words if routed else not_found) in body, (name, body[:300])
            assert MARKUP not in body, name
