"""Directory sync clients: ``/usergroup/broker/directories/{id}/sync-client`` (GET configuration, POST
``?action=generate_credentials``).

Every directory gets one sync client when it is created: a row of the core ``oauth2_clients`` table with
``directory_id`` set (grant client_credentials, scope ``scim``, no rule set, ``access_token_ttl`` = token_ttl
minutes), plus its configuration here. Generating credentials replaces the secret and bumps the client's token
generation, so every earlier secret and token stops working (vendor: "returning the new credentials and invalidating
the previous ones"). ``generate_token: true`` answers a token valid ``token_ttl`` minutes; ``false`` answers
``client_id`` + ``client_secret`` for ``/acs/token``. The secret is never stored in clear and never read back.
"""

from __future__ import annotations

import secrets
import sqlite3
import string
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.emulator.core.calls import Call, admin_call
from conformance.emulator.core.clients import hash_secret, insert_client, revoke_all_tokens
from conformance.emulator.core.context import Context
from conformance.emulator.core.errors import AdminError
from conformance.emulator.core.store import dumps
from conformance.emulator.core.tokens import Principal, mint
from conformance.emulator.directories import faults
from conformance.emulator.directories.errors import fail, invalid, json_object, links
from conformance.emulator.directories.validate import directory_id

DDL = """
CREATE TABLE IF NOT EXISTS directory_sync_clients (
    directory_id TEXT PRIMARY KEY REFERENCES directories(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL UNIQUE,
    generate_token INTEGER NOT NULL,
    token_ttl INTEGER NOT NULL,
    token_expires REAL
);
"""
SCOPES = ["scim"]
DEFAULT_TTL_MINUTES = 262800  # six months
MAX_TTL_MINUTES = 1051200
ACTION = "generate_credentials"
_ALPHANUMERIC = string.ascii_letters + string.digits


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(length))


def _client_resource(client_id: str, token_ttl: int) -> dict[str, Any]:
    return {"client_id": client_id, "grant_types": ["client_credentials"], "scope": SCOPES, "rule_set_names": [],
            "access_token_ttl": token_ttl}


def create_sync_client(db: sqlite3.Connection, directory: str, now: float) -> None:
    """Inside the creating transaction: the directory's sync client (its secret is never revealed)."""
    client_id = "syncClientId" + _random(32)
    insert_client(db, _client_resource(client_id, DEFAULT_TTL_MINUTES), secrets.token_urlsafe(32), now, directory)
    db.execute("INSERT INTO directory_sync_clients (directory_id, client_id, generate_token, token_ttl) "
               "VALUES (?, ?, 0, ?)", (directory, client_id, DEFAULT_TTL_MINUTES))


def remove_sync_clients(db: sqlite3.Connection, directory: str) -> None:
    """Inside the deleting transaction: the directory's sync client and every OAuth 2.0 client bound to it."""
    db.execute("DELETE FROM directory_sync_clients WHERE directory_id = ?", (directory,))
    db.execute("DELETE FROM oauth2_clients WHERE directory_id = ?", (directory,))


def token_is_current(ctx: Context, principal: Principal) -> bool:
    """Token rule: a sync token stands for a sync client of a directory that exists and is not being deleted."""
    if principal.directory_id is None:
        return True
    row = ctx.store.one("SELECT 1 FROM oauth2_clients c JOIN directories d ON d.id = c.directory_id "
                        "WHERE c.client_id = ? AND c.directory_id = ? AND d.delete_after IS NULL",
                        (principal.client_id, principal.directory_id))
    return row is not None


def _config(db: sqlite3.Connection, raw_id: str) -> sqlite3.Row:
    """The sync configuration of a live directory: 404 when there is none."""
    found = directory_id(raw_id)
    row = None if found is None else db.execute(
        "SELECT s.* FROM directory_sync_clients s JOIN directories d ON d.id = s.directory_id "
        "WHERE s.directory_id = ? AND d.delete_after IS NULL", (found,)).fetchone()
    if row is None:
        raise fail(404, "directory.sync.client.not.found", id=raw_id)
    return row


def _view(call: Call, row: sqlite3.Row) -> dict[str, Any]:
    view: dict[str, Any] = {"client_id": row["client_id"], "generate_token": bool(row["generate_token"]),
                            "token_ttl": row["token_ttl"]}
    if row["generate_token"] and row["token_expires"] is not None:
        view["access_token_expire_in"] = max(0, int(row["token_expires"] - call.ctx.clock.now()))
    return {**view, "_links": links(call.request, call.request.url.path)}


async def get_sync_client(request: Request) -> Response:
    """GET .../sync-client: the configuration (client_id, generate_token, token_ttl), never a secret."""
    call = await admin_call(request, "directories.yaml#getDirectorySyncClientById")
    with call.ctx.store.tx() as db:
        row = _config(db, request.path_params["id"])
    return call.respond(_view(call, row))


def _options(call: Call, row: sqlite3.Row) -> tuple[bool, int]:
    actions = call.request.query_params.getlist("action")
    if actions != [ACTION]:
        raise AdminError(400, "request.parameter.invalid", parameters={"parameter": "action",
                                                                       "detail": f"must be {ACTION}"})
    body = json_object(call.body)
    generate_token = body.get("generate_token", bool(row["generate_token"]))
    if not isinstance(generate_token, bool):
        raise invalid("generate_token", "must be a boolean")
    ttl = body.get("token_ttl", row["token_ttl"])
    if isinstance(ttl, float) and ttl.is_integer():  # JSON Schema: 60.0 is an integer
        ttl = int(ttl)
    if isinstance(ttl, bool) or not isinstance(ttl, int) or not 1 <= ttl <= MAX_TTL_MINUTES:
        raise invalid("token_ttl", f"must be an integer number of minutes from 1 to {MAX_TTL_MINUTES}")
    return generate_token, ttl


async def generate_credentials(request: Request) -> Response:
    """POST .../sync-client?action=generate_credentials: new credentials; the previous ones stop working."""
    call = await admin_call(request, "directories.yaml#generateCredentialsForSyncClient")
    ctx = call.ctx
    with ctx.store.tx() as db:
        row = _config(db, request.path_params["id"])
        generate_token, ttl = _options(call, row)
        secret = _rotate(db, ctx, row["client_id"], ttl)
        answer: dict[str, Any] = {"client_id": row["client_id"], "generate_token": generate_token, "token_ttl": ttl}
        expires = None
        if generate_token:
            lifetime = DEFAULT_TTL_MINUTES * 60 if ctx.faults.on(faults.SYNC_TOKEN_TTL_IGNORED) else ttl * 60
            token, claims = mint(ctx, request, row["client_id"], SCOPES, lifetime, row["directory_id"])
            answer.update(access_token=token, access_token_expire_in=lifetime)
            expires = float(claims["exp"])
        else:
            answer["client_secret"] = secret
        db.execute("UPDATE directory_sync_clients SET generate_token = ?, token_ttl = ?, token_expires = ? "
                   "WHERE directory_id = ?", (int(generate_token), ttl, expires, row["directory_id"]))
    return call.respond({**answer, "_links": links(request, request.url.path)})


def _rotate(db: sqlite3.Connection, ctx: Context, client_id: str, ttl: int) -> str:
    """A fresh secret for the client; earlier tokens are revoked (unless a fault keeps them)."""
    secret = _random(32)
    old = db.execute("SELECT secret_hash FROM oauth2_clients WHERE client_id = ?", (client_id,)).fetchone()
    keep_old = old["secret_hash"] if old is not None and ctx.faults.on(faults.OLD_SYNC_SECRET_VALID) else None
    db.execute("UPDATE oauth2_clients SET resource = ?, secret_hash = ?, secondary_secret_hash = ? "
               "WHERE client_id = ?", (dumps(_client_resource(client_id, ttl)), hash_secret(secret), keep_old,
                                       client_id))
    if not ctx.faults.on(faults.OLD_SYNC_TOKEN_VALID):
        revoke_all_tokens(db, client_id)
    return secret
