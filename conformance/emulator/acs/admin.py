"""/acs/broker/oauth2-clients: list, create, read, change, rotate and delete OAuth 2.0 clients (S1, seed 000).

The path ``{id}`` is the client_id. Directory sync clients live in the same table but belong to their directory
(/usergroup/broker/directories/{id}/sync-client): this API neither lists nor changes them. The secret is returned
only by a create that generated it. A PATCH that drops a rule set revokes the client's tokens unless the query says
``revoke_token_on_rule_set_removal=false`` (S1 patchOAuth2ClientById). Deleting a client makes its tokens invalid
(the core refuses tokens whose client is gone).
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from conformance.emulator.acs import faults, rotation
from conformance.emulator.acs.errors import ACTION_INVALID, PARAMETER_INVALID, admin_error, conflict, not_found
from conformance.emulator.acs.resource import COLLECTION, new_resource, render, save, self_href, summary
from conformance.emulator.acs.validation import INT32_MAX, validate_create, validate_patch
from conformance.emulator.core.calls import admin_call
from conformance.emulator.core.clients import ClientRecord, insert_client, revoke_all_tokens
from conformance.emulator.core.context import Context
from conformance.emulator.core.store import loads
from conformance.emulator.core.tokens import base_url

SPEC = "oauth2-clients.yaml#"
DEFAULT_PAGE_SIZE = 20
INTEGER = re.compile(r"^[+-]?\d{1,12}$")
BOOLEANS = {"true": True, "false": False}
Handler = Callable[[Request], Awaitable[Response]]


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not INTEGER.match(raw.strip()) or not 1 <= int(raw) <= INT32_MAX:
        raise admin_error(400, PARAMETER_INVALID, parameter=name, detail=f"an integer from 1 to {INT32_MAX}")
    return int(raw)


def _admin_client(ctx: Context, client_id: str, db: Any = None) -> ClientRecord:
    record = rotation.settle(ctx, client_id) if db is None else rotation.settle_in(ctx, db, client_id)
    if record is None or record.directory_id is not None:
        raise not_found(client_id)
    return record


async def list_clients(request: Request) -> Response:
    """GET: one page of client summaries (start_index is the 1-based page number)."""
    call = await admin_call(request, SPEC + "getAllOAuth2ClientSummaries")
    page, size = _int_param(request, "start_index", 1), _int_param(request, "page_size", DEFAULT_PAGE_SIZE)
    skipped = (page if call.ctx.faults.on(faults.START_INDEX_OFF_BY_ONE) else page - 1) * size
    where = "FROM oauth2_clients WHERE directory_id IS NULL"
    total = int(call.ctx.store.one(f"SELECT COUNT(*) {where}")[0])  # type: ignore[index]
    rows = call.ctx.store.all(f"SELECT resource {where} ORDER BY rowid LIMIT ? OFFSET ?", (size, skipped))
    self_link = f"{base_url(request)}{COLLECTION}?start_index={page}&page_size={size}"
    return call.respond({"items": [summary(request, loads(row["resource"])) for row in rows], "totalCount": total,
                         "pageNumber": page, "totalPages": math.ceil(total / size), "pageSize": size,
                         "_links": {"self": {"href": self_link}}})


async def create_client(request: Request) -> Response:
    """POST: 201 with the client (and the secret when generated here), Location naming it; 409 on a duplicate."""
    call = await admin_call(request, SPEC + "createNewOAuth2Client")
    fields, given = validate_create(call.body)
    resource, secret = new_resource(fields), given or secrets.token_urlsafe(32)
    client_id = resource["client_id"]
    with call.ctx.store.tx() as db:
        if db.execute("SELECT 1 FROM oauth2_clients WHERE client_id = ?", (client_id,)).fetchone():
            raise conflict(call.ctx, client_id)
        insert_client(db, resource, secret, call.ctx.clock.now())
        # A fresh generation: tokens of an earlier client with the same client_id never come back to life.
        db.execute("UPDATE oauth2_clients SET token_generation = ? WHERE client_id = ?",
                   (secrets.randbelow(2**53), client_id))
    body = render(request, resource)
    if given is None:
        body["secret"] = secret
    return call.respond(body, 201, {"Location": self_href(request, client_id)})


async def read_client(request: Request) -> Response:
    """GET /{id}: the client, never its secret."""
    call = await admin_call(request, SPEC + "getOAuth2ClientById")
    record = _admin_client(call.ctx, request.path_params["id"])
    body = render(request, record.resource)
    if call.ctx.faults.on(faults.SECRET_ON_GET):
        body["secret"] = record.secret_hash
    return call.respond(body)


async def patch_client(request: Request) -> Response:
    """PATCH /{id}: change the given fields; dropping a rule set revokes the client's tokens by default."""
    call = await admin_call(request, SPEC + "patchOAuth2ClientById")
    raw = request.query_params.get("revoke_token_on_rule_set_removal", "true").strip().lower()
    if raw not in BOOLEANS:
        raise admin_error(400, PARAMETER_INVALID, parameter="revoke_token_on_rule_set_removal", detail="true or false")
    client_id = request.path_params["id"]
    with call.ctx.store.tx() as db:
        record = _admin_client(call.ctx, client_id, db)
        changed = validate_patch(call.body, record.resource)
        save(db, client_id, changed)
        if _drops_rule_set(record.resource, changed) and BOOLEANS[raw] and not call.ctx.faults.on(
                faults.RULE_SET_REMOVAL_KEEPS_TOKENS):
            revoke_all_tokens(db, client_id)
    return call.respond(render(request, changed))


def _drops_rule_set(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return bool(set(before.get("rule_set_names") or ()) - set(after.get("rule_set_names") or ()))


async def rotate_secret(request: Request) -> Response:
    """POST /{id}?action=start-rotate-secret|retire-primary-secret: 204."""
    call = await admin_call(request, SPEC + "rotateSecretForOAuth2ClientById")
    action = request.query_params.get("action", "")
    if action not in rotation.ACTIONS:
        raise admin_error(400, ACTION_INVALID, action=action or "(none)")
    with call.ctx.store.tx() as db:
        record = _admin_client(call.ctx, request.path_params["id"], db)
        if action == rotation.START:
            rotation.start(call.ctx, db, record, call.body)
        else:
            rotation.retire(call.ctx, db, record)
    return call.respond(None, 204)


async def delete_client(request: Request) -> Response:
    """DELETE /{id}: 204; the client's tokens stop working."""
    call = await admin_call(request, SPEC + "deleteOAuth2ClientById")
    client_id = request.path_params["id"]
    with call.ctx.store.tx() as db:
        _admin_client(call.ctx, client_id, db)
        db.execute("DELETE FROM oauth2_clients WHERE client_id = ?", (client_id,))
    return call.respond(None, 204)


def _by_method(handlers: dict[str, Handler]) -> Handler:
    """One endpoint per path (so a 405 lists every method of the resource in Allow)."""
    async def dispatch(request: Request) -> Response:
        return await handlers["GET" if request.method == "HEAD" else request.method](request)
    return dispatch


def routes() -> list[Route]:
    """The client administration routes."""
    collection = {"GET": list_clients, "POST": create_client}
    item = {"GET": read_client, "PATCH": patch_client, "POST": rotate_secret, "DELETE": delete_client}
    return [Route(COLLECTION, _by_method(collection), methods=list(collection)),
            Route(COLLECTION + "/{id}", _by_method(item), methods=list(item))]
