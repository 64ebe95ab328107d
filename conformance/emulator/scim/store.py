"""SCIM tables: Users and Groups (attributes as JSON TEXT, indexed columns for lookups), members as a join table.

Both resource tables share one layout: ``name_key`` is the unique comparison key (userName for Users, displayName
for Groups, lower-cased because both are caseExact=false), ``display_key`` and ``external_id`` serve filters,
``directory_id`` scopes sync tokens, ``seq`` gives the stable default order. ``created``/``last_modified``/``version``
are the resource's meta (the ETag is ``W/"<version>"``); ``deleted`` is only ever set by a fault.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterable
from typing import Any
from unicodedata import normalize

from conformance.emulator.scim.models import GROUPS, USERS, Kind, fold

DDL = """
CREATE TABLE IF NOT EXISTS scim_users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, directory_id TEXT,
    name_key TEXT NOT NULL UNIQUE, display_key TEXT, external_id TEXT,
    created TEXT NOT NULL, last_modified TEXT NOT NULL, version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0, resource TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS scim_users_directory ON scim_users(directory_id, seq);
CREATE INDEX IF NOT EXISTS scim_users_display ON scim_users(display_key);
CREATE INDEX IF NOT EXISTS scim_users_external ON scim_users(external_id);
CREATE TABLE IF NOT EXISTS scim_groups (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, directory_id TEXT,
    name_key TEXT NOT NULL UNIQUE, display_key TEXT, external_id TEXT,
    created TEXT NOT NULL, last_modified TEXT NOT NULL, version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0, resource TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS scim_groups_directory ON scim_groups(directory_id, seq);
CREATE INDEX IF NOT EXISTS scim_groups_external ON scim_groups(external_id);
CREATE TABLE IF NOT EXISTS scim_members (
    group_id TEXT NOT NULL, member_id TEXT NOT NULL, member_type TEXT NOT NULL, display TEXT,
    position INTEGER NOT NULL, PRIMARY KEY (group_id, member_id)
);
CREATE INDEX IF NOT EXISTS scim_members_member ON scim_members(member_id);
"""

Member = tuple[str, str, str | None]  # (member id, "User" | "Group", display)
CHUNK = 500


def new_id() -> str:
    """A fresh resource id (a UUID, as the spec's ``format: uuid`` says)."""
    return str(uuid.uuid4())


def stamp(now: float) -> str:
    """An RFC 3339 UTC timestamp with milliseconds (meta.created, meta.lastModified)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}Z"


def scope_sql(scope: str | None, alias: str = "", hint: bool = False) -> tuple[str, tuple[Any, ...]]:
    """The WHERE fragment limiting rows to a sync token's directory (nothing for admin tokens); ``hint`` keeps
    SQLite from using the directory index (``+column``) when a more selective index serves the query."""
    if scope is None:
        return "1", ()
    return f"{'+' if hint else ''}{alias}directory_id = ?", (scope,)


def get_row(db: sqlite3.Connection, kind: Kind, resource_id: str, scope: str | None) -> sqlite3.Row | None:
    """The row of a resource visible in ``scope``, or None."""
    where, params = scope_sql(scope)
    return db.execute(f"SELECT * FROM {kind.table} WHERE id = ? AND {where}",
                      (resource_id, *params)).fetchone()


def taken(db: sqlite3.Connection, kind: Kind, name_key: str, except_id: str | None = None) -> bool:
    """Is the unique name already used by another resource of the kind (anywhere in the tenant)?"""
    row = db.execute(f"SELECT id FROM {kind.table} WHERE name_key = ?", (name_key,)).fetchone()
    return row is not None and row["id"] != except_id


def insert(db: sqlite3.Connection, kind: Kind, fields: dict[str, Any]) -> None:
    """Insert a new resource row (``fields`` hold every column but seq and deleted)."""
    columns = ", ".join(fields)
    marks = ", ".join("?" for _ in fields)
    db.execute(f"INSERT INTO {kind.table} ({columns}) VALUES ({marks})", tuple(fields.values()))


def update(db: sqlite3.Connection, kind: Kind, resource_id: str, fields: dict[str, Any]) -> None:
    """Overwrite some columns of a resource row."""
    assignments = ", ".join(f"{column} = ?" for column in fields)
    db.execute(f"UPDATE {kind.table} SET {assignments} WHERE id = ?",
               (*fields.values(), resource_id))


def delete(db: sqlite3.Connection, kind: Kind, resource_id: str, soft: bool = False) -> None:
    """Remove a resource row (``soft``: only flag it, as the deleted-user-readable fault does)."""
    if soft:
        db.execute(f"UPDATE {kind.table} SET deleted = 1 WHERE id = ?", (resource_id,))
    else:
        db.execute(f"DELETE FROM {kind.table} WHERE id = ?", (resource_id,))


def columns(kind: Kind, name_key: str, attributes: dict[str, Any]) -> dict[str, Any]:
    """The indexed columns derived from a resource's attributes."""
    display, external = attributes.get("displayName"), attributes.get("externalId")
    return {"name_key": name_key, "display_key": fold(display) if isinstance(display, str) else None,
            "external_id": normalize("NFC", external) if isinstance(external, str) else None,
            "resource": json.dumps(attributes, separators=(",", ":"))}


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    """Id lists small enough for one ``IN (...)`` (SQLite limits the number of bound parameters)."""
    return (ids[start:start + CHUNK] for start in range(0, len(ids), CHUNK))


def members_of(db: sqlite3.Connection, group_ids: Iterable[str]) -> dict[str, list[sqlite3.Row]]:
    """group id -> its member rows, in the order they were added."""
    ids = list(group_ids)
    found: dict[str, list[sqlite3.Row]] = {group_id: [] for group_id in ids}
    for chunk in _chunks(ids):
        marks = ", ".join("?" for _ in chunk)
        for row in db.execute(f"SELECT * FROM scim_members WHERE group_id IN ({marks}) "
                              "ORDER BY group_id, position", chunk):
            found[row["group_id"]].append(row)
    return found


def groups_of(db: sqlite3.Connection, user_ids: Iterable[str], scope: str | None) -> dict[str, list[sqlite3.Row]]:
    """user id -> the groups (id, resource) that list it as a member, visible in ``scope``, in creation order."""
    ids = list(user_ids)
    found: dict[str, list[sqlite3.Row]] = {user_id: [] for user_id in ids}
    where, params = scope_sql(scope, "g.")
    for chunk in _chunks(ids):
        marks = ", ".join("?" for _ in chunk)
        query = (f"SELECT m.member_id, g.id, g.resource FROM scim_members m JOIN scim_groups g "
                 f"ON g.id = m.group_id WHERE m.member_id IN ({marks}) AND {where} ORDER BY g.seq")
        for row in db.execute(query, (*chunk, *params)):
            found[row["member_id"]].append(row)
    return found


def set_members(db: sqlite3.Connection, group_id: str, members: list[Member]) -> set[str]:
    """Replace a group's members; returns the ids whose membership changed (added or removed)."""
    before = {row["member_id"] for row in db.execute("SELECT member_id FROM scim_members WHERE group_id = ?",
                                                     (group_id,))}
    db.execute("DELETE FROM scim_members WHERE group_id = ?", (group_id,))
    db.executemany("INSERT OR IGNORE INTO scim_members (group_id, member_id, member_type, display, position) "
                   "VALUES (?, ?, ?, ?, ?)",
                   [(group_id, member_id, kind, display, n) for n, (member_id, kind, display) in enumerate(members)])
    return before ^ {member_id for member_id, _, _ in members}


def drop_member_everywhere(db: sqlite3.Connection, member_id: str) -> list[str]:
    """Remove a resource from every group's members; returns those groups' ids."""
    groups = [row["group_id"] for row in db.execute("SELECT group_id FROM scim_members WHERE member_id = ?",
                                                    (member_id,))]
    db.execute("DELETE FROM scim_members WHERE member_id = ?", (member_id,))
    return groups


def touch(db: sqlite3.Connection, kind: Kind, ids: Iterable[str], modified: str, bump: int = 1) -> None:
    """Mark resources whose derived representation changed (new version and lastModified)."""
    db.executemany(f"UPDATE {kind.table} SET version = version + ?, last_modified = ? WHERE id = ?",
                   [(bump, modified, resource_id) for resource_id in ids])


def purge_directory(db: sqlite3.Connection, directory_id: str, modified: str) -> None:
    """Delete a directory's Users and Groups and every membership that involved them; Groups elsewhere that
    lose members get a new version."""
    gone = ("SELECT id FROM scim_users WHERE directory_id = :d UNION ALL "
            "SELECT id FROM scim_groups WHERE directory_id = :d")
    params = {"d": directory_id, "now": modified}
    db.execute("UPDATE scim_groups SET version = version + 1, last_modified = :now WHERE directory_id IS NOT :d "
               f"AND id IN (SELECT group_id FROM scim_members WHERE member_id IN ({gone}))", params)
    db.execute(f"DELETE FROM scim_members WHERE member_id IN ({gone}) OR group_id IN ({gone})", params)
    for kind in (USERS, GROUPS):
        db.execute(f"DELETE FROM {kind.table} WHERE directory_id = :d", params)
