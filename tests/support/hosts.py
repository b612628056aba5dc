"""Two app hosts on this one machine, sharing the run's PostgreSQL and one Redis, for tests/test_two_hosts.py.

Each host is a network namespace of its own (`ip netns`, tests/support/host_network.py), joined to a
bridge on this machine by a veth pair, running its own gunicorn of the app (`portal:create_app()`, 2 sync
workers) on its own address, 10.231.N.10 and .11 port 8000. The bridge's address, 10.231.N.1, is where
PostgreSQL (the run's server, opened to that address for the module) and a throwaway redis-server listen
for both. Gunicorns, Redis, PostgreSQL's extra address and the network are removed at the end, failed or
not. Where namespaces cannot be made (not root, no iproute2, a container without CAP_NET_ADMIN), the
hosts fall back to two gunicorns on the loopback addresses 127.0.0.2 and 127.0.0.3, with PostgreSQL and
Redis on 127.0.0.1, and the test says so.

The hosts run on the test run's travelled clock (tests/support/host_clock.py), so the demo data, the
kiosk codes and the sessions the test makes are as fresh for them as for the test itself.
"""

import contextlib
import http.cookies
import os
import re
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import pytest
import time_machine
from sqlalchemy.engine import make_url

from portal import create_app
from portal.config import ROOT
from portal.extensions import db

from .app import test_config
from .gunicorn_app import GunicornApp, stop_all, wait_until_ready
from .host_network import host_network
from .redis import RedisServer

WORKERS = 2
CLOCK_CONFIG = ROOT / "tests" / "support" / "host_clock.py"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
SQLITE_SKIP = (
    "two app hosts share one PostgreSQL server over the network; SQLite is a file on one machine, "
    "so this test runs on the PostgreSQL run only (LINLI_TEST_DATABASE=postgresql)"
)


@dataclass
class TwoHosts:
    network: object
    hosts: list[GunicornApp]
    redis: RedisServer
    database_url: str
    timings: dict = field(default_factory=dict)

    @property
    def a(self) -> GunicornApp:
        return self.hosts[0]

    @property
    def b(self) -> GunicornApp:
        return self.hosts[1]


def host_environment(database_url: str, redis_url: str) -> dict:
    """What a host's gunicorn gets: nothing of the test run's environment but PATH, HOME and these."""
    real_now = time_machine.escape_hatch.time.time()
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        # The test signs cards, kiosk cookies and form tokens with the same key.
        "SECRET_KEY": test_config(database_url)["SECRET_KEY"],
        "DATABASE_URL": database_url,
        "SESSION_REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url,
        "SESSION_CLEANUP_N_REQUESTS": "0",
        "LINLI_HOST_CLOCK_OFFSET": str(time.time() - real_now),
    }


@pytest.fixture(scope="module")
def two_hosts(postgres_server, database_url, snapshot):
    """Hosts A and B, each its own gunicorn in its own network namespace, sharing PostgreSQL and Redis."""
    if postgres_server is None:
        pytest.skip(SQLITE_SKIP)
    started = time.monotonic()
    logs = tempfile.mkdtemp(prefix="linli-hosts-")
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, logs, ignore_errors=True)
        network = stack.enter_context(host_network())
        stack.enter_context(postgres_server.listening_on(network.service_address, network.cidr))
        redis = RedisServer(bind=(network.service_address,))
        stack.callback(redis.stop)
        redis.start()
        on_bridge = {"host": network.service_address, "port": postgres_server.port, "query": {}}
        hosts_url = make_url(database_url).set(**on_bridge).render_as_string(hide_password=False)
        env = host_environment(hosts_url, redis.url())
        hosts = [
            GunicornApp(
                name,
                address,
                network.port_for(address),
                os.path.join(logs, f"{name}.log"),
                workers=WORKERS,
                options=("--config", str(CLOCK_CONFIG)),
                prefix=tuple(network.command(index, [])),
            )
            for index, (name, address) in enumerate(zip("AB", network.host_addresses, strict=True))
        ]
        stack.callback(stop_all, hosts)
        for host in hosts:
            host.start(env)
        wait_until_ready(hosts)
        pair = TwoHosts(network, hosts, redis, hosts_url, {"ready_seconds": round(time.monotonic() - started, 1)})
        print(
            f"\ntwo hosts on {network.kind}: A {hosts[0].url}, B {hosts[1].url}; PostgreSQL and Redis on "
            f"{network.service_address}; ready in {pair.timings['ready_seconds']} s"
        )
        yield pair


@pytest.fixture
def hosts(two_hosts, app):
    """The two hosts with the database back at the demo snapshot (the `app` fixture) and Redis empty:
    no sessions, no rate-limit counters."""
    with two_hosts.redis.client() as client:
        client.flushall()
    return two_hosts


@pytest.fixture(scope="module")
def redis_app(two_hosts, database_url):
    """An app in the test process that keeps its sessions in the hosts' Redis, to build sessions there."""
    redis_url = two_hosts.redis.url()
    shared = create_app({**test_config(database_url), "SESSION_REDIS_URL": redis_url, "SESSION_TYPE": "redis"})
    yield shared
    with shared.app_context():
        db.engine.dispose()


@dataclass
class Answer:
    status: int
    text: str
    location: str
    headers: dict


class Visitor:
    """One browser: its cookies and its latest form token, sent to whichever host it is pointed at."""

    def __init__(self, cookies: dict | None = None):
        self.cookies = dict(cookies or {})
        self.csrf_token = None

    def open(self, host: GunicornApp, path: str, data: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(host.url + path, data=body, headers=headers)
        try:
            response = urllib.request.build_opener(NoRedirect).open(request, timeout=60)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            response = error
        with response:
            answer = Answer(
                response.status, response.read().decode(), response.headers.get("Location", ""), dict(response.headers)
            )
            self.keep_cookies(response.headers.get_all("Set-Cookie") or [])
        match = CSRF_RE.search(answer.text)
        if match:
            self.csrf_token = match.group(1)
        return answer

    def get(self, host: GunicornApp, path: str) -> Answer:
        return self.open(host, path)

    def submit(self, host: GunicornApp, path: str, data: dict | None = None) -> Answer:
        return self.open(host, path, {"csrf_token": self.csrf_token or "", **(data or {})})

    def keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def figures(title: str, **values) -> str:
    """The figures of one two-host test, printed (pytest -s) and kept for its assertion messages."""
    text = f"{title}: " + "; ".join(f"{name.replace('_', ' ')} {value}" for name, value in values.items())
    print("\n" + text)
    return text
