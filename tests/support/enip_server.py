"""A real EtherNet/IP controller for the tests: cpppo's server, started and stopped as a process.

cpppo answers pycomm3's LogixDriver for reads (scalars, arrays, bits, multi-tag
requests) and multi-tag writes. It does not implement the tag-list upload, so
the machines in these tests declare their tags' types (the plant file's
`tag_types`), and it has no PCCC, so SLC tests use a double instead.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time

from pycomm3 import LogixDriver

from core.plc.logix_driver import LogixPlc


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, up: bool, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} did not come {'up' if up else 'down'}")


class EnipServer:
    """`tags` maps tag name -> cpppo type ("DINT", "BOOL", "REAL", "DINT[4]")."""

    def __init__(self, tags: dict[str, str], port: int | None = None):
        self.tags, self.port = tags, port or free_port()
        self.process: subprocess.Popen | None = None
        self.writers: list[LogixPlc] = []

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cpppo.server.enip", "--address", self.address,
             *(f"{name}={type_}" for name, type_ in self.tags.items())],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, up=True)

    def stop(self) -> None:
        for writer in self.writers:
            writer.close()
        self.writers.clear()
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        wait_for_port(self.port, up=False)

    def writer(self) -> LogixPlc:
        """A second client (as an HMI would be) that sets the controller's tag values."""
        plc = LogixPlc(self.address, 0, 5.0, {name: type_.split("[")[0] for name, type_ in self.tags.items()})
        plc.open()
        self.writers.append(plc)
        return plc


def raw_logix_driver(server: EnipServer, tag_types: dict[str, str]) -> LogixDriver:
    """pycomm3 used directly, as the benchmark's reference."""
    from core.plc.logix_driver import declared_tag_definitions

    plc = LogixDriver(f"{server.address}/0", init_tags=False)
    plc._tags.update(declared_tag_definitions(tag_types))
    plc.open()
    return plc
