"""Live tenants are precious: every resource the suite creates is named with the run prefix and
registered here, and removed at the end of the session (success, failure or interrupt).

Every registration is also appended to a ledger file (JSON lines, flushed at once), so the leftovers of a
worker that crashed or was killed can be removed by the controller at the end of the session
(``conformance.plugin.cleanup``) or later by ``conformance cleanup --run-id ID``. A ledger starts with a
``start`` line naming the run prefix (and the target, when the tracker was told); then ``add`` (created),
``forget`` (the test deleted it itself) and ``deleted`` (the session's cleanup removed it) lines.
``conformance.housekeeping.ledger`` reads them back.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from conformance.errors import TargetUnavailable
from conformance.target.client import TargetClient

GONE_STATUSES = frozenset({200, 202, 204, 404, 410})


@dataclass(frozen=True)
class TrackedResource:
    """Something the run created, and how to delete it."""

    kind: str
    delete_path: str


def delete_status(client: TargetClient, token: str, resource: TrackedResource) -> int:
    """DELETE one resource; the status, or 0 when the target could not be reached."""
    try:
        return client.delete(resource.delete_path, token=token).status_code
    except TargetUnavailable:
        return 0


class ResourceTracker:
    """Registers created resources and deletes them in reverse creation order."""

    def __init__(self, prefix: str, ledger: Path | None = None, target: str | None = None) -> None:
        """``target`` (the base URL) in the ledger keeps a replay from ever sending its paths to another target."""
        self.prefix = prefix
        self.ledger = ledger
        self._lock = threading.Lock()
        self._resources: list[TrackedResource] = []
        self._write({"event": "start", "prefix": prefix, "target": target, "pid": os.getpid()})

    def name(self, kind: str, suffix: str = "") -> str:
        """A run-prefixed name for a new resource, e.g. ``ctk-1a2b3c4d-client-7``."""
        with self._lock:
            count = len(self._resources)
        return f"{self.prefix}{kind}-{count}{suffix}"

    def add(self, kind: str, delete_path: str) -> None:
        """Register a created resource for cleanup."""
        resource = TrackedResource(kind, delete_path)
        with self._lock:
            self._resources.append(resource)
        self._write({"event": "add", "kind": kind, "delete_path": delete_path})

    def forget(self, delete_path: str) -> None:
        """The test deleted it itself."""
        with self._lock:
            self._resources = [r for r in self._resources if r.delete_path != delete_path]
        self._write({"event": "forget", "delete_path": delete_path})

    @property
    def pending_count(self) -> int:
        """How many registered resources are still to be deleted."""
        with self._lock:
            return len(self._resources)

    def cleanup(self, client: TargetClient, token: str) -> list[TrackedResource]:
        """Delete everything still registered; return what could not be deleted."""
        with self._lock:
            pending, self._resources = list(reversed(self._resources)), []
        leftovers = []
        for resource in pending:
            if delete_status(client, token, resource) in GONE_STATUSES:
                self._write({"event": "deleted", "delete_path": resource.delete_path})
            else:
                leftovers.append(resource)
        return leftovers

    def _write(self, line: dict[str, object]) -> None:
        """Append one ledger line; O_APPEND and one write per line, so a killed process leaves whole lines."""
        if self.ledger is None:
            return
        data = (json.dumps(line) + "\n").encode()
        with self._lock:
            descriptor = os.open(self.ledger, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(descriptor, data)
            finally:
                os.close(descriptor)
