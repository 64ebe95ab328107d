"""Tables of the legacy family: directories (types Other and JIT), SCIM 1.1 users and groups, and the legacy-only
fields of OAuth 2.0 clients (the clients themselves live in the core ``oauth2_clients`` table).

Legacy directories are not the IDS ``directories``: they are the Access ``directoryconfigs``. A domain belongs to
at most one legacy directory (seed 003: "Make sure that your domain is unique within your tenant"), so
``legacy_directory_domains`` keys on the lower-cased domain. Deleting a directory deletes its users and their
group memberships (foreign keys with ON DELETE CASCADE).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

DDL = """
CREATE TABLE IF NOT EXISTS legacy_directories (
    directory_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    userstore_id TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS legacy_directory_domains (
    domain_key TEXT PRIMARY KEY,
    domain TEXT NOT NULL,
    position INTEGER NOT NULL,
    directory_id TEXT NOT NULL REFERENCES legacy_directories(directory_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS legacy_directory_domains_directory ON legacy_directory_domains(directory_id);
CREATE TABLE IF NOT EXISTS legacy_users (
    id TEXT PRIMARY KEY,
    directory_id TEXT REFERENCES legacy_directories(directory_id) ON DELETE CASCADE,
    user_key TEXT NOT NULL UNIQUE,
    external_id TEXT,
    resource TEXT NOT NULL,
    created REAL NOT NULL,
    modified REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS legacy_users_directory ON legacy_users(directory_id);
CREATE INDEX IF NOT EXISTS legacy_users_external_id ON legacy_users(external_id);
CREATE TABLE IF NOT EXISTS legacy_groups (
    id TEXT PRIMARY KEY,
    display_key TEXT NOT NULL UNIQUE,
    resource TEXT NOT NULL,
    created REAL NOT NULL,
    modified REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS legacy_group_members (
    group_id TEXT NOT NULL REFERENCES legacy_groups(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES legacy_users(id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX IF NOT EXISTS legacy_group_members_user ON legacy_group_members(user_id);
CREATE TABLE IF NOT EXISTS legacy_client_fields (
    client_id TEXT PRIMARY KEY REFERENCES oauth2_clients(client_id) ON DELETE CASCADE,
    fields TEXT NOT NULL
);
"""


def timestamp(epoch: float) -> str:
    """ISO 8601 UTC with milliseconds, as in seed 004 (``2014-11-20T05:54:34.895Z``)."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def etag(resource: dict[str, Any]) -> str:
    """A weak entity tag of a resource's content (seed 004: ``W/"f250dd84f0671c3"``)."""
    content = {key: value for key, value in resource.items() if key != "meta"}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:15]
    return f'W/"{digest}"'
