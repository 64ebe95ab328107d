"""Large user populations written straight through the emulator's own SCIM store functions (no HTTP).

The bench may import the emulator (the suite may not). Each user takes the path ``POST /Users`` takes after
authentication: ``models.resource_payload`` + ``models.validate`` (scim2-models, creation context),
``models.stored``, ``writes.name_key``, ``store.columns`` and ``store.insert`` -- only batched, 1000 users per
transaction, as a seeding tool would. The directory owning the users' domain is created with the directories
family's ``insert_directory`` and ``sync.create_sync_client``, as ``POST /usergroup/broker/directories`` does.
A database is seeded once per size and run, then shared by the benchmarks that need it.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import scim2_models as sm

from bench.common import Bench
from bench.users import DOMAIN, payload
from conformance.emulator.app import build_context
from conformance.emulator.directories import store as directories
from conformance.emulator.directories import sync
from conformance.emulator.scim import store as rows
from conformance.emulator.scim.models import USERS, resource_payload, stored, validate
from conformance.emulator.scim.writes import name_key
from conformance.emulator.settings import Settings

BATCH = 1000


@dataclass(frozen=True)
class Dataset:
    """A seeded emulator database and what seeding it cost."""

    path: Path
    users: int
    seconds: float
    validate_seconds: float  # of which scim2-models validation and serialisation

    @property
    def rate(self) -> float:
        """Users per second."""
        return self.users / self.seconds if self.seconds else float("nan")


def dataset(bench: Bench, users: int) -> Dataset:
    """The database holding ``users`` users (seeded now unless this run already did)."""
    cache: dict[int, Dataset] = bench.cache.setdefault("datasets", {})
    if users not in cache:
        cache[users] = seed_store(bench.workdir / f"users-{users}.sqlite3", users, bench.secret)
    return cache[users]


def seed_store(path: Path, users: int, secret: str) -> Dataset:
    """Create the emulator's tables, its bootstrap client (with ``secret``), a directory, and ``users`` users."""
    ctx = build_context(Settings(db=str(path), fqdn="127.0.0.1", bootstrap_client_secret=secret))
    try:
        directory_id = str(uuid.uuid4())
        with ctx.store.tx() as db:
            resource = {"id": directory_id, "name": "bench", "domains": [DOMAIN], "type": "PROVISIONED",
                        "delete_in_progress": False, "source": "GENERIC"}
            directories.insert_directory(db, resource, ctx.clock.now())
            sync.create_sync_client(db, directory_id, ctx.clock.now())
        started, validating = time.perf_counter(), 0.0
        for first in range(0, users, BATCH):
            with ctx.store.tx() as db:
                for n in range(first, min(first + BATCH, users)):
                    t0 = time.perf_counter()
                    model = validate(USERS, resource_payload(USERS, payload(n)), sm.Context.RESOURCE_CREATION_REQUEST)
                    attributes = stored(model)
                    validating += time.perf_counter() - t0
                    now = rows.stamp(ctx.clock.now())
                    key = name_key(ctx, USERS, str(model.user_name))
                    rows.insert(db, USERS, {"id": rows.new_id(), "directory_id": directory_id,
                                            **rows.columns(USERS, key, attributes), "created": now,
                                            "last_modified": now, "version": 1})
        seconds = time.perf_counter() - started
    finally:
        ctx.store.close()
    return Dataset(path, users, seconds, validating)
