"""Read back the ledgers ``ResourceTracker`` writes, and delete what they still list.

A ledger belongs to one process of one run (its ``start`` line names the run prefix). What is still *pending*
is every ``add`` not followed by a ``forget`` or ``deleted`` of the same path: exactly what a crashed or
interrupted process created and did not remove. Replaying deletes only those paths, which the run itself
created; nothing else on the target is ever touched.
"""

from __future__ import annotations

import getpass
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from conformance.housekeeping.tracking import GONE_STATUSES, TrackedResource
from conformance.target.client import TargetClient

LEDGER_PATTERN = "ctk-*ledger.jsonl"


@dataclass
class Ledger:
    """One process's ledger: its run prefix and what it created and did not remove (in creation order)."""

    path: Path
    prefix: str = ""
    target: str | None = None
    pending: list[TrackedResource] = field(default_factory=list)

    def belongs_to(self, base_url: str) -> bool:
        """Written for the target at ``base_url`` (or by a tracker that did not say)."""
        return self.target is None or self.target.rstrip("/") == base_url.rstrip("/")


def read_ledger(path: Path) -> Ledger:
    """Parse one ledger; a torn last line (a process killed mid-write) is ignored."""
    ledger = Ledger(path)
    pending: dict[str, TrackedResource] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            line = json.loads(raw)
        except ValueError:
            continue
        event, delete_path = line.get("event"), str(line.get("delete_path", ""))
        if event == "start":
            ledger.prefix, ledger.target = str(line.get("prefix", "")), line.get("target") or None
        elif event == "add" or (event is None and delete_path):  # lines without an event: an older format
            pending[delete_path] = TrackedResource(str(line.get("kind", "")), delete_path)
        elif event in ("forget", "deleted"):
            pending.pop(delete_path, None)
    ledger.pending = list(pending.values())
    return ledger


def pytest_temp_root() -> Path:
    """Where pytest keeps its ``pytest-N`` base directories (``PYTEST_DEBUG_TEMPROOT`` or the system temp)."""
    root = os.environ.get("PYTEST_DEBUG_TEMPROOT") or tempfile.gettempdir()
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Path(root).resolve() / f"pytest-of-{user}"


def find_ledgers(root: Path, prefix: str | None = None) -> list[Ledger]:
    """Every ledger anywhere under ``root`` (of the run with ``prefix``, when given), oldest first."""
    return _parsed(root.rglob(LEDGER_PATTERN) if root.is_dir() else [], prefix)


def session_ledgers(basetemp: Path) -> list[Ledger]:
    """The ledgers of one pytest session: in its base temp directory (one process) and in each xdist worker's
    (``popen-gwN``), not deeper: a test that runs the suite itself keeps its child runs' ledgers further down."""
    return _parsed([*basetemp.glob(LEDGER_PATTERN), *basetemp.glob(f"popen-*/{LEDGER_PATTERN}")], None)


def _parsed(paths: Iterable[Path], prefix: str | None) -> list[Ledger]:
    ordered = sorted((p for p in paths if p.is_file()), key=lambda p: (p.stat().st_mtime, str(p)))
    ledgers = [read_ledger(path) for path in ordered]
    return [ledger for ledger in ledgers if ledger.prefix and (prefix is None or ledger.prefix == prefix)]


def replay(client: TargetClient, token: str, ledgers: list[Ledger]) -> list[TrackedResource]:
    """Delete every pending resource (newest first, twice for ones another was still using); return failures.
    Ledgers written for another target are skipped. ``TargetUnavailable`` propagates: against a target that is
    down, one failure says it all.
    """
    mine = [ledger for ledger in ledgers if ledger.belongs_to(client.target.base_url)]
    pending = [resource for ledger in reversed(mine) for resource in reversed(ledger.pending)]
    for _ in range(2):
        pending = [r for r in pending if client.delete(r.delete_path, token=token).status_code not in GONE_STATUSES]
        if not pending:
            break
    return pending
