"""HTTP handlers of /Users and /Groups (RFC 7644 §3.3-§3.6, §3.4.3), one set shared by both resource types.

Every handler first runs ``scim_call`` (bearer token, rule sets or sync token, body parsing), then validates its
query parameters, then acts. A sync token (principal.directory_id) sees and writes only its directory's
resources; admin tokens see all. Responses carry the ETag; 201 carries Location = meta.location.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from conformance.emulator.core.calls import Call, scim_call
from conformance.emulator.core.tokens import base_url
from conformance.emulator.scim import faults, query, render, writes
from conformance.emulator.scim import store as rows
from conformance.emulator.scim.models import GROUPS, USERS, Kind

OPERATIONS: dict[str, dict[str, str]] = {
    USERS.name: {"list": "getUserSearch", "create": "createUser", "get": "getUser", "put": "putUser",
                 "patch": "patchUser", "delete": "deleteUser", "search": "postUserSearch"},
    GROUPS.name: {"list": "searchGroups", "create": "createGroup", "get": "getGroup", "put": "putGroup",
                  "patch": "patchGroup", "delete": "deleteGroup", "search": "postGroupsSearch"},
}


async def _call(request: Request, kind: Kind, action: str) -> Call:
    return await scim_call(request, f"scim.yaml#{OPERATIONS[kind.name][action]}")


def _respond(call: Call, kind: Kind, resource_id: str, parameters: Any, status: int = 200) -> Response:
    """The resource as it is now, with its ETag (and Location on 201)."""
    scope = call.principal.directory_id
    with call.ctx.store.read() as db:
        row = rows.get_row(db, kind, resource_id, scope)
        if row is None:
            raise writes.not_found(kind, resource_id)
        entries = render.related(db, kind, [resource_id], scope).get(resource_id, [])
    body = render.full(kind, row, entries, base_url(call.request))
    headers = {"ETag": body["meta"]["version"]}
    if status == 201 and not call.ctx.faults.on(faults.LOCATION_HEADER_MISSING):
        headers["Location"] = body["meta"]["location"]
    return call.respond(render.project(kind, body, parameters), status, headers)


async def list_resources(request: Request, kind: Kind) -> Response:
    """GET /Users, GET /Groups: filter, sort, page (RFC 7644 §3.4.2)."""
    call = await _call(request, kind, "list")
    search = query.from_query(call.ctx, kind, request)
    return call.respond(query.run(call.ctx, kind, search, call.principal.directory_id, base_url(request)))


async def search(request: Request, kind: Kind) -> Response:
    """POST /Users/.search, POST /Groups/.search (RFC 7644 §3.4.3)."""
    call = await _call(request, kind, "search")
    found = query.from_body(call.ctx, kind, call.body)
    return call.respond(query.run(call.ctx, kind, found, call.principal.directory_id, base_url(request)))


async def create(request: Request, kind: Kind) -> Response:
    """POST /Users, POST /Groups: 201 with the resource, Location and ETag."""
    call = await _call(request, kind, "create")
    parameters = render.query_parameters(call.ctx, kind, request)
    return _respond(call, kind, writes.create(call, kind), parameters, 201)


async def read(request: Request, kind: Kind) -> Response:
    """GET /Users/{id}, GET /Groups/{id}; If-None-Match answers 304."""
    call = await _call(request, kind, "get")
    parameters = render.query_parameters(call.ctx, kind, request)
    resource_id = request.path_params["id"]
    with call.ctx.store.read() as db:
        row = rows.get_row(db, kind, resource_id, call.principal.directory_id)
    if row is not None and render.not_modified(request, row):
        return call.respond(None, 304, {"ETag": render.etag(row)})
    return _respond(call, kind, resource_id, parameters)


async def replace(request: Request, kind: Kind) -> Response:
    """PUT /Users/{id}, PUT /Groups/{id}."""
    call = await _call(request, kind, "put")
    parameters = render.query_parameters(call.ctx, kind, request)
    writes.replace(call, kind, request.path_params["id"])
    return _respond(call, kind, request.path_params["id"], parameters)


async def patch(request: Request, kind: Kind) -> Response:
    """PATCH /Users/{id}, PATCH /Groups/{id}: 200 with the resource."""
    call = await _call(request, kind, "patch")
    parameters = render.query_parameters(call.ctx, kind, request)
    writes.patch(call, kind, request.path_params["id"])
    return _respond(call, kind, request.path_params["id"], parameters)


async def delete(request: Request, kind: Kind) -> Response:
    """DELETE /Users/{id}, DELETE /Groups/{id}: 204."""
    call = await _call(request, kind, "delete")
    writes.delete(call, kind, request.path_params["id"])
    return call.respond(None, 204)


class ResourceId(Convertor[str]):
    """A resource id path segment: anything but ``.search``, which is the POST-only query endpoint (RFC 7644
    §3.4.3), so that other methods on it answer 405 with ``Allow: POST``."""

    regex = r"(?!\.search$)[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("scim_id", ResourceId())


def routes(root: str) -> list[BaseRoute]:
    """The routes of both resource types under the SCIM root."""
    found: list[BaseRoute] = []
    for kind in (USERS, GROUPS):
        base = f"{root}/{kind.endpoint}"
        found += [Route(base, partial(list_resources, kind=kind), methods=["GET"]),
                  Route(base, partial(create, kind=kind), methods=["POST"]),
                  Route(f"{base}/.search", partial(search, kind=kind), methods=["POST"]),
                  Route(base + "/{id:scim_id}", partial(read, kind=kind), methods=["GET"]),
                  Route(base + "/{id:scim_id}", partial(replace, kind=kind), methods=["PUT"]),
                  Route(base + "/{id:scim_id}", partial(patch, kind=kind), methods=["PATCH"]),
                  Route(base + "/{id:scim_id}", partial(delete, kind=kind), methods=["DELETE"])]
    return found
