"""Benchmark 5: the suite's own wall time -- the default ``conformance run`` against the emulator, its breakdown by
test module and its 10 slowest tests (from the run's JUnit XML), and the speed-up of pytest-xdist ``-n 2`` over
``-n 0`` (the peer measured in the same run). Target: the default run <= 90 s.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.common import Bench, say
from bench.patched import patch_environment
from bench.procs import ROOT

NAME = "suite"
TITLE = "Suite wall time: `conformance run` against the emulator, by module, slowest tests, xdist speed-up"
WALL_LIMIT_S = 90.0
SMOKE_SELECTION = ("-k", "scim_discovery")


@dataclass(frozen=True)
class SuiteRun:
    """One ``conformance run``: wall time, exit status, verdict line and the per-test times of its JUnit XML."""

    label: str
    wall: float
    status: int
    verdict: str
    tests: list[tuple[str, str, float]]  # (module, test, seconds)
    pytest_seconds: float

    @property
    def outcome(self) -> str:
        """Exit status and the verdict line."""
        return f"exit {self.status}, {self.verdict or 'no verdict line'}"


def conformance_run(bench: Bench, label: str, *flags: str) -> SuiteRun:
    """``conformance run`` (with ``flags``) into a fresh report directory; timed from launch to exit."""
    report_dir = bench.workdir / f"report-{label.replace(' ', '')}"
    selection = SMOKE_SELECTION if bench.smoke else ()
    command = [sys.executable, "-m", "conformance.cli", "run", "--report-dir", str(report_dir), *flags, *selection]
    started = time.perf_counter()
    env = {**os.environ, **patch_environment(bench.patches)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    verdict = next((line for line in done.stdout.splitlines() if "CONFORMANT" in line or "INCOMPLETE" in line), "")
    tests, pytest_seconds = _junit(report_dir / "junit.xml")
    if not tests:
        raise RuntimeError(f"`conformance run {' '.join(flags)}` ran no test (exit {done.returncode}): "
                           f"{(done.stdout + done.stderr)[-600:]}")
    run = SuiteRun(label, wall, done.returncode, verdict, tests, pytest_seconds)
    say(f"  {label:<24} {wall:6.1f} s wall, pytest {pytest_seconds:6.1f} s, {len(tests)} tests ({run.outcome})")
    return run


def _junit(path: Path) -> tuple[list[tuple[str, str, float]], float]:
    if not path.exists():
        return [], 0.0
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = []
    for case in root.iter("testcase"):
        classname = case.get("classname", "")
        module = next((part for part in classname.split(".") if part.startswith("test_")), classname)
        tests.append((module, case.get("name", ""), float(case.get("time", 0) or 0)))
    return tests, sum(float(suite.get("time", 0) or 0) for suite in suites)


def run(bench: Bench) -> None:
    """The default run with its breakdown, then -n 0 and -n 2 for the speed-up (smoke: the default run stands in
    for both, so the harness is exercised with one pytest session of the kit instead of three)."""
    bench.section(TITLE + (" (smoke: the SCIM discovery tests)" if bench.smoke else ""))
    default = conformance_run(bench, "default")
    _breakdown(default)
    serial_run = default if bench.smoke else conformance_run(bench, "-n 0", "-n", "0")
    parallel = default if bench.smoke else conformance_run(bench, "-n 2", "-n", "2")
    speedup = bench.ratio("xdist speed-up, wall -n 0 / wall -n 2", serial_run.wall, parallel.wall)
    bench.ratio("default run wall / target", default.wall, WALL_LIMIT_S, percent=True)
    bench.target("suite wall time", default.wall <= WALL_LIMIT_S,
                 f"`conformance run` {default.wall:.1f} s for {len(default.tests)} tests ({default.outcome}) "
                 f"(target <= {WALL_LIMIT_S:.0f} s)")
    bench.info("suite xdist speed-up", f"-n 0 {serial_run.wall:.1f} s, -n 2 {parallel.wall:.1f} s = {speedup:.2f}x")
    cache: dict[str, float] = bench.cache.setdefault("suite", {})
    cache["default_wall"] = default.wall


def _breakdown(suite_run: SuiteRun) -> None:
    modules: dict[str, list[float]] = defaultdict(list)
    for module, _, seconds in suite_run.tests:
        modules[module].append(seconds)
    total = sum(seconds for _, _, seconds in suite_run.tests)
    say(f"  by module (test time incl. setup/teardown; sum {total:.1f} s, pytest {suite_run.pytest_seconds:.1f} s, "
        f"wall {suite_run.wall:.1f} s):")
    for module, times in sorted(modules.items(), key=lambda item: -sum(item[1])):
        say(f"    {module:<40} {sum(times):6.1f} s  {len(times):4d} tests")
    say("  slowest 10 tests:")
    for module, name, seconds in sorted(suite_run.tests, key=lambda test: -test[2])[:10]:
        say(f"    {seconds:6.2f} s  {module}::{name}")
