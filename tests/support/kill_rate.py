"""Runs the part of the suite that covers one fault's requirements against an emulator started with that fault.

A fault is *killed* when the run fails and at least one failure is a ``RequirementFailure`` of one of the
requirement IDs the fault declares (read from the ``results.jsonl`` the kit's reporting plugin writes).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from conformance.emulator.app import FAMILIES  # noqa: F401  (imports every family, so every fault is declared)
from conformance.emulator.core.faults import REGISTRY, Fault

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 300


@dataclass
class KillResult:
    """What one fault's targeted run showed."""

    fault: Fault
    tests_run: int = 0
    failed_requirements: set[str] = field(default_factory=set)
    seconds: float = 0.0
    problem: str = ""

    @property
    def caught_by(self) -> list[str]:
        """The declared requirements that failed."""
        return sorted(self.failed_requirements & set(self.fault.requirements))

    @property
    def killed(self) -> bool:
        """The suite noticed this fault through one of its declared requirements."""
        return bool(self.caught_by)


def faults() -> list[Fault]:
    """Every declared fault, by family and name."""
    return sorted(REGISTRY.values(), key=lambda f: (f.family, f.name))


def suite_files_for(fault: Fault, suite_map: dict[str, list[str]]) -> list[str]:
    """The suite files holding a test that names one of the fault's requirements (collecting less is faster)."""
    wanted = set(fault.requirements)
    return sorted({nodeid.split("::")[0] for nodeid, ids in suite_map.items() if wanted & set(ids)})


def run_fault(fault: Fault, workdir: Path, files: list[str], extra_args: tuple[str, ...] = ()) -> KillResult:
    """Run the tests naming the fault's requirements against an emulator with the fault switched on.

    Tracebacks are off and the run stops after a few failures: only *which* requirements failed matters here.
    """
    if not files:
        return KillResult(fault, problem="no test names any of its requirements")
    results = workdir / f"{fault.name}.jsonl"
    command = [sys.executable, "-m", "pytest", *files, "-q", "-n", "0", "-p", "no:randomly", "-p", "no:cacheprovider",
               "--tb=no", "--maxfail=20", "--emulator-fault", fault.name, "--conformance-results", str(results),
               "--only-requirements", ",".join(fault.requirements), *extra_args]
    started = time.monotonic()
    try:
        completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        return KillResult(fault, seconds=time.monotonic() - started, problem=f"timed out after {RUN_TIMEOUT}s")
    result = KillResult(fault, seconds=time.monotonic() - started)
    _read_results(result, results)
    if completed.returncode not in (0, 1):
        result.problem = f"pytest exit {completed.returncode}: {completed.stdout[-400:]}{completed.stderr[-400:]}"
    return result


def _read_results(result: KillResult, path: Path) -> None:
    if not path.exists():
        result.problem = "no results were written"
        return
    for line in path.read_text().splitlines():
        record = json.loads(line)
        if record.get("kind") != "test":
            continue
        result.tests_run += 1
        if record.get("outcome") == "failed" and record.get("failed_requirement"):
            result.failed_requirements.add(str(record["failed_requirement"]))


def table(results: list[KillResult]) -> str:
    """The fault -> caught-by -> time table and the kill-rate line."""
    lines = [f"{'fault':38} {'family':12} {'tests':>5} {'time':>6}  caught by"]
    for result in results:
        caught = ", ".join(result.caught_by) or f"NOT CAUGHT (failed: {sorted(result.failed_requirements)}) " \
                                                 f"{result.problem}"
        lines.append(f"{result.fault.name:38} {result.fault.family:12} {result.tests_run:>5} "
                     f"{result.seconds:>5.1f}s  {caught}")
    killed = sum(result.killed for result in results)
    lines.append(f"killed {killed} of {len(results)} faults")
    return "\n".join(lines)
