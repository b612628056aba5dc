"""A throwaway Redis server for one test: Debian's redis-server in a temporary folder, on a free port.

Like tests/support/pg.py for PostgreSQL: nothing is written to disk (no RDB snapshots, no append-only
file), it listens only on the addresses it is given (loopback by default), and stop() shuts it down and
removes its folder. The two-host test (tests/support/hosts.py) starts one on its own network's address.
"""

import ctypes
import os
import shutil
import signal
import subprocess
import tempfile
import time

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from .pg import free_port

INSTALL_HINT = "redis-server is not installed: run `sudo apt-get install -y redis-server` (Debian's package)."
READY_SECONDS = 10


def stop_with_this_process() -> None:
    """For Popen's preexec_fn: the child gets SIGTERM if the test process dies (even by SIGKILL), so no
    server outlives a killed test run (Linux prctl PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def find_redis_server() -> str | None:
    return shutil.which("redis-server") or next(
        (path for path in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if os.path.exists(path)), None
    )


class RedisServer:
    def __init__(self, bind: tuple[str, ...] = ("127.0.0.1",)):
        self.binary = find_redis_server()
        if self.binary is None:
            raise RuntimeError(INSTALL_HINT)
        self.bind = bind
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="linli-redis-")
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://{self.bind[0]}:{self.port}/{db}"

    def client(self) -> Redis:
        return Redis(host=self.bind[0], port=self.port, socket_timeout=5)

    def start(self) -> "RedisServer":
        command = [
            self.binary,
            *("--port", str(self.port), "--bind", *self.bind),
            # It listens only on our own addresses and lives for one test: no password, no protected mode.
            *("--protected-mode", "no", "--save", "", "--appendonly", "no"),
            *("--dir", self.dir, "--logfile", os.path.join(self.dir, "redis.log"), "--daemonize", "no"),
        ]
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, preexec_fn=stop_with_this_process
        )
        deadline = time.monotonic() + READY_SECONDS
        while True:
            try:
                with self.client() as client:
                    client.ping()
                return self
            except RedisConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = self.log()
                    self.stop()
                    raise RuntimeError(f"redis-server did not start on port {self.port}: {log}") from None
                time.sleep(0.05)

    def log(self) -> str:
        try:
            with open(os.path.join(self.dir, "redis.log"), encoding="utf-8", errors="replace") as f:
                return f.read()[-2000:]
        except FileNotFoundError:
            return ""

    def stop(self) -> None:
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()  # redis-server shuts down on SIGTERM; with --save "" it writes nothing
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
