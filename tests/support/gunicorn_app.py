"""The app served by gunicorn in a child process, for tests that need real app processes: the restored
backup (tests/test_backups.py) and the two app hosts (tests/support/hosts.py).

Each server leads its own process group and dies with the test process, even one killed with SIGKILL.
`wait_until_ready` polls /healthz for a bounded time; `stop_all` gives the servers a moment to stop
cleanly, together, then kills whatever is left (a test's server holds nothing worth waiting for).
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from gunicorn.config import Config as GunicornConfig

from portal.config import ROOT

from .redis import stop_with_this_process

READY_SECONDS = 45
STOP_SECONDS = 2
# Newer gunicorns open a control socket, by default ~/.gunicorn/gunicorn.ctl: two servers (network
# namespaces share the file system) and any other gunicorn of this user would fight over it.
NO_CONTROL_SOCKET = ("--no-control-socket",) if "control_socket_disable" in GunicornConfig().settings else ()


@dataclass
class GunicornApp:
    name: str
    address: str
    port: int
    log_path: str
    workers: int = 1
    options: tuple[str, ...] = ()  # more gunicorn options, such as a --config file
    prefix: tuple[str, ...] = ()  # what gunicorn runs under, such as `ip netns exec NAME`
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.address}:{self.port}"

    def start(self, env: dict) -> None:
        command = [
            *self.prefix,
            *(sys.executable, "-m", "gunicorn", "--bind", f"{self.address}:{self.port}"),
            *("--workers", str(self.workers), "--timeout", "60", "--graceful-timeout", "5"),
            *NO_CONTROL_SOCKET,
            *self.options,
            *("--error-logfile", "-", "portal:create_app()"),
        ]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the master and its workers stop together
                preexec_fn=stop_with_this_process,
            )

    def log(self) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()[-3000:]

    def is_ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:
                return answer.status == 200 and b'"ok"' in answer.read()
        except (OSError, urllib.error.URLError):
            return False

    def ask_to_stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM to the master: it stops its workers, then itself

    def wait_stopped(self, seconds: float) -> None:
        if self.process is None:
            return
        group = self.process.pid  # start_new_session: the master leads its own process group
        try:
            self.process.wait(timeout=max(seconds, 0.1))
        except subprocess.TimeoutExpired:
            pass  # a loaded machine can take seconds to wind down big Python processes
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)  # the master if it is still there, and any worker it left
        self.process.wait(timeout=10)


def wait_until_ready(servers: list[GunicornApp], seconds: float = READY_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    waiting = list(servers)
    while waiting:
        for server in list(waiting):
            if server.process.poll() is not None:
                raise RuntimeError(f"gunicorn {server.name} stopped while starting:\n{server.log()}")
            if server.is_ready():
                waiting.remove(server)
        if waiting and time.monotonic() > deadline:
            names = [s.name for s in waiting]
            raise RuntimeError(f"gunicorn {names} not ready in {seconds} s:\n{waiting[0].log()}")
        time.sleep(0.2)


def stop_all(servers: list[GunicornApp], seconds: float = STOP_SECONDS) -> None:
    """All at once, each given a moment to stop cleanly; what is left after that is killed."""
    deadline = time.monotonic() + seconds
    for server in servers:
        server.ask_to_stop()
    for server in servers:
        server.wait_stopped(deadline - time.monotonic())
