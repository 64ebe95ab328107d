"""The ``directories`` table: IDS directories (PROVISIONED by SCIM, or others) and their domains.

Other families read directories through ``get_directory`` and ``directory_for_domain`` (SCIM places a user in the
sync token's directory or the one owning the userName's domain). Domains are stored lower-cased in their own table,
unique across the tenant. Names are unique too, compared case-insensitively (``name_key``).

Deletion is asynchronous, as the vendor's 202 says: ``mark_deleting`` flags the directory (``delete_in_progress``)
and sets ``delete_after``; ``purge`` removes it once the emulator clock passes that moment. A directory being deleted
is already gone for other families (``get_directory`` and ``directory_for_domain`` return None), while its name and
domains stay taken until the purge.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from conformance.emulator.core.store import Store, dumps, loads

DELETE_GRACE_SECONDS = 5.0

DDL = """
CREATE TABLE IF NOT EXISTS directories (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    type TEXT NOT NULL,
    resource TEXT NOT NULL,
    created REAL NOT NULL,
    delete_after REAL
);
CREATE INDEX IF NOT EXISTS directories_name_key ON directories(name_key);
CREATE TABLE IF NOT EXISTS directory_domains (
    domain TEXT PRIMARY KEY,
    directory_id TEXT NOT NULL REFERENCES directories(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS directory_domains_directory ON directory_domains(directory_id);
"""


def get_directory(store: Store, directory_id: str) -> dict[str, Any] | None:
    """The directory resource (vendor fields: id, name, domains, type, ...), or None (also while being deleted)."""
    row = store.one("SELECT resource FROM directories WHERE id = ? AND delete_after IS NULL", (directory_id,))
    return loads(row["resource"]) if row else None


def directory_for_domain(store: Store, domain: str) -> dict[str, Any] | None:
    """The directory that owns ``domain`` (case-insensitive), or None."""
    row = store.one("SELECT d.resource FROM directories d JOIN directory_domains m ON m.directory_id = d.id "
                    "WHERE m.domain = ? AND d.delete_after IS NULL", (domain.lower(),))
    return loads(row["resource"]) if row else None


def name_key(name: str) -> str:
    """The case-insensitive comparison key of a directory name."""
    return name.casefold()


def load(db: sqlite3.Connection, directory_id: str) -> tuple[dict[str, Any], float | None] | None:
    """Inside a transaction: the stored resource and its ``delete_after`` (None unless being deleted), or None."""
    row = db.execute("SELECT resource, delete_after FROM directories WHERE id = ?", (directory_id,)).fetchone()
    return (loads(row["resource"]), row["delete_after"]) if row else None


def all_directories(db: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every directory, oldest first."""
    rows = db.execute("SELECT resource FROM directories ORDER BY created, id").fetchall()
    return [loads(row["resource"]) for row in rows]


def name_taken(db: sqlite3.Connection, name: str, exclude_id: str | None = None) -> bool:
    """Another directory (not ``exclude_id``) already has this name, ignoring case."""
    row = db.execute("SELECT 1 FROM directories WHERE name_key = ? AND id IS NOT ?", (name_key(name), exclude_id))
    return row.fetchone() is not None


def taken_domain(db: sqlite3.Connection, domains: list[str], exclude_id: str | None = None) -> str | None:
    """The first of ``domains`` another directory (not ``exclude_id``) owns, or None."""
    for domain in domains:
        row = db.execute("SELECT 1 FROM directory_domains WHERE domain = ? AND directory_id IS NOT ?",
                         (domain.lower(), exclude_id)).fetchone()
        if row is not None:
            return domain
    return None


def insert_directory(db: sqlite3.Connection, resource: dict[str, Any], now: float) -> None:
    """Inside a transaction whose caller checked name and domains: store a new directory and its domains."""
    db.execute("INSERT INTO directories (id, name, name_key, type, resource, created) VALUES (?, ?, ?, ?, ?, ?)",
               (resource["id"], resource["name"], name_key(resource["name"]), resource["type"], dumps(resource), now))
    _insert_domains(db, resource["id"], resource.get("domains") or [])


def update_directory(db: sqlite3.Connection, resource: dict[str, Any]) -> None:
    """Inside a transaction whose caller checked name and domains: replace a directory's resource and domains."""
    db.execute("UPDATE directories SET name = ?, name_key = ?, resource = ? WHERE id = ?",
               (resource["name"], name_key(resource["name"]), dumps(resource), resource["id"]))
    db.execute("DELETE FROM directory_domains WHERE directory_id = ?", (resource["id"],))
    _insert_domains(db, resource["id"], resource.get("domains") or [])


def _insert_domains(db: sqlite3.Connection, directory_id: str, domains: list[str]) -> None:
    db.executemany("INSERT INTO directory_domains (domain, directory_id) VALUES (?, ?)",
                   [(domain.lower(), directory_id) for domain in domains])


def mark_deleting(db: sqlite3.Connection, resource: dict[str, Any], now: float) -> None:
    """Flag the directory ``delete_in_progress``; ``purge`` removes it after the grace period."""
    flagged = {**resource, "delete_in_progress": True}
    db.execute("UPDATE directories SET resource = ?, delete_after = ? WHERE id = ?",
               (dumps(flagged), now + DELETE_GRACE_SECONDS, resource["id"]))


def purge(store: Store, now: float) -> None:
    """Remove, in a transaction of its own, the directories whose deletion grace period is over (with their
    domains). Handlers call it first, so a failing request cannot roll it back."""
    due = "SELECT id FROM directories WHERE delete_after IS NOT NULL AND delete_after <= ?"
    if store.one(due, (now,)) is None:
        return
    with store.tx() as db:
        for (directory_id,) in db.execute(due, (now,)).fetchall():
            try:
                db.execute("DELETE FROM directories WHERE id = ?", (directory_id,))
            except sqlite3.IntegrityError:  # another family still references it: try again on the next purge
                continue
