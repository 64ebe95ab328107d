"""``conformance emulator``: the fault catalogue, and one clear line for bad flags or a busy port."""

from __future__ import annotations

import socket
import subprocess
import sys


def _emulator(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "conformance.emulator", *args], capture_output=True, text=True,
                          timeout=60)


def test_list_faults_prints_the_catalogue():
    """--list-faults lists every declared fault with its requirement IDs and exits 0."""
    completed = _emulator("--list-faults")
    assert (0, True) == (completed.returncode, "host-check-off" in completed.stdout)


def test_bad_flag_is_one_line_and_exit_2():
    """An unknown MIME phase is refused by argparse in one line."""
    completed = _emulator("--mime-phase", "sideways")
    assert (2, 1) == (completed.returncode, len(completed.stderr.strip().splitlines()))


def test_busy_port_is_one_line_and_exit_2():
    """A port somebody else listens on gives one line naming it, no stack trace."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        completed = _emulator("--port", str(port), "--db", ":memory:")
    assert (2, 1, True) == (completed.returncode, len(completed.stderr.strip().splitlines()),
                            f"127.0.0.1:{port}" in completed.stderr)


def test_unknown_fault_is_one_line_and_exit_2():
    """--fault with an undeclared name is a configuration error, not a crash."""
    completed = _emulator("--fault", "no-such-fault", "--db", ":memory:", "--port", "0")
    assert (2, 1) == (completed.returncode, len(completed.stderr.strip().splitlines()))
