"""The servers under load, each a subprocess on a loopback port: the emulator, the bare Starlette ceiling and the
scim2-server peers. CPU time and memory are read from ``/proc`` (Linux), so no extra dependency is needed."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def machine_busy_seconds() -> float:
    """CPU seconds every core of the machine spent busy so far (``/proc/stat``: all but idle and iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / CLOCK_TICKS


@dataclass
class Server:
    """A running server process and where it answers."""

    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    log: object = field(repr=False)
    secret: str = field(default="", repr=False)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process (all its threads) so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def memory_mb(self) -> tuple[float, float]:
        """Resident set size now and its peak (VmHWM), in MiB."""
        status = dict(line.split(":", 1) for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines()
                      if ":" in line)
        return _kib(status.get("VmRSS", "0 kB")) / 1024, _kib(status.get("VmHWM", "0 kB")) / 1024

    def stop(self) -> None:
        """Terminate the process (SIGTERM, then SIGKILL after 5 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _kib(value: str) -> int:
    return int(value.strip().split()[0])


def start(name: str, command: list[str], ready_path: str, env: dict[str, str] | None = None,
          port: int = 0, secret: str = "", timeout: float = 60.0) -> Server:
    """Launch ``command`` (which must listen on ``port``) and wait until ``ready_path`` answers 2xx."""
    log = tempfile.TemporaryFile()  # noqa: SIM115  (lives as long as the server)
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=log)
    server = Server(name, process, f"http://{HOST}:{port}", log, secret)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"{name} exited with {process.returncode}: {log.read().decode(errors='replace')[-800:]}")
        try:
            if httpx.get(server.base_url + ready_path, timeout=2.0).is_success:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"{name} did not answer on {server.base_url}{ready_path} within {timeout:.0f}s")


def start_emulator(db: str, secret: str | None = None, patches: tuple[str, ...] = ()) -> Server:
    """``python -m conformance.emulator`` on a free port, FQDN 127.0.0.1, with a chosen bootstrap secret
    (``patches``: through ``bench.patched`` with those proposed fixes applied)."""
    port, secret = free_port(), secret or secrets.token_urlsafe(24)
    module = ["bench.patched", *(f"--patch={name}" for name in patches)] if patches else ["conformance.emulator"]
    command = [sys.executable, "-m", *module, "--host", HOST, "--port", str(port), "--db", db, "--fqdn", HOST]
    return start("emulator", command, "/acs/.well-known/openid-configuration",
                 {"CONFORMANCE_EMULATOR_BOOTSTRAP_SECRET": secret}, port, secret)


def start_ceiling() -> Server:
    """The bare Starlette "hello" app on the emulator's uvicorn configuration (``bench/ceiling.py``)."""
    port = free_port()
    return start("ceiling", [sys.executable, "-m", "bench.ceiling", "--port", str(port)], "/hello", port=port)


def start_scim2_server(token: str) -> Server:
    """scim2-server 0.8.3 as shipped: its ``scim2-server`` command (wsgiref, one thread per request)."""
    port = free_port()
    command = [sys.executable, "-c", "from scim2_server.testserver.cli import main; main()",
               "--port", str(port), f"--bearer-token={token}"]
    return start("scim2-server", command, "/v2/ServiceProviderConfig", port=port, secret=token)


def start_scim2_server_asgi() -> Server:
    """scim2-server's own ASGI application on the emulator's uvicorn configuration (``bench/peer_asgi.py``)."""
    port = free_port()
    return start("scim2-server-asgi", [sys.executable, "-m", "bench.peer_asgi", "--port", str(port)],
                 "/v2/ServiceProviderConfig", port=port)


def start_all(stack: ExitStack, starters: dict[str, Callable[[], Server]]) -> dict[str, Server]:
    """Start several servers at once (start-up is mostly imports); each is stopped when ``stack`` closes, also when
    another one failed to start."""
    with ThreadPoolExecutor(len(starters)) as pool:
        futures = {name: pool.submit(starter) for name, starter in starters.items()}
    servers, failure = {}, None
    for name, future in futures.items():
        try:
            servers[name] = stack.enter_context(future.result())
        except Exception as exc:
            failure = failure or exc
    if failure is not None:
        raise failure
    return servers
