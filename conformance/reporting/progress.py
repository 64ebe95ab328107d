"""Run pytest as a child process: its output goes (redacted) to ``pytest.log``; the user sees progress.

On a terminal a rich progress bar follows ``results.jsonl`` as tests finish; in CI (``CI`` set, or output
not a terminal) the run stays quiet: one line when it starts and one line per failed test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from conformance.redaction import REDACTOR

POLL_SECONDS = 0.25
LOG_FILE = "pytest.log"


def interactive() -> bool:
    """Rich progress only for a person at a terminal, never in CI."""
    return sys.stdout.isatty() and not os.environ.get("CI")


class ResultsTail:
    """Reads the complete lines appended to ``results.jsonl`` since the last poll."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0

    def poll(self) -> list[dict[str, Any]]:
        """New lines, parsed; a partly written last line waits for the next poll."""
        if not self.path.exists():
            return []
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            chunk = handle.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]
        self.offset += len(complete)
        return [json.loads(line) for line in complete.decode("utf-8").splitlines() if line.strip()]


class Display(Protocol):
    """Shows the lines of ``results.jsonl`` as they arrive."""

    def show(self, line: dict[str, Any]) -> None:
        """Account for one line."""


class PlainDisplay:
    """CI: one line per failed or errored test."""

    def show(self, line: dict[str, Any]) -> None:
        """Print failures only."""
        if line.get("kind") == "test" and line.get("outcome") in ("failed", "error"):
            rid = line.get("failed_requirement") or " ".join(line.get("requirements", [])) or "-"
            print(f"{line['outcome'].upper():6} {rid}  {line['nodeid']}", flush=True)


class RichDisplay:
    """Terminal: a progress bar with pass/fail counts."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task = progress.add_task("collecting", total=None)
        self.counts = {"passed": 0, "failed": 0, "skipped": 0, "error": 0}
        self.total: int | None = None

    def show(self, line: dict[str, Any]) -> None:
        """Advance the bar and refresh the counts."""
        if line.get("kind") == "collected":
            self.total = int(line["count"])
            self.progress.update(self.task, total=self.total)
        elif line.get("kind") == "test":
            self.counts[line.get("outcome", "error")] = self.counts.get(line.get("outcome", "error"), 0) + 1
            done = sum(self.counts.values())
            if self.total is not None and done > self.total:
                self.total = done  # schemathesis adds one sub-test per API operation to the collected items
            summary = "  ".join(f"{n} {k}" for k, n in self.counts.items() if n)
            self.progress.update(self.task, completed=done, total=self.total, description=summary)


@contextmanager
def display_for(run_interactively: bool) -> Iterator[Display]:
    """A rich display on a terminal, the plain one otherwise."""
    if not run_interactively:
        yield PlainDisplay()
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=False), transient=False) as progress:
        yield RichDisplay(progress)


def _copy_output(process: subprocess.Popen[str], log: Path) -> None:
    with log.open("w", encoding="utf-8") as out:
        assert process.stdout is not None
        for line in process.stdout:
            out.write(REDACTOR.text(line))


def run_pytest(argv: list[str], env: dict[str, str], report_dir: Path, results: Path) -> int:
    """Run pytest, follow its results, return its exit status."""
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True,
                               errors="replace")
    copier = threading.Thread(target=_copy_output, args=(process, report_dir / LOG_FILE), daemon=True)
    copier.start()
    tail = ResultsTail(results)
    try:
        with display_for(interactive()) as display:
            while process.poll() is None:
                _show_all(display, tail)
                time.sleep(POLL_SECONDS)
            _show_all(display, tail)
    except KeyboardInterrupt:
        process.wait(timeout=60)  # pytest got the same SIGINT and cleans up what it created
        raise
    copier.join(timeout=10)
    return int(process.returncode)


def _show_all(display: Display, tail: ResultsTail) -> None:
    for line in tail.poll():
        display.show(line)


def log_tail(report_dir: Path, lines: int = 15) -> str:
    """The last lines of ``pytest.log`` (already redacted), to explain a tool error."""
    log = report_dir / LOG_FILE
    if not log.exists():
        return ""
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
