"""Create (RFC 7644 §3.3), replace (§3.5.1), patch (§3.5.2) and delete (§3.6) of Users and Groups.

Each write is one transaction: look-up, If-Match (§3.14), uniqueness (userName, and Group displayName, compared
case-insensitively across the tenant: 409 uniqueness), directory placement, then the row, its members and the
versions of the resources whose representation changed. A change that changes nothing keeps the version.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from unicodedata import normalize

import scim2_models as sm

from conformance.emulator.core.calls import Call
from conformance.emulator.core.context import Context
from conformance.emulator.core.errors import ScimError
from conformance.emulator.core.tokens import base_url
from conformance.emulator.scim import faults, members, placement, render, strict
from conformance.emulator.scim import store as rows
from conformance.emulator.scim.models import (
    GROUPS,
    POLICY,
    USERS,
    Kind,
    fold,
    guarded,
    patch_op,
    resource_payload,
    stored,
    validate,
)

UNIQUE_ATTRIBUTE = {USERS.name: "userName", GROUPS.name: "displayName"}
BOOLEAN_ATTRIBUTES = {"active", "primary"}


def name_key(ctx: Context, kind: Kind, value: str) -> str:
    """The unique-name key: userName / Group displayName folded (caseExact=false), unless a fault says not."""
    if kind is USERS and ctx.faults.on(faults.USERNAME_CASE_SENSITIVE):
        return normalize("NFC", value)
    return fold(value)


def _unique_name(kind: Kind, model: Any) -> str:
    return str(model.user_name if kind is USERS else model.display_name)


def _conflict(ctx: Context, kind: Kind, value: str) -> ScimError:
    scim_type = None if ctx.faults.on(faults.CONFLICT_WITHOUT_SCIM_TYPE) else "uniqueness"
    return ScimError(409, f"A {kind.name} with {UNIQUE_ATTRIBUTE[kind.name]} {value!r} already exists.", scim_type)


def _bump(ctx: Context) -> int:
    return 0 if ctx.faults.on(faults.ETAG_UNCHANGED) else 1


def not_found(kind: Kind, resource_id: str) -> ScimError:
    """404 for a resource that does not exist (or not for this token)."""
    return ScimError(404, f"{kind.name} {resource_id} not found.")


def _payload(kind: Kind, body: Any) -> dict[str, Any]:
    payload = resource_payload(kind, body)
    strict.check_resource(kind, payload)
    return payload


def create(call: Call, kind: Kind) -> str:
    """Create a User or Group from the request body; returns its id."""
    ctx, principal = call.ctx, call.principal
    model = validate(kind, _payload(kind, call.body), sm.Context.RESOURCE_CREATION_REQUEST)
    attributes, name = stored(model), _unique_name(kind, model)
    resource_id, now = rows.new_id(), rows.stamp(ctx.clock.now())
    with ctx.store.tx() as db:
        if kind is USERS:
            directory_id = placement.directory_for_new_user(ctx, principal, name)
        else:
            directory_id = principal.directory_id
        key = name_key(ctx, kind, name)
        if rows.taken(db, kind, key):
            raise _conflict(ctx, kind, name)
        rows.insert(db, kind, {"id": resource_id, "directory_id": directory_id, **rows.columns(kind, key, attributes),
                               "created": now, "last_modified": now, "version": 1})
        if kind is GROUPS:
            members.save(db, resource_id, model, principal.directory_id, now, 1)
    return resource_id


def _row(call: Call, db: sqlite3.Connection, kind: Kind, resource_id: str) -> sqlite3.Row:
    """The stored row the request addresses (404 otherwise, 412 on a stale If-Match)."""
    row = rows.get_row(db, kind, resource_id, call.principal.directory_id)
    if row is None:
        raise not_found(kind, resource_id)
    render.check_if_match(call.ctx, call.request, row)
    return row


def _current(call: Call, db: sqlite3.Connection, kind: Kind, resource_id: str) -> tuple[sqlite3.Row, Any]:
    """The stored row (see ``_row``) and its model."""
    row = _row(call, db, kind, resource_id)
    entries = render.related(db, kind, [resource_id], call.principal.directory_id).get(resource_id, [])
    return row, render.model_of(kind, render.full(kind, row, entries, base_url(call.request)))


def _save(call: Call, db: sqlite3.Connection, kind: Kind, row: sqlite3.Row, model: Any) -> None:
    ctx = call.ctx
    if kind is GROUPS and not (model.display_name or "").strip():
        raise ScimError(400, "displayName must not be empty.", "invalidValue")
    attributes, name = stored(model), _unique_name(kind, model)
    strict.check_stored(kind, attributes)
    key = name_key(ctx, kind, name)
    if key != row["name_key"]:
        if kind is USERS:
            placement.check_domain(ctx, row["directory_id"], name)
        if rows.taken(db, kind, key, except_id=row["id"]):
            raise _conflict(ctx, kind, name)
    now = rows.stamp(ctx.clock.now())
    rows.update(db, kind, row["id"], {**rows.columns(kind, key, attributes), "last_modified": now,
                                      "version": row["version"] + _bump(ctx)})
    if kind is GROUPS:
        members.save(db, row["id"], model, call.principal.directory_id, now, _bump(ctx))


def replace(call: Call, kind: Kind, resource_id: str) -> None:
    """PUT: the body replaces every writable attribute (read-only ones are kept, immutable ones compared)."""
    replacement = validate(kind, _payload(kind, call.body), sm.Context.RESOURCE_REPLACEMENT_REQUEST)
    with call.ctx.store.tx() as db:
        row, current = _current(call, db, kind, resource_id)
        if guarded(lambda: replacement.replace(current)):
            _save(call, db, kind, row, replacement)


def _string_booleans(body: Any) -> bool:
    """Does a PATCH body give a Boolean attribute as a string (Entra's "False")?"""
    for operation in body.get("Operations") or []:
        if not isinstance(operation, dict):
            continue
        value, path = operation.get("value"), str(operation.get("path") or "").lower()
        if isinstance(value, str) and path.rsplit(".", 1)[-1] in BOOLEAN_ATTRIBUTES:
            return True
        if isinstance(value, dict) and any(isinstance(value.get(name), str) for name in value
                                           if name.lower() in BOOLEAN_ATTRIBUTES):
            return True
    return False


def _operations(call: Call, kind: Kind) -> Any:
    if isinstance(call.body, dict):
        strict.check_patch(call.body)
    message = patch_op(kind, call.body)
    if call.ctx.faults.on(faults.ENTRA_STRING_FALSE_REJECTED) and _string_booleans(call.body):
        raise ScimError(400, "A Boolean attribute must be given as true or false.", "invalidValue")
    if call.ctx.faults.on(faults.PATCH_REMOVE_IGNORED):
        kept = [op for op in message.operations if op.op != sm.PatchOperation.Op.remove]
        message = message.model_copy(update={"operations": kept})
    return message


def patch(call: Call, kind: Kind, resource_id: str) -> None:
    """PATCH: apply the operations in order, all or nothing (scim2-models ``PatchOp.patch``)."""
    message = _operations(call, kind)
    with call.ctx.store.tx() as db:
        row, current = _current(call, db, kind, resource_id)
        if guarded(lambda: message.patch(current, POLICY)):
            _save(call, db, kind, row, current)


def delete(call: Call, kind: Kind, resource_id: str) -> None:
    """DELETE: the resource and its memberships go (a deleted User leaves every Group)."""
    ctx = call.ctx
    with ctx.store.tx() as db:
        _row(call, db, kind, resource_id)
        rows.delete(db, kind, resource_id, soft=kind is USERS and ctx.faults.on(faults.DELETED_USER_READABLE))
        now = rows.stamp(ctx.clock.now())
        if kind is GROUPS:
            rows.touch(db, USERS, rows.set_members(db, resource_id, []), now, _bump(ctx))
        if kind is GROUPS or not ctx.faults.on(faults.MEMBER_KEPT_ON_USER_DELETE):
            rows.touch(db, GROUPS, rows.drop_member_everywhere(db, resource_id), now, _bump(ctx))
