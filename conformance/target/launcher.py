"""Start the kit's emulator as a separate process on a free loopback port (the suite talks HTTP only)."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import IO

import httpx

from conformance.errors import TargetUnavailable

READY_PATH = "/acs/.well-known/openid-configuration"


@dataclass(frozen=True)
class EmulatorProcess:
    """A running emulator: where it is and how to authenticate as its bootstrap admin client."""

    pid: int
    base_url: str
    fqdn: str
    client_id: str
    client_secret: str


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_emulator(
    faults: tuple[str, ...] = (), db: str = ":memory:", mime_phase: str = "transition", watch_pid: int | None = None,
    port: int | None = None,
) -> EmulatorProcess:
    """Launch ``python -m conformance.emulator`` with its control surface on, and wait until it answers.

    ``port`` reuses a known port (a restart on the same file keeps the issuer, so old tokens stay valid).
    """
    port, fqdn = port or free_port(), "127.0.0.1"
    client_id, client_secret = "ctk-bootstrap", secrets.token_urlsafe(24)
    command = [sys.executable, "-m", "conformance.emulator", "--host", fqdn, "--port", str(port), "--db", db,
               "--fqdn", fqdn, "--mime-phase", mime_phase, "--bootstrap-client-id", client_id, "--control"]
    for fault in faults:
        command += ["--fault", fault]
    env = dict(os.environ, CONFORMANCE_EMULATOR_BOOTSTRAP_SECRET=client_secret)
    if watch_pid:
        env["CONFORMANCE_EMULATOR_WATCH_PID"] = str(watch_pid)
    # A file, not a pipe: a chatty emulator must never block on a full pipe. It lives as long as the process.
    log = tempfile.TemporaryFile()  # noqa: SIM115
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base_url = f"http://{fqdn}:{port}"
    _wait_ready(process, base_url, log)
    return EmulatorProcess(process.pid, base_url, fqdn, client_id, client_secret)


def _wait_ready(process: subprocess.Popen[bytes], base_url: str, log: IO[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=1.0, trust_env=False) as http:  # one client: no TLS context built per poll
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log.seek(0)
                stderr = log.read().decode(errors="replace")
                raise TargetUnavailable(f"emulator exited with {process.returncode}: {stderr.strip()[-500:]}")
            try:
                if http.get(base_url + READY_PATH).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    process.kill()
    raise TargetUnavailable(f"emulator did not answer on {base_url} within {timeout:.0f}s")


def stop_emulator(pid: int) -> None:
    """Terminate an emulator started by ``start_emulator`` (idempotent)."""
    import signal

    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
