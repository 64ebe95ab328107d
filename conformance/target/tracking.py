"""Live tenants are precious: every resource the suite creates is named with the run prefix and
registered here, and removed at the end of the session (success, failure or interrupt).

Registrations are also appended to a ledger file so a crashed worker's leftovers can be removed by the
controller or later by ``conformance cleanup --run-id ID``.
"""

from __future__ import annotations

import json
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


class ResourceTracker:
    """Registers created resources and deletes them in reverse creation order."""

    def __init__(self, prefix: str, ledger: Path | None = None) -> None:
        self.prefix = prefix
        self.ledger = ledger
        self._lock = threading.Lock()
        self._resources: list[TrackedResource] = []

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
            if self.ledger is not None:
                with self.ledger.open("a") as handle:
                    handle.write(json.dumps(resource.__dict__) + "\n")

    def forget(self, delete_path: str) -> None:
        """The test deleted it itself."""
        with self._lock:
            self._resources = [r for r in self._resources if r.delete_path != delete_path]

    def cleanup(self, client: TargetClient, token: str) -> list[TrackedResource]:
        """Delete everything still registered; return what could not be deleted."""
        with self._lock:
            pending, self._resources = list(reversed(self._resources)), []
        leftovers = []
        for resource in pending:
            try:
                status = client.delete(resource.delete_path, token=token).status_code
            except TargetUnavailable:
                status = 0
            if status not in GONE_STATUSES:
                leftovers.append(resource)
        return leftovers
