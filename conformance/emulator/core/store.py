"""SQLite storage (stdlib sqlite3): one connection, serialised by a lock, WAL on disk.

Every family declares its tables as DDL (``CREATE TABLE IF NOT EXISTS ...``) and passes it to ``Store.migrate``.
All access goes through ``Store.tx()`` (a write transaction, ``BEGIN IMMEDIATE``) or ``Store.read()``; the lock
makes check-then-insert sequences atomic, so concurrent writers never break uniqueness.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

MEMORY = ":memory:"


class Store:
    """The emulator's database."""

    def __init__(self, path: str = MEMORY) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        if path != MEMORY:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL survives a killed process
        self._db.execute("PRAGMA foreign_keys=ON")

    def migrate(self, ddl: str) -> None:
        """Create a family's tables and indexes (idempotent DDL)."""
        with self._lock:
            self._db.executescript(ddl)

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed when the block ends, rolled back when it raises."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """Consistent reads under the lock (no transaction needed for a single statement)."""
        with self._lock:
            yield self._db

    def one(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        """The first row of a query, or None."""
        with self.read() as db:
            return db.execute(sql, params).fetchone()

    def all(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Every row of a query."""
        with self.read() as db:
            return db.execute(sql, params).fetchall()

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        with self._lock:
            self._db.close()


def dumps(value: Any) -> str:
    """JSON for a TEXT column."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def loads(text: str | None) -> Any:
    """The value of a JSON TEXT column (None stays None)."""
    return None if text is None else json.loads(text)
