"""A throwaway PostgreSQL server for one test run: initdb and pg_ctl in a temporary folder.

It listens only on a Unix socket in that folder, runs without fsync, and is stopped with
`pg_ctl -m immediate stop` at the end. When we are root, the server runs as the `postgres` user.
`listening_on()` opens it to one more TCP address for a while (the two-host test's own network).
"""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile

INSTALL_HINT = "PostgreSQL is not installed: run `sudo apt-get install -y postgresql` (Debian's package)."


def find_bindir() -> str | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    for path in candidates:
        if os.path.exists(os.path.join(path, "initdb")):
            return path
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    def __init__(self):
        self.bindir = find_bindir()
        if self.bindir is None:
            raise RuntimeError(INSTALL_HINT)
        self.dir = tempfile.mkdtemp(prefix="linli-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
            os.chmod(self.dir, 0o755)

    def _run(self, *args: str) -> None:
        cmd = [os.path.join(self.bindir, args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.dir)

    def _options(self, listen: str = "") -> str:
        return (
            f"-k {self.dir} -p {self.port} -c listen_addresses='{listen}' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )

    def _pg_ctl(self, action: str, listen: str = "", *extra: str) -> None:
        log = os.path.join(self.dir, "server.log")
        self._run("pg_ctl", "-D", self.data, "-o", self._options(listen), "-l", log, "-w", *extra, action)

    def start(self) -> "PostgresServer":
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync")
        self._pg_ctl("start")
        return self

    @contextlib.contextmanager
    def listening_on(self, address: str, network: str):
        """Also listen on TCP `address` and let clients from `network` (CIDR) in, until the block ends.
        listen_addresses needs a restart; connections open at that moment are closed (pools reconnect)."""
        hba = os.path.join(self.data, "pg_hba.conf")
        with open(hba, encoding="utf-8") as f:
            original = f.read()
        with open(hba, "a", encoding="utf-8") as f:
            f.write(f"\nhost all all {network} trust\n")
        try:
            self._pg_ctl("restart", address, "-m", "fast")
            yield
        finally:
            with open(hba, "w", encoding="utf-8") as f:
                f.write(original)
            self._pg_ctl("restart", "", "-m", "fast")

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", self.dir, "-p", str(self.port), "-U", "postgres", name)
        return f"postgresql+psycopg://postgres@/{name}?host={self.dir}&port={self.port}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
