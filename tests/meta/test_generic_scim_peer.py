"""The generic-scim profile runs clean against an independent RFC 7643/7644 server (scim2-server 0.8.3).

If the suite failed there, either scim2-server breaks the RFC or one of our tests demands more than the RFC;
the RFC decides, and a test that over-reaches is fixed, not the peer.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conformance.target.launcher import free_port

ROOT = Path(__file__).resolve().parents[2]
MIN_PASSED = 60  # the RFC tests of conformance/suite; fewer means tests were skipped or lost
SUMMARY = re.compile(r"(\d+) (passed|failed|errors?|skipped)")

pytestmark = pytest.mark.network


def _scim2_server_command() -> str:
    local = Path(sys.executable).with_name("scim2-server")
    found = str(local) if local.exists() else shutil.which("scim2-server")
    if not found:
        pytest.skip("scim2-server (the RFC peer, extra 'test') is not installed")
    return found


def _wait_until_serving(process: subprocess.Popen[bytes], base: str, token: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"scim2-server exited with {process.returncode}")
        try:
            response = httpx.get(f"{base}/ServiceProviderConfig", headers={"Authorization": f"Bearer {token}"})
            if response.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"scim2-server did not answer on {base} within {timeout:.0f}s")


@pytest.fixture(scope="module")
def peer() -> Iterator[tuple[str, str]]:
    """``(scim_base, bearer_token)`` of a scim2-server on a free loopback port, stopped afterwards."""
    port, token = free_port(), secrets.token_urlsafe(16)
    command = [_scim2_server_command(), "--hostname", "127.0.0.1", "--port", str(port), "--bearer-token", token]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/v2"
        _wait_until_serving(process, base, token)
        yield base, token
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_suite_passes_against_scim2_server(peer: tuple[str, str]) -> None:
    """``pytest conformance/suite --profile generic-scim`` against scim2-server exits 0 with every RFC test run."""
    base, token = peer
    command = [sys.executable, "-m", "pytest", "conformance/suite", "-q", "-p", "no:cacheprovider", "-n", "0",
               "-p", "no:randomly", "--profile", "generic-scim", "--scim-base", base]
    env = {**os.environ, "CONFORMANCE_BEARER_TOKEN": token}
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    tail = completed.stdout[-4000:] + completed.stderr[-2000:]
    assert 0 == completed.returncode, tail
    counts = {kind.rstrip("s"): int(number) for number, kind in SUMMARY.findall(completed.stdout.splitlines()[-1])}
    assert counts.get("passed", 0) >= MIN_PASSED, tail
