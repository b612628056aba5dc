"""Serving under gunicorn and measuring with wrk (Debian's wrk; `make bench` installs it)."""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Request:
    method: str
    path: str
    cookie: str = ""
    body: str = ""

    def line(self) -> str:
        return "\t".join((self.method, self.path, self.cookie, self.body))


@dataclass
class Result:
    rate: float
    p50: float
    p99: float
    errors: int
    requests: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(app: str, env: dict, workers: int, app_root: Path = ROOT):
    port = free_port()
    # Another checkout runs with its own virtualenv (an editable install always imports its own tree).
    python = app_root / ".venv" / "bin" / "python"
    command = [
        str(python if python.exists() else sys.executable), "-m", "gunicorn", "--workers", str(workers), "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}", "--backlog", "2048", "--log-level", "warning", app,
    ]  # fmt: skip
    # `app_root` may be another checkout (say main as it was before a change); bench.hello is found here.
    env = dict(env, PYTHONPATH=str(ROOT))
    server = subprocess.Popen(command, cwd=app_root, env=env, start_new_session=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", server)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # A worker stuck in a slow page ignores SIGTERM until gunicorn's own timeout; the figures are already taken.
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)


def wait_until_up(url: str, server) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start-up (status {server.returncode})")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"gunicorn did not answer at {url}")


def settle(base: str) -> None:
    """Wait until the server has worked off what an earlier wrk run left queued: wrk stops at its deadline,
    but gunicorn still answers every request already sent, and a slow page's backlog would time out the
    next run's first requests."""
    urllib.request.urlopen(f"{base}/healthz", timeout=300).read()


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def parse(output: str) -> Result:
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = milliseconds(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = milliseconds(re.search(r"\s99%\s+(\S+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Result(rate, p50, p99, errors + (int(bad.group(1)) if bad else 0), total)


def wrk(
    base: str, requests: list[Request], *, seconds: int, connections: int, threads: int = 2, split: bool = False
) -> Result:
    """One wrk run over `requests` in turn; raises if wrk fails. `split`: each thread sends its own share of
    them (requests that must be sent once, like bookings)."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as listing:
        listing.write("\n".join(r.line() for r in requests) + "\n")
    try:
        command = [
            "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s",
            "-s", str(ROOT / "bench" / "requests.lua"), base,
        ]  # fmt: skip
        done = subprocess.run(
            command,
            env=dict(os.environ, BENCH_REQUESTS=listing.name, **({"BENCH_THREADS": str(threads)} if split else {})),
            capture_output=True,
            text=True,
            check=True,
        )
        return parse(done.stdout)
    finally:
        os.unlink(listing.name)


def check(base: str, request: Request, expect: set[int]) -> int:
    """One request, before the load: a page that answers the wrong status would measure nothing."""
    headers = {"Cookie": request.cookie} if request.cookie else {}
    data = request.body.encode() if request.method == "POST" else None
    if data is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        status = opener.open(urllib.request.Request(base + request.path, data=data, headers=headers), timeout=30).status
    except urllib.error.HTTPError as answer:
        status = answer.code
    if status not in expect:
        raise SystemExit(f"{request.method} {request.path} answered {status}, expected {sorted(expect)}")
    return status
