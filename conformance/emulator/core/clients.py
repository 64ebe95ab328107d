"""OAuth 2.0 client records, shared by token issuance (acs), authentication of bearer tokens and the admin API.

A client row keeps the vendor resource as JSON (``resource``) plus what the server needs privately: the hashed
primary and secondary secrets, the directory a sync client belongs to, and ``token_generation``: every token carries
the generation it was minted in (claim ``gen``), and ``revoke_all_tokens`` bumps it, which revokes every token issued
before (rule-set removal, directory credential regeneration).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from conformance.emulator.core.store import Store, dumps, loads

DDL = """
CREATE TABLE IF NOT EXISTS oauth2_clients (
    client_id TEXT PRIMARY KEY,
    resource TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    secondary_secret_hash TEXT,
    directory_id TEXT,
    token_generation INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS oauth2_clients_directory ON oauth2_clients(directory_id);
CREATE TABLE IF NOT EXISTS revoked_tokens (
    jti TEXT PRIMARY KEY,
    expires REAL NOT NULL
);
"""


def hash_secret(secret: str) -> str:
    """Salted HMAC-SHA256 of a secret (``salt$digest``); the plain secret is never stored."""
    salt = secrets.token_hex(16)
    return salt + "$" + hmac.new(salt.encode(), secret.encode(), hashlib.sha256).hexdigest()


def secret_matches(secret: str, stored: str | None) -> bool:
    """Constant-time comparison of a presented secret with a stored hash."""
    if not stored or "$" not in stored:
        return False
    salt, digest = stored.split("$", 1)
    candidate = hmac.new(salt.encode(), secret.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(candidate, digest)


@dataclass(frozen=True)
class ClientRecord:
    """One stored client."""

    client_id: str
    resource: dict[str, Any]
    secret_hash: str
    secondary_secret_hash: str | None
    directory_id: str | None
    token_generation: int

    def authenticates(self, secret: str) -> bool:
        """The presented secret is the primary or (during rotation) the secondary secret."""
        primary = secret_matches(secret, self.secret_hash)
        secondary = secret_matches(secret, self.secondary_secret_hash)
        return primary or secondary

    @property
    def rule_sets(self) -> frozenset[str]:
        """The client's ``rule_set_names``."""
        return frozenset(self.resource.get("rule_set_names") or ())


def _record(row: Any) -> ClientRecord:
    return ClientRecord(row["client_id"], loads(row["resource"]), row["secret_hash"], row["secondary_secret_hash"],
                        row["directory_id"], int(row["token_generation"]))


def get_client(store: Store, client_id: str) -> ClientRecord | None:
    """The client with this id, or None."""
    row = store.one("SELECT * FROM oauth2_clients WHERE client_id = ?", (client_id,))
    return _record(row) if row else None


def insert_client(db: Any, resource: dict[str, Any], secret: str, now: float,
                  directory_id: str | None = None) -> None:
    """Insert a client inside an open transaction (the caller checked uniqueness in the same transaction)."""
    # A fresh generation per incarnation: a client re-created under the same id never revives the old one's tokens.
    generation = secrets.randbelow(2**31)
    db.execute("INSERT INTO oauth2_clients (client_id, resource, secret_hash, directory_id, token_generation, created) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               (resource["client_id"], dumps(resource), hash_secret(secret), directory_id, generation, now))


def is_revoked(store: Store, jti: str) -> bool:
    """The token with this ``jti`` was revoked at /acs/revoke."""
    return store.one("SELECT 1 FROM revoked_tokens WHERE jti = ?", (jti,)) is not None


def revoke_all_tokens(db: Any, client_id: str) -> None:
    """Inside an open transaction: every token issued to the client so far stops working."""
    db.execute("UPDATE oauth2_clients SET token_generation = token_generation + 1 WHERE client_id = ?", (client_id,))
