"""The suite's detection power: every emulator fault must be caught by one of the requirements it declares.

Each fault runs only the tests that name its requirement IDs (two runs at a time, in-memory store), so the
whole catalogue stays fast enough for CI; ``-m nightly`` runs every fault against the entire suite.
"""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.kill_rate import KillResult, faults, run_fault, suite_files_for, table

PARALLEL_RUNS = 2
MIN_FAULTS = 40


@pytest.fixture(scope="module")
def kill_results(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config,
                 suite_map: dict[str, list[str]]) -> dict[str, KillResult]:
    """Every fault's targeted run, two at a time; the table goes to the terminal and to kill-rate.txt."""
    workdir = tmp_path_factory.mktemp("kill-rate")
    with ThreadPoolExecutor(PARALLEL_RUNS) as pool:
        results = list(pool.map(lambda fault: run_fault(fault, workdir, suite_files_for(fault, suite_map)), faults()))
    text = table(results)
    (workdir / "kill-rate.txt").write_text(text + "\n")
    _show(pytestconfig, text)
    return {result.fault.name: result for result in results}


def _show(config: pytest.Config, text: str) -> None:
    """Print past pytest's output capture (the table is the point of this module)."""
    capture = config.pluginmanager.getplugin("capturemanager")
    reporter = config.pluginmanager.getplugin("terminalreporter")
    if reporter is None:
        return
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        reporter.write_line("")
        for line in text.splitlines():
            reporter.write_line(line)


def test_the_catalogue_holds_enough_faults():
    """Issue 6: at least 40 named faults, spread over every API family."""
    families = {fault.family for fault in faults()}
    assert (True, {"core", "acs", "directories", "scim", "legacy"}) == (len(faults()) >= MIN_FAULTS,
                                                                        families)


@pytest.mark.parametrize("fault_name", [fault.name for fault in faults()])
def test_fault_is_killed(kill_results, fault_name):
    """The targeted run fails on one of the fault's declared requirements (a fault nobody catches is a suite bug)."""
    result = kill_results[fault_name]
    assert (True, "") == (result.killed, result.problem if not result.killed else "")


@pytest.mark.nightly
@pytest.mark.parametrize("fault_name", [fault.name for fault in faults()])
def test_fault_is_killed_by_the_full_suite(tmp_path, fault_name):
    """Nightly: the whole suite, not just the targeted tests, fails on a declared requirement."""
    fault = next(f for f in faults() if f.name == fault_name)
    result = run_fault(fault, tmp_path, ["conformance/suite"], ("--only-requirements", "", "--maxfail=100000"))
    assert True == result.killed  # noqa: E712
