"""/SAAS/jersey/manager/api/scim/Groups: SCIM 1.1 groups of Access (list, create, read, delete).

S4/S6: ``POST /scim/Groups`` ex ``{"schemas":["urn:scim:schemas:core:1.0"],"displayName":"test-group"}``, 409 for a
duplicate displayName. Seed 003 (Known Issues): "User groups created from Okta are associated with the System domain
in Workspace ONE Access instead of the actual domain", so a group without a domain gets ``System Domain``.
Members are users of this tenant (``value`` = user id); deleting a user removes it from its groups.
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from conformance.emulator.core.store import dumps, loads
from conformance.emulator.core.tokens import base_url
from conformance.emulator.legacy import errors, pages
from conformance.emulator.legacy.calls import JSON, Media, legacy_call, resource_route
from conformance.emulator.legacy.store import etag, timestamp
from conformance.emulator.legacy.usermodel import CORE, MULTI_PARTS, WORKSPACE

PATH = "/SAAS/jersey/manager/api/scim/Groups"
READ, WRITE, DELETE = Media((), (JSON,)), Media((JSON,), (JSON,)), Media((), ())
SYSTEM_DOMAIN = "System Domain"
EXTENSION_STRINGS = ("domain", "internalGroupType", "description")
MAX_STRING, MAX_MEMBERS = 1024, 1000


def routes() -> list[BaseRoute]:
    """The Groups routes."""
    return [resource_route(PATH, {"GET": list_groups, "POST": create_group}),
            resource_route(PATH + "/{id}", {"GET": get_group, "DELETE": delete_group})]


async def list_groups(request: Request) -> Response:
    """Filtered, sorted, paged groups."""
    call = await legacy_call(request, READ)
    query = pages.query(request)
    with call.ctx.store.read() as db:
        rows = db.execute("SELECT * FROM legacy_groups ORDER BY created, id").fetchall()
        groups = [_render(db, request, row) for row in rows]
    return call.respond(pages.page(call.ctx, groups, query))


async def create_group(request: Request) -> Response:
    """201 with the group; 409 when the displayName exists, 400 for a member that is no user."""
    call = await legacy_call(request, WRITE)
    stored, members = _validated(call.body)
    group_id, now = str(uuid.uuid4()), call.ctx.clock.now()
    with call.ctx.store.tx() as db:
        if db.execute("SELECT 1 FROM legacy_groups WHERE display_key = ?", (_display_key(stored),)).fetchone():
            raise errors.legacy_error(409, errors.GROUP_EXISTS, displayName=stored["displayName"])
        for member in members:
            if not db.execute("SELECT 1 FROM legacy_users WHERE id = ?", (member,)).fetchone():
                raise errors.legacy_error(400, errors.MEMBER_NOT_FOUND, value=member)
        db.execute("INSERT INTO legacy_groups VALUES (?, ?, ?, ?, ?)",
                   (group_id, _display_key(stored), dumps(stored), now, now))
        db.executemany("INSERT INTO legacy_group_members VALUES (?, ?)", [(group_id, m) for m in members])
        group = _render(db, request, _existing(db, group_id))
    return call.respond(group, 201, {"Location": group["meta"]["location"], "ETag": group["meta"]["version"]})


async def get_group(request: Request) -> Response:
    """The group, or 404."""
    call = await legacy_call(request, READ)
    with call.ctx.store.read() as db:
        group = _render(db, request, _existing(db, request.path_params["id"]))
    return call.respond(group, 200, {"ETag": group["meta"]["version"]})


async def delete_group(request: Request) -> Response:
    """204, or 404."""
    call = await legacy_call(request, DELETE)
    with call.ctx.store.tx() as db:
        _existing(db, request.path_params["id"])
        db.execute("DELETE FROM legacy_groups WHERE id = ?", (request.path_params["id"],))
    return call.respond(None, 204)


def _validated(body: Any) -> tuple[dict[str, Any], list[str]]:
    if not isinstance(body, dict):
        raise errors.body_invalid("a JSON object (SCIM 1.1 group) is required")
    schemas = body.get("schemas")
    if not (isinstance(schemas, list) and CORE in schemas and all(isinstance(s, str) for s in schemas)):
        raise errors.field_invalid("schemas", f"a list of schema URNs containing {CORE}")
    name = body.get("displayName")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_STRING:
        raise errors.field_invalid("displayName", f"a non-blank string of at most {MAX_STRING} characters")
    stored: dict[str, Any] = {"displayName": name}
    if "externalId" in body:
        if not isinstance(body["externalId"], str) or len(body["externalId"]) > MAX_STRING:
            raise errors.field_invalid("externalId", "a string")
        stored["externalId"] = body["externalId"]
    stored[WORKSPACE] = _extension(body.get(WORKSPACE, {}))
    return stored, _members(body.get("members", []))


def _extension(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise errors.field_invalid(WORKSPACE, "an object")
    for key in EXTENSION_STRINGS:
        if key in value and not (isinstance(value[key], str) and len(value[key]) <= MAX_STRING):
            raise errors.field_invalid(f"{WORKSPACE}.{key}", "a string")
    extension = {key: value[key] for key in EXTENSION_STRINGS if key in value}
    return {"domain": SYSTEM_DOMAIN, "internalGroupType": "INTERNAL", **extension}


def _members(value: Any) -> list[str]:
    """The member user ids (entries without a ``value`` name nobody and are skipped)."""
    if not isinstance(value, list) or len(value) > MAX_MEMBERS or not all(isinstance(m, dict) for m in value):
        raise errors.field_invalid("members", f"a list of at most {MAX_MEMBERS} objects")
    for member in value:
        for part, kind in MULTI_PARTS.items():
            if part in member and not isinstance(member[part], kind):
                raise errors.field_invalid(f"members.{part}", f"a {kind.__name__}")
    return list(dict.fromkeys(member["value"] for member in value if "value" in member))


def _display_key(stored: dict[str, Any]) -> str:
    return str(stored["displayName"]).lower()


def _existing(db: sqlite3.Connection, group_id: str) -> sqlite3.Row:
    row = db.execute("SELECT * FROM legacy_groups WHERE id = ?", (group_id,)).fetchone()
    if row is None:
        raise errors.legacy_error(404, errors.GROUP_NOT_FOUND, id=group_id)
    return row


def _render(db: sqlite3.Connection, request: Request, row: sqlite3.Row) -> dict[str, Any]:
    members = [{"value": u["id"], "display": loads(u["resource"])["userName"], "type": "User"} for u in db.execute(
        "SELECT u.id, u.resource FROM legacy_users u JOIN legacy_group_members m ON m.user_id = u.id "
        "WHERE m.group_id = ? ORDER BY u.created, u.id", (row["id"],))]
    group = {"schemas": [CORE, WORKSPACE], "id": row["id"], **loads(row["resource"]), "members": members}
    group["meta"] = {"created": timestamp(row["created"]), "lastModified": timestamp(row["modified"]),
                     "location": f"{base_url(request)}{PATH}/{row['id']}", "version": etag(group)}
    return group
