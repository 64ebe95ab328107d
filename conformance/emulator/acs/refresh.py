"""Refresh tokens: opaque, stored only as a SHA-256 digest, bound to one client and its token generation.

A refresh token lives ``refresh_token_ttl`` minutes from issue and dies earlier when unused for
``refresh_token_idle_ttl`` minutes (S1 BrokerOAuth2ClientMedia). ``revoke_all_tokens`` (rule-set removal, credential
regeneration) kills them through the generation, deleting the client deletes them. Revoking one (RFC 7009 §2.1:
"the authorization server SHOULD also invalidate all access tokens based on the same authorization grant") also
revokes the access tokens issued with it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from conformance.emulator.acs.resource import refresh_ttls
from conformance.emulator.core.clients import ClientRecord
from conformance.emulator.core.context import Context

DDL = """
CREATE TABLE IF NOT EXISTS acs_refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES oauth2_clients(client_id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    generation INTEGER NOT NULL,
    expires REAL NOT NULL,
    idle_seconds REAL NOT NULL,
    last_used REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS acs_refresh_tokens_client ON acs_refresh_tokens(client_id);
CREATE TABLE IF NOT EXISTS acs_refresh_access (
    jti TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL REFERENCES acs_refresh_tokens(token_hash) ON DELETE CASCADE,
    expires REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS acs_refresh_access_token ON acs_refresh_access(token_hash);
"""


@dataclass(frozen=True)
class Grant:
    """A live refresh token."""

    token_hash: str
    scopes: list[str]


def digest(token: str) -> str:
    """The stored form of a refresh token (256 random bits need no salt)."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue(ctx: Context, client: ClientRecord, scopes: list[str], claims: dict[str, Any]) -> str:
    """A new refresh token for ``client``, linked to the access token with ``claims``."""
    token = secrets.token_hex(32)
    ttl, idle = refresh_ttls(client)
    now = ctx.clock.now()
    with ctx.store.tx() as db:
        db.execute("INSERT INTO acs_refresh_tokens VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (digest(token), client.client_id, " ".join(scopes), client.token_generation, now + ttl * 60,
                    idle * 60, now))
        _link(db, digest(token), claims)
    return token


def redeem(ctx: Context, client: ClientRecord, token: str) -> Grant | None:
    """The live grant behind ``token`` for this client (its idle clock restarts), or None."""
    now = ctx.clock.now()
    with ctx.store.tx() as db:
        row = db.execute("SELECT * FROM acs_refresh_tokens WHERE token_hash = ?", (digest(token),)).fetchone()
        if row is None or row["client_id"] != client.client_id:
            return None
        if row["generation"] != client.token_generation or now >= min(row["expires"],
                                                                       row["last_used"] + row["idle_seconds"]):
            db.execute("DELETE FROM acs_refresh_tokens WHERE token_hash = ?", (row["token_hash"],))
            return None
        db.execute("UPDATE acs_refresh_tokens SET last_used = ? WHERE token_hash = ?", (now, row["token_hash"]))
    return Grant(row["token_hash"], str(row["scope"]).split())


def link(ctx: Context, grant: Grant, claims: dict[str, Any]) -> None:
    """Remember that an access token was issued with this refresh token."""
    with ctx.store.tx() as db:
        _link(db, grant.token_hash, claims)


def _link(db: Any, token_hash: str, claims: dict[str, Any]) -> None:
    db.execute("INSERT INTO acs_refresh_access VALUES (?, ?, ?)", (claims["jti"], token_hash, claims["exp"]))


def revoke(ctx: Context, client: ClientRecord, token: str) -> str:
    """Revoke a refresh token and its access tokens: ``revoked``, ``foreign`` (another client's) or ``unknown``."""
    with ctx.store.tx() as db:
        row = db.execute("SELECT client_id FROM acs_refresh_tokens WHERE token_hash = ?", (digest(token),)).fetchone()
        if row is None:
            return "unknown"
        if row["client_id"] != client.client_id:
            return "foreign"
        db.execute("INSERT OR IGNORE INTO revoked_tokens (jti, expires) SELECT jti, expires FROM acs_refresh_access "
                   "WHERE token_hash = ?", (digest(token),))
        db.execute("DELETE FROM acs_refresh_tokens WHERE token_hash = ?", (digest(token),))
    return "revoked"
