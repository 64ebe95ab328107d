"""/SAAS/jersey/manager/api/oauth2clients: the legacy OAuth 2.0 client API (list, create, read, delete).

S4/S6 (omnissa-api.md §4.2, §7.1): camelCase clients, 201 on create with the client (the vendor's example body
carries the secret), DELETE 204, GET 404 for an unknown id; the list is ``OAuth2ClientSummaryList`` (``items``,
``totalCount``, ``pageNumber``, ``totalPages``, ``pageSize``) paged by ``startIndex`` (default 1) and ``pageSize``
(default 50). The vendor answers a duplicate clientId with 500; the legacy spec asks 409 (the kit never expects
a 5xx). Vendor media types: ``...oauth2clientsummarylist+json`` (list), ``...oauth2client+json`` (client).
Directory sync clients are internal to their directories and not visible here.
"""

from __future__ import annotations

import math
import secrets
import sqlite3
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from conformance.emulator.core.clients import insert_client
from conformance.emulator.core.store import dumps, loads
from conformance.emulator.legacy import errors
from conformance.emulator.legacy.calls import JSON, Media, legacy_call, resource_route
from conformance.emulator.legacy.clientmodel import legacy_view, summary, validated
from conformance.emulator.legacy.pages import INTEGER

PATH = "/SAAS/jersey/manager/api/oauth2clients"
CLIENT_TYPE = "application/vnd.vmware.horizon.manager.oauth2client+json"
LIST_TYPE = "application/vnd.vmware.horizon.manager.oauth2clientsummarylist+json"
LIST, CREATE = Media((), (JSON, LIST_TYPE)), Media((CLIENT_TYPE, JSON), (JSON, CLIENT_TYPE))
READ, DELETE = Media((), (JSON, CLIENT_TYPE)), Media((), ())
DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_INDEX = 50, 1000, 2**31 - 1
VISIBLE = "SELECT c.*, f.fields FROM oauth2_clients c LEFT JOIN legacy_client_fields f USING (client_id) " \
          "WHERE c.directory_id IS NULL"


def routes() -> list[BaseRoute]:
    """The oauth2clients routes."""
    return [resource_route(PATH, {"GET": list_clients, "POST": create_client}),
            resource_route(PATH + "/{clientId}", {"GET": get_client, "DELETE": delete_client})]


async def list_clients(request: Request) -> Response:
    """One page of client summaries."""
    call = await legacy_call(request, LIST)
    start = _integer(request, "startIndex", 1, 0)
    size = min(_integer(request, "pageSize", DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE)
    rows = call.ctx.store.all(VISIBLE + " ORDER BY c.created, c.client_id")
    first = max(start, 1) - 1
    items = [summary(_view(row)) for row in rows[first:first + size]]
    return call.respond({"items": items, "totalCount": len(rows), "pageNumber": first // size + 1,
                         "totalPages": math.ceil(len(rows) / size), "pageSize": size,
                         "_links": {"self": {"href": PATH}}})


async def create_client(request: Request) -> Response:
    """201 with the client (and its secret, generated when none was given); 409 for a taken clientId."""
    call = await legacy_call(request, CREATE)
    resource, fields, secret = validated(call.body)
    secret = secret or secrets.token_urlsafe(32)
    now = call.ctx.clock.now()
    with call.ctx.store.tx() as db:
        if db.execute("SELECT 1 FROM oauth2_clients WHERE lower(client_id) = lower(?)",
                      (resource["client_id"],)).fetchone():
            raise errors.legacy_error(409, errors.CLIENT_EXISTS, oauth2_client_id=resource["client_id"])
        insert_client(db, resource, secret, now)
        # A fresh generation: tokens of an earlier client with the same id must not come back to life.
        db.execute("UPDATE oauth2_clients SET token_generation = ? WHERE client_id = ?",
                   (int(now * 1000), resource["client_id"]))
        db.execute("INSERT OR REPLACE INTO legacy_client_fields VALUES (?, ?)", (resource["client_id"], dumps(fields)))
        created = _view(_visible(db, resource["client_id"])) | {"secret": secret}
    return call.respond(created, 201, {"Location": f"{PATH}/{resource['client_id']}"})


async def get_client(request: Request) -> Response:
    """The client (without its secret), or 404."""
    call = await legacy_call(request, READ)
    with call.ctx.store.read() as db:
        view = _view(_visible(db, request.path_params["clientId"]))
    return call.respond(view)


async def delete_client(request: Request) -> Response:
    """204: the client and every token issued to it stop working; 404 for an unknown id."""
    call = await legacy_call(request, DELETE)
    with call.ctx.store.tx() as db:
        row = _visible(db, request.path_params["clientId"])
        db.execute("DELETE FROM oauth2_clients WHERE client_id = ?", (row["client_id"],))
    return call.respond(None, 204)


def _visible(db: sqlite3.Connection, client_id: str) -> sqlite3.Row:
    row = db.execute(VISIBLE + " AND c.client_id = ?", (client_id,)).fetchone()
    if row is None:
        raise errors.legacy_error(404, errors.CLIENT_NOT_FOUND, oauth2_client_id=client_id)
    return row


def _view(row: sqlite3.Row) -> dict[str, Any]:
    return legacy_view(loads(row["resource"]), loads(row["fields"]) or {}, f"{PATH}/{row['client_id']}")


def _integer(request: Request, name: str, default: int, minimum: int) -> int:
    values = request.query_params.getlist(name)
    if not values:
        return default
    if len(values) > 1 or not INTEGER.match(values[0].strip()) or int(values[0]) < minimum:
        raise errors.parameter_invalid(name, f"an integer of at least {minimum}")
    return min(int(values[0]), MAX_INDEX)
