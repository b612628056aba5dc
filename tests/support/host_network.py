"""The network of the two-host test (tests/support/hosts.py): a bridge on this machine and one network
namespace per app host, joined to it by a veth pair; or, where namespaces cannot be made, loopback.

    this machine (the test, PostgreSQL, Redis)  10.231.N.1 on bridge lbr<pid>
        ├── veth lv<pid>a ── namespace linli-<pid>-a: 10.231.N.10   host A
        └── veth lv<pid>b ── namespace linli-<pid>-b: 10.231.N.11   host B

N is picked so that no address already on this machine is touched, and only our own bridge carries
one. `host_network()` removes all of it at the end, failed or not, and checks that nothing is left; the
next run removes what a killed run (its pid gone) left behind. Without root, iproute2 or CAP_NET_ADMIN
the fallback is two loopback addresses, 127.0.0.2 and 127.0.0.3, with the services on 127.0.0.1.
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess

PORT = 8000  # each namespace has its own ports; on the loopback fallback every host takes a free one


def run(*argv: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(argv, check=check, capture_output=True, text=True, timeout=30)


class NamespaceNetwork:
    kind = "network namespaces (ip netns) joined by veth pairs to a bridge"

    def __init__(self, tag: int):
        """Names carry `tag`, the test process's pid, so concurrent runs never share one."""
        self.bridge = f"lbr{tag}"
        self.namespaces = (f"linli-{tag}-a", f"linli-{tag}-b")
        self.veths = (f"lv{tag}a", f"lv{tag}b")
        self.tag = tag

    def create(self) -> None:
        subnet = free_subnet(self.tag)
        self.service_address, self.cidr = f"{subnet}.1", f"{subnet}.0/24"
        self.host_addresses = (f"{subnet}.10", f"{subnet}.11")
        run("ip", "link", "add", self.bridge, "type", "bridge")
        run("ip", "addr", "add", f"{self.service_address}/24", "dev", self.bridge)
        run("ip", "link", "set", self.bridge, "up")
        for namespace, veth, address in zip(self.namespaces, self.veths, self.host_addresses, strict=True):
            run("ip", "netns", "add", namespace)
            run("ip", "link", "add", veth, "type", "veth", "peer", "name", f"{veth}n")
            run("ip", "link", "set", f"{veth}n", "netns", namespace)
            run("ip", "link", "set", veth, "master", self.bridge, "up")
            run("ip", "-n", namespace, "addr", "add", f"{address}/24", "dev", f"{veth}n")
            run("ip", "-n", namespace, "link", "set", f"{veth}n", "up")
            run("ip", "-n", namespace, "link", "set", "lo", "up")

    def command(self, index: int, argv: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.namespaces[index], *argv]

    def port_for(self, address: str) -> int:
        return PORT

    def destroy(self) -> None:
        # Deleting a namespace deletes its end of the veth, and with it the other end. A namespace lives on
        # while a process is inside: only a killed run leaves one (its gunicorn), which goes first.
        for namespace in self.namespaces:
            for pid in run("ip", "netns", "pids", namespace, check=False).stdout.split():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(pid), signal.SIGKILL)
            run("ip", "netns", "delete", namespace, check=False)
        for veth in self.veths:
            run("ip", "link", "delete", veth, check=False)
        run("ip", "link", "delete", self.bridge, check=False)

    def leftovers(self) -> list[str]:
        names = run("ip", "netns", "list", check=False).stdout + run("ip", "-br", "link", check=False).stdout
        return [name for name in (*self.namespaces, self.bridge, *self.veths) if re.search(rf"\b{name}\b", names)]


class LoopbackNetwork:
    kind = "FALLBACK, loopback addresses 127.0.0.2 and 127.0.0.3 (no ip netns here, or LINLI_TEST_HOSTS=loopback)"
    service_address = "127.0.0.1"
    cidr = "127.0.0.0/8"
    host_addresses = ("127.0.0.2", "127.0.0.3")

    def create(self) -> None:
        pass

    def command(self, index: int, argv: list[str]) -> list[str]:
        return argv

    def port_for(self, address: str) -> int:
        with socket.socket() as s:
            s.bind((address, 0))
            return s.getsockname()[1]

    def destroy(self) -> None:
        pass

    def leftovers(self) -> list[str]:
        return []


def free_subnet(tag: int) -> str:
    """10.231.N with N not on any interface of this machine (another run of this test may hold one)."""
    in_use = run("ip", "-4", "-o", "addr", check=False).stdout
    for step in range(254):
        subnet = f"10.231.{(tag + step) % 254 + 1}"
        if f" {subnet}." not in in_use:
            return subnet
    raise RuntimeError("no free 10.231.N.0/24 subnet for the two-host test")


def remove_stale_networks() -> None:
    """Namespaces and bridges that a killed run of this test (its pid gone) could not remove."""
    names = run("ip", "netns", "list", check=False).stdout + run("ip", "-br", "link", check=False).stdout
    for pid in {int(p) for p in re.findall(r"\b(?:linli-|lbr)(\d+)", names)}:
        if pid != os.getpid() and not os.path.exists(f"/proc/{pid}"):
            NamespaceNetwork(pid).destroy()


def namespaces_possible() -> bool:
    if os.geteuid() != 0 or shutil.which("ip") is None:
        return False
    probe = f"linli-probe-{os.getpid()}"
    made = run("ip", "netns", "add", probe, check=False).returncode == 0
    if made:
        run("ip", "netns", "delete", probe, check=False)
    return made


def make_network():
    # LINLI_TEST_HOSTS=loopback runs the fallback even where namespaces could be made.
    if os.environ.get("LINLI_TEST_HOSTS") == "loopback" or not namespaces_possible():
        return LoopbackNetwork()
    remove_stale_networks()
    return NamespaceNetwork(os.getpid())


@contextlib.contextmanager
def host_network():
    network = make_network()
    try:
        network.create()
        yield network
    finally:
        network.destroy()
    left = network.leftovers()
    assert not left, f"the two-host network was not removed: {left}"
