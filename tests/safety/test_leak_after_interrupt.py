"""Issue 8: a run that is interrupted (Ctrl-C), crashes (a killed xdist worker) or is killed outright leaves
nothing named with its prefix on the target once its own cleanup, or ``conformance cleanup --run-id ID``, ran.

Each test runs part of ``conformance/suite`` as a subprocess against an emulator started on its own (a tenant as
far as the suite knows), waits until the run has created resources, and then interrupts it."""

from __future__ import annotations

import json
import os
import re
import signal

import pytest

from conformance.housekeeping.ledger import read_ledger
from conformance.target.launcher import EmulatorProcess
from tests.support.safety import (
    Inspector,
    clean_environment,
    finish,
    run_cli,
    signal_group,
    start,
    suite_command,
    wait_until,
)

MIN_CREATED = 3
DELETE_GRACE_SECONDS = 6.0  # more than the emulator keeps a deleted directory "delete_in_progress"
CLEAN_LINE = "conformance leak check: no resource named ctk-{run_id}-*"
XDIST_FILES = ("test_scim_crud.py", "test_clients_crud.py", "test_directories_crud.py", "test_scim_okta.py")
REPLAYED = re.compile(r"\((\d+) removed from the ledgers")


def _interrupt_after_creation(emulator: EmulatorProcess, inspector: Inspector, run_id: str, tmp_path, signum: int,
                              *args: str) -> tuple[int, str]:
    """Run the suite, send ``signum`` to its process group once it has created resources, return (status, output)."""
    log = tmp_path / "suite.log"
    process = start(suite_command(emulator, run_id, *args, basetemp=tmp_path / "basetemp"),
                    clean_environment(emulator.client_secret), log)
    try:
        wait_until(lambda: len(inspector.leftovers(run_id)) >= MIN_CREATED, 90,
                   f"the run to create {MIN_CREATED} resources", process)
        signal_group(process, signum)
        status = finish(process)
    finally:
        signal_group(process, signal.SIGKILL)
    return status, log.read_text(errors="replace")


def test_ctrl_c_mid_run_leaves_nothing_behind(emulator, inspector, tmp_path):
    """SIGINT to the run's process group (what Ctrl-C does) after it created resources: pytest stops, tears the
    session down, the leak check says clean, and the target holds nothing with the prefix, not even a directory
    still being deleted once the target's grace period is over (the emulator's clock is moved past it)."""
    run_id = "sigint01"
    status, output = _interrupt_after_creation(emulator, inspector, run_id, tmp_path, signal.SIGINT)
    assert pytest.ExitCode.INTERRUPTED == status, output[-3000:]
    assert CLEAN_LINE.format(run_id=run_id) in output, output[-3000:]
    assert [] == inspector.leftovers(run_id)
    inspector.advance_clock(DELETE_GRACE_SECONDS)
    assert [] == [name for name in inspector.directory_names() if name.startswith(f"ctk-{run_id}-")]


def test_killed_run_is_removed_by_the_cleanup_command(emulator, inspector, tmp_path, victims):
    """SIGKILL of the whole run leaves resources behind (no cleanup can run); ``conformance cleanup --run-id``
    replays the run's ledger, removes the rest by prefix, and a second leak check is clean. Resources of nobody
    (or of another run) are untouched."""
    run_id = "sigkill1"
    before = victims.snapshot()
    status, _ = _interrupt_after_creation(emulator, inspector, run_id, tmp_path, signal.SIGKILL)
    assert -signal.SIGKILL == status
    residue = inspector.leftovers(run_id)
    assert len(residue) >= MIN_CREATED
    environment = clean_environment(emulator.client_secret)
    result = run_cli("cleanup", "--run-id", run_id, "--target", emulator.base_url, "--client-id", emulator.client_id,
                     "--ledger-dir", str(tmp_path / "basetemp"), env=environment)
    output = result.stdout + result.stderr
    assert 0 == result.returncode, output
    assert re.search(r"ledgers: [1-9]\d* found", output), output  # one per tracker that started before the kill
    assert "0 left on the target" in output
    assert [] == inspector.leftovers(run_id)
    assert emulator.client_secret not in output
    assert before == victims.snapshot()


def test_crashed_xdist_worker_is_cleaned_at_session_end(emulator, inspector, tmp_path):
    """A worker SIGKILLed mid-run never tears its session down; the controller replays its ledger at the end,
    after xdist replaced it and the other workers finished, and the leak check is clean."""
    run_id = "wkill001"
    basetemp = tmp_path / "basetemp"
    log = tmp_path / "suite.log"
    process = start(suite_command(emulator, run_id, "-n", "2", basetemp=basetemp, files=XDIST_FILES),
                    clean_environment(emulator.client_secret), log)
    ledger = basetemp / "popen-gw0" / f"ctk-{run_id}-ledger.jsonl"
    try:
        wait_until(lambda: ledger.exists() and len(read_ledger(ledger).pending) >= 2, 90,
                   "worker gw0 to hold two resources", process)
        os.kill(json.loads(ledger.read_text().splitlines()[0])["pid"], signal.SIGKILL)
        status = finish(process, timeout=180)
    finally:
        signal_group(process, signal.SIGKILL)
    output = log.read_text(errors="replace")
    assert "worker 'gw0' crashed" in output, output[-3000:]
    assert pytest.ExitCode.TESTS_FAILED == status, output[-3000:]  # the test gw0 was running is reported as crashed
    assert CLEAN_LINE.format(run_id=run_id) in output, output[-3000:]
    assert int(REPLAYED.search(output).group(1)) >= 2
    assert [] == inspector.leftovers(run_id)


@pytest.mark.nightly
def test_ctrl_c_under_xdist_leaves_nothing_behind(emulator, inspector, tmp_path):
    """Ctrl-C reaches the controller and both workers: every process stops, tears down, and nothing is left."""
    run_id = "sigintx2"
    status, output = _interrupt_after_creation(emulator, inspector, run_id, tmp_path, signal.SIGINT, "-n", "2")
    assert status in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.TESTS_FAILED), output[-3000:]
    assert CLEAN_LINE.format(run_id=run_id) in output, output[-3000:]
    assert [] == inspector.leftovers(run_id)
