"""Outbox senders in processes of their own, for tests/test_outbox_senders.py: the real
`flask --app portal send-outbox` with PORTAL_SMS_SENDER=tests.support.outbox_senders:RecordingSender.

RecordingSender is a gateway that appends one line per message it accepts to a shared file (one
O_APPEND write each, so lines from several processes never mix), which the test counts. It can wait at
a gate until every sender process is up (so they really start together), take a little time per
message, and stall inside one send (before accepting it), where the test kills the process.

The sender processes are forked by one launcher process that has imported the app already (`launch`),
so four senders cost one Python start-up; each child then runs the real CLI entry point.
"""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from portal.config import ROOT

SENDER = "tests.support.outbox_senders:RecordingSender"
STALL_SECONDS = 120  # far longer than any test waits: the stalled process is killed, not awaited


def wait_at_gate(gate: str | None, name: str) -> None:
    if not gate:
        return
    Path(gate, f"ready-{os.getpid()}").touch()
    go = Path(gate, name)
    for _ in range(1200):
        if go.exists():
            return
        time.sleep(0.05)
    raise RuntimeError("the test never opened the gate")


class RecordingSender:
    """A gateway that writes "pid<TAB>recipient<TAB>text" to $LINLI_SENT_LOG for each message it takes."""

    def __init__(self):
        self.log = os.environ["LINLI_SENT_LOG"]
        self.delay = float(os.environ.get("LINLI_SEND_DELAY", "0"))
        self.stall_at = int(os.environ.get("LINLI_STALL_AT", "0"))
        self.stall_marker = os.environ.get("LINLI_STALL_MARKER", "")
        self.count = 0
        wait_at_gate(os.environ.get("LINLI_SENDER_GATE"), os.environ.get("LINLI_GATE_NAME", "go"))

    def send(self, recipient: str, text: str) -> None:
        self.count += 1
        if self.count == self.stall_at:
            Path(self.stall_marker).write_text(text, encoding="utf-8")
            time.sleep(STALL_SECONDS)
        if self.delay:
            time.sleep(self.delay)
        line = f"{os.getpid()}\t{recipient}\t{text}\n".encode()
        fd = os.open(self.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)


def run_sender(sender: dict) -> None:
    """In a forked child: the real `flask --app portal send-outbox ...` entry point; never returns."""
    code = 1
    try:
        os.environ.update(sender["env"])
        output = os.open(sender["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(output, 1)
        os.dup2(output, 2)
        sys.argv = ["flask", "--app", "portal", "send-outbox", *sender["args"]]
        from flask.cli import main

        main()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def launch(spec_path: str) -> None:
    """`python -m tests.support.outbox_senders SPEC`: import the app once, then fork one child per sender
    (a plain single-threaded process, so forking is safe), so N senders cost one start-up, not N. Writes
    the children's pids, then each one's exit code as it ends."""
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    folder = Path(spec["folder"])
    from portal import create_app

    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "warm-up"})  # imports every module
    children = {}
    for index, sender in enumerate(spec["senders"]):
        pid = os.fork()
        if pid == 0:
            run_sender(sender)
        children[pid] = index
    (folder / "pids.tmp").write_text(" ".join(str(pid) for pid in children), encoding="utf-8")
    (folder / "pids.tmp").rename(folder / "pids")
    while children:
        pid, status = os.wait()
        (folder / f"exit-{children.pop(pid)}").write_text(str(os.waitstatus_to_exitcode(status)), encoding="utf-8")


def poll(check, what: str, tries: int = 1200, every: float = 0.05):
    """`check()` until it gives something true, at most `tries` times; bounded, whatever the clock says."""
    for _ in range(tries):
        found = check()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"gave up waiting for {what}")


class SenderProcesses:
    """`send-outbox` processes against one database, all recording into one file. `add` them, `launch`
    them together, then `open_gate` to let them start sending at the same moment."""

    def __init__(self, folder: Path, database_url: str):
        self.folder = folder
        self.database_url = database_url
        self.log = folder / "sent.tsv"
        self.gate = folder / "gate"
        self.gate.mkdir()
        self.stall_marker = folder / "stalled"
        self.senders: list[dict] = []
        self.pids: list[int] = []
        self.launcher = None

    def add(self, *options: str, delay: float = 0.0, stall_at: int = 0, gate: str = "go") -> int:
        env = {
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": "test-secret-key",
            "PORTAL_SMS_SENDER": SENDER,
            "LINLI_SENT_LOG": str(self.log),
            "LINLI_SENDER_GATE": str(self.gate),
            "LINLI_GATE_NAME": gate,
            "LINLI_SEND_DELAY": str(delay),
            "LINLI_STALL_AT": str(stall_at),
            "LINLI_STALL_MARKER": str(self.stall_marker),
        }
        output = str(self.folder / f"sender-{len(self.senders)}.out")
        self.senders.append({"args": list(options), "env": env, "output": output})
        return len(self.senders) - 1

    def launch(self) -> None:
        spec = self.folder / "senders.json"
        spec.write_text(json.dumps({"folder": str(self.folder), "senders": self.senders}), encoding="utf-8")
        log = open(self.folder / "launcher.out", "w")
        command = [sys.executable, "-m", "tests.support.outbox_senders", str(spec)]
        self.launcher = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        pids = self.folder / "pids"
        poll(lambda: pids.exists() or self.launcher.poll() is not None, "the senders to be forked")
        assert pids.exists(), (self.folder / "launcher.out").read_text()
        self.pids = [int(pid) for pid in pids.read_text(encoding="utf-8").split()]

    def open_gate(self, name: str = "go") -> None:
        """Let the senders added with this gate go at once, when all the senders are up and waiting."""
        poll(lambda: len(list(self.gate.glob("ready-*"))) == len(self.pids), f"the senders: {self.outputs()}")
        (self.gate / name).touch()

    def signal(self, index: int, signum: int) -> None:
        os.kill(self.pids[index], signum)

    def exit_code(self, index: int, tries: int = 1200) -> int:
        done = self.folder / f"exit-{index}"
        poll(done.exists, f"sender {index} to end: {self.outputs()}", tries=tries)
        return int(done.read_text(encoding="utf-8"))

    def wait_for_stall(self) -> str:
        """The text of the message the stalling sender is stuck on."""
        marker = self.stall_marker
        return poll(lambda: marker.exists() and marker.read_text(encoding="utf-8"), f"a stall: {self.outputs()}")

    def sent(self) -> list[tuple[int, str]]:
        """(pid, text) for every message the gateway took, in order."""
        if not self.log.exists():
            return []
        lines = self.log.read_text(encoding="utf-8").splitlines()
        return [(int(pid), text) for pid, _recipient, text in (line.split("\t") for line in lines)]

    def times_sent(self) -> Counter:
        return Counter(text for _pid, text in self.sent())

    def outputs(self) -> str:
        return "\n".join(Path(s["output"]).read_text() for s in self.senders if Path(s["output"]).exists())

    def stop_all(self) -> None:
        for index, pid in enumerate(self.pids):
            if not (self.folder / f"exit-{index}").exists():
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if self.launcher is not None:
            try:
                self.launcher.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.launcher.kill()
                self.launcher.wait(timeout=30)


if __name__ == "__main__":
    launch(sys.argv[1])
