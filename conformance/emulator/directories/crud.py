"""Directories: ``/usergroup/broker/directories`` (list, create) and ``/{id}`` (read, change, delete).

Names and domains are unique across the tenant (409, checked inside the writing transaction). PATCH replaces the
given fields, arrays wholesale; "" / {} clear an optional field. DELETE answers 202 with no body: the directory is
flagged ``delete_in_progress`` at once, its sync client and OAuth 2.0 clients are removed and the
``directory-deleted`` hooks run (SCIM drops the directory's users and groups) in the same transaction; the
directory itself disappears (404) after a short grace period of the emulator clock.
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.emulator.core.calls import Call, admin_call
from conformance.emulator.core.context import Context, run_hooks
from conformance.emulator.core.errors import AdminError
from conformance.emulator.directories import faults, sync, validate
from conformance.emulator.directories import store as directories
from conformance.emulator.directories.errors import absolute, fail, json_object, links

BASE = "/usergroup/broker/directories"


def render(request: Request, resource: dict[str, Any], listed: bool = False) -> dict[str, Any]:
    """The vendor representation; the list never shows default_domain (unless a fault leaks it)."""
    shown = dict(resource)
    if listed and not request.app.state.context.faults.on(faults.LIST_SHOWS_DEFAULT_DOMAIN):
        shown.pop("default_domain", None)
    return {**shown, "_links": links(request, f"{BASE}/{resource['id']}")}


def not_found(ctx: Context, raw_id: str) -> AdminError:
    """404 for an unknown directory (400 under a fault)."""
    if ctx.faults.on(faults.UNKNOWN_DIRECTORY_400):
        return AdminError(400, "request.field.invalid", parameters={"field": "id", "detail": "unknown directory"})
    return fail(404, "directory.not.found", id=raw_id)


def _existing(db: sqlite3.Connection, ctx: Context, raw_id: str) -> tuple[dict[str, Any], float | None]:
    found = validate.directory_id(raw_id)
    loaded = None if found is None else directories.load(db, found)
    if loaded is None:
        raise not_found(ctx, raw_id)
    return loaded


def _check_unique(db: sqlite3.Connection, ctx: Context, resource: dict[str, Any], exclude: str | None) -> None:
    if directories.name_taken(db, resource["name"], exclude) and not ctx.faults.on(faults.DUPLICATE_NAME_ACCEPTED):
        raise fail(409, "directory.name.already.exists", name=resource["name"])
    clash = directories.taken_domain(db, resource.get("domains") or [], exclude)
    if clash is not None:
        raise fail(409, "directory.domain.already.exists", domain=clash)


async def list_directories(request: Request) -> Response:
    """GET: ``{"items": [...], "_links"}``, every directory without default_domain."""
    call = await admin_call(request, "directories.yaml#getAllDirectories")
    with call.ctx.store.tx() as db:
        items = [render(request, resource, listed=True) for resource in directories.all_directories(db)]
    return call.respond({"items": items, "_links": links(request, BASE)})


async def create_directory(request: Request) -> Response:
    """POST: 201 with the directory and its Location; 409 for a taken name or domain."""
    call = await admin_call(request, "directories.yaml#createNewDirectory")
    resource = {"id": str(uuid.uuid4()), **validate.new_directory(json_object(call.body))}
    ctx = call.ctx
    with ctx.store.tx() as db:
        now = ctx.clock.now()
        _check_unique(db, ctx, resource, None)
        directories.insert_directory(db, resource, now)
        sync.create_sync_client(db, resource["id"], now)
    path = f"{BASE}/{resource['id']}"
    return call.respond(render(request, resource), 201, {"Location": absolute(request, path)})


async def get_directory(request: Request) -> Response:
    """GET /{id}: the directory (with default_domain), also while it is being deleted."""
    call = await admin_call(request, "directories.yaml#getDirectoryById")
    with call.ctx.store.tx() as db:
        resource, _ = _existing(db, call.ctx, request.path_params["id"])
    return call.respond(render(request, resource))


async def patch_directory(request: Request) -> Response:
    """PATCH /{id}: the changed directory; 409 for a taken name or domain or a directory being deleted."""
    call = await admin_call(request, "directories.yaml#patchDirectoryById")
    return call.respond(render(request, _patch(call, json_object(call.body))))


def _patch(call: Call, body: dict[str, Any]) -> dict[str, Any]:
    ctx, raw_id = call.ctx, call.request.path_params["id"]
    with ctx.store.tx() as db:
        current, deleting = _existing(db, ctx, raw_id)
        if deleting is not None:
            raise fail(409, "directory.delete.in.progress", id=raw_id)
        resource = validate.patched(current, body, ctx.faults.on(faults.PATCH_MERGES_ARRAYS))
        _check_unique(db, ctx, resource, current["id"])
        directories.update_directory(db, resource)
    return resource


async def delete_directory(request: Request) -> Response:
    """DELETE /{id}: 202 with no body; users, groups, sync client and OAuth 2.0 clients go with it."""
    call = await admin_call(request, "directories.yaml#deleteDirectoryById")
    ctx = call.ctx
    with ctx.store.tx() as db:
        resource, deleting = _existing(db, ctx, request.path_params["id"])
        if deleting is None:
            directories.mark_deleting(db, resource, ctx.clock.now())
            sync.remove_sync_clients(db, resource["id"])
            run_hooks(ctx, "directory-deleted", db, resource["id"])
    return call.respond(None, 204 if ctx.faults.on(faults.DELETE_ANSWERS_204) else 202)
