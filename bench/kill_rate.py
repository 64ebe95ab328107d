"""Benchmark 6: wall time of the kill-rate meta-tests as CI runs them (``pytest tests/meta/test_kill_rate.py``).

The test prints a table (fault, family, tests, seconds, caught by); the bench reads it for the slowest faults and
the parallelism the two concurrent runs achieve (sum of the per-fault times / wall time). The peer measured in the
same run is pytest's fixed cost for the same file (``--collect-only``); when the suite benchmark ran in the same
invocation, the wall time is also compared with one default ``conformance run``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from bench.common import Bench, say
from bench.patched import patch_environment
from bench.procs import ROOT

NAME = "kill_rate"
TITLE = "Kill-rate meta-tests: `pytest tests/meta/test_kill_rate.py` wall time"
ROW = re.compile(r"^(\S+)\s+(core|acs|directories|scim|legacy)\s+(\d+)\s+([\d.]+)s\s+(.*)$", re.MULTILINE)
SMOKE_SELECTION = ("-k", "catalogue")


def _timed(command: list[str], patches: tuple[str, ...]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    env = {**os.environ, **patch_environment(patches)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, done


def run(bench: Bench) -> None:
    """Run the meta-tests once and report their time."""
    bench.section(TITLE + (" (smoke: the catalogue test only)" if bench.smoke else ""))
    command = [sys.executable, "-m", "pytest", "tests/meta/test_kill_rate.py", "-q", "-p", "no:cacheprovider"]
    collect, _ = _timed([*command, "--collect-only"], bench.patches)
    say(f"  pytest --collect-only of the same file: {collect:.1f} s")
    basetemp = bench.workdir / "kill-rate-tmp"
    wall, done = _timed([*command, "--basetemp", str(basetemp), *(SMOKE_SELECTION if bench.smoke else ())],
                        bench.patches)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    summary = next((line for line in reversed(lines) if " in " in line and ("passed" in line or "failed" in line)),
                   lines[-1] if lines else "no output")
    say(f"  wall {wall:.1f} s, exit {done.returncode}: {summary.strip('= ')}")
    tables = sorted(basetemp.glob("kill-rate*/kill-rate.txt"))  # the test's own copy of its table
    text = tables[-1].read_text() if tables else done.stdout
    lines += text.splitlines()
    rows = [(m[1], m[2], int(m[3]), float(m[4])) for m in ROW.finditer(text)]
    fault_seconds = sum(row[3] for row in rows)
    if rows:
        killed = next((line for line in lines if line.startswith("killed ")), "")
        say(f"  {len(rows)} faults, {sum(row[2] for row in rows)} targeted tests; {killed}")
        say("  slowest 10 faults:")
        for name, family, tests, seconds in sorted(rows, key=lambda row: -row[3])[:10]:
            say(f"    {seconds:6.1f} s  {name} ({family}, {tests} tests)")
        for line in (line for line in text.splitlines() if "NOT CAUGHT" in line):
            say(f"  {line}")
        bench.ratio("sum of per-fault run times / wall (parallelism)", fault_seconds, wall)
    elif done.returncode not in (0, 1):
        raise RuntimeError(f"the kill-rate tests did not run (exit {done.returncode}): {done.stdout[-600:]}")
    bench.ratio("wall / pytest --collect-only wall", wall, collect)
    suite_wall = bench.cache.get("suite", {}).get("default_wall")
    if suite_wall:
        bench.ratio("kill-rate wall / default `conformance run` wall", wall, suite_wall)
    bench.info("kill-rate wall time", f"{wall:.1f} s for {len(rows)} faults ({fault_seconds:.0f} s of fault runs), "
                                      f"exit {done.returncode}")
