"""/SAAS/jersey/manager/api/scim/Users: SCIM 1.1 users of Access (seed 004's provisioned-user flow).

Users are PROVISIONED users of a directory of type Other, inferred from the workspace extension's ``domain``
(seed 004). Seed 003 (Troubleshooting) gives the refusals: a domain owned by a directory that is not of type Other
("User creation is not supported for specified directory id."), a domain owned by no directory ("User domain name
specified for the user resource doesn't belong to the directory."), a required attribute missing ("Required user
attributes: [...] are missing."). A userName is unique within its domain (409). Delete "will currently operate on
any user [...] It takes only the id as a parameter" (seed 004) and answers 204.
"""

from __future__ import annotations

import copy
import sqlite3
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from conformance.emulator.core.context import Context
from conformance.emulator.core.store import dumps, loads
from conformance.emulator.core.tokens import base_url
from conformance.emulator.legacy import errors, faults, pages
from conformance.emulator.legacy import usermodel as model
from conformance.emulator.legacy.calls import JSON, Media, legacy_call, resource_route
from conformance.emulator.legacy.directoryconfigs import OTHER, boolean_parameter, directory_of_domain
from conformance.emulator.legacy.usermodel import ENTERPRISE, PROVISIONED, WORKSPACE, WORKSPACE_WRITABLE

PATH = "/SAAS/jersey/manager/api/scim/Users"
READ, WRITE, DELETE = Media((), (JSON,)), Media((JSON,), (JSON,)), Media((), ())
REPLACEABLE = ("userName", "externalId", "displayName", "nickName", "title", "userType", "locale",
               "preferredLanguage", "timeZone", "active", "phoneNumbers", ENTERPRISE)


def routes() -> list[BaseRoute]:
    """The Users routes."""
    return [resource_route(PATH, {"GET": list_users, "POST": create_user}),
            resource_route(PATH + "/{id}", {"GET": get_user, "PATCH": patch_user, "DELETE": delete_user})]


async def list_users(request: Request) -> Response:
    """Filtered, sorted, paged users (``Resources``, totalResults, startIndex, itemsPerPage)."""
    call = await legacy_call(request, READ)
    blind = frozenset({"externalid"}) if call.ctx.faults.on(faults.EXTERNAL_ID_FILTER_BLIND) else frozenset()
    query = pages.query(request, blind)
    with call.ctx.store.read() as db:
        rows = db.execute("SELECT * FROM legacy_users ORDER BY created, id").fetchall()
        users = [_render(db, request, row) for row in rows]
    return call.respond(pages.page(call.ctx, users, query))


async def create_user(request: Request) -> Response:
    """201 with the user, its Location and ETag."""
    call = await legacy_call(request, WRITE)
    boolean_parameter(request, "sendMail", True)  # no mail is sent: validated only
    body = model.check_types(call.body, creating=True)
    missing = model.missing_attributes(call.ctx, body)
    if missing:
        raise errors.legacy_error(400, errors.REQUIRED_MISSING, attributes=", ".join(missing))
    model.check_emails(body["emails"])
    extension = body[WORKSPACE]
    if extension["internalUserType"] != PROVISIONED:
        raise errors.field_invalid(f"{WORKSPACE}.internalUserType", "only PROVISIONED users can be created here")
    user_id, now = str(uuid.uuid4()), call.ctx.clock.now()
    with call.ctx.store.tx() as db:
        directory = _directory(call.ctx, db, extension["domain"])
        stored = model.new_resource(body, extension["domain"], directory["userstore_id"] if directory else None)
        _check_unique(db, stored, user_id)
        db.execute("INSERT INTO legacy_users VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (user_id, directory["directory_id"] if directory else None, _key(stored),
                    stored["externalId"], dumps(stored), now, now))
        user = _render(db, request, _row(db, user_id))
    headers = {"ETag": user["meta"]["version"]}
    if not call.ctx.faults.on(faults.LOCATION_MISSING):
        headers["Location"] = user["meta"]["location"]
    return call.respond(user, 201, headers)


async def get_user(request: Request) -> Response:
    """The user, or 404."""
    call = await legacy_call(request, READ)
    with call.ctx.store.read() as db:
        user = _render(db, request, _existing(db, request.path_params["id"]))
    return call.respond(user, 200, {"ETag": user["meta"]["version"]})


async def patch_user(request: Request) -> Response:
    """SCIM 1.1 partial update: the attributes present replace the stored ones (``name`` is merged)."""
    call = await legacy_call(request, WRITE)
    body = model.check_types(call.body, creating=False)
    with call.ctx.store.tx() as db:
        row = _existing(db, request.path_params["id"])
        stored = _patched(call.ctx, loads(row["resource"]), body)
        _check_unique(db, stored, row["id"])
        db.execute("UPDATE legacy_users SET user_key = ?, external_id = ?, resource = ?, modified = ? WHERE id = ?",
                   (_key(stored), stored["externalId"], dumps(stored), call.ctx.clock.now(), row["id"]))
        user = _render(db, request, _row(db, row["id"]))
    return call.respond(user, 200, {"ETag": user["meta"]["version"]})


async def delete_user(request: Request) -> Response:
    """204; the user then reads 404."""
    call = await legacy_call(request, DELETE)
    with call.ctx.store.tx() as db:
        _existing(db, request.path_params["id"])
        if not call.ctx.faults.on(faults.DELETE_KEEPS_USER):
            db.execute("DELETE FROM legacy_users WHERE id = ?", (request.path_params["id"],))
    return call.respond(None, 204)


def _directory(ctx: Context, db: sqlite3.Connection, domain: str) -> sqlite3.Row | None:
    directory = directory_of_domain(db, domain)
    if directory is None:
        if ctx.faults.on(faults.DOMAIN_CHECK_SKIPPED):
            return None
        raise errors.legacy_error(400, errors.DOMAIN_NOT_IN_DIRECTORY, domain=domain)
    if directory["type"] != OTHER and not ctx.faults.on(faults.JIT_ACCEPTS_USERS):
        raise errors.legacy_error(400, errors.CREATION_NOT_SUPPORTED, directoryId=directory["directory_id"])
    return directory


def _patched(ctx: Context, stored: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    new = copy.deepcopy(stored)
    new.update({field: body[field] for field in REPLACEABLE if field in body})
    if "name" in body:
        new["name"] = {**(stored.get("name") or {}), **body["name"]}
    if "emails" in body:
        model.check_emails(body["emails"])
        new["emails"] = model.clean_emails(body["emails"])
    for key, value in (body.get(WORKSPACE) or {}).items():
        if key in ("internalUserType", "domain") and value != stored[WORKSPACE].get(key):
            raise errors.field_invalid(f"{WORKSPACE}.{key}", "cannot be changed")
        if key in WORKSPACE_WRITABLE:
            new[WORKSPACE][key] = value
    missing = model.missing_attributes(ctx, new)
    if missing:
        raise errors.legacy_error(400, errors.REQUIRED_MISSING, attributes=", ".join(missing))
    return new


def _key(stored: dict[str, Any]) -> str:
    return f"{stored['userName'].lower()}@{stored[WORKSPACE]['domain'].lower()}"


def _check_unique(db: sqlite3.Connection, stored: dict[str, Any], user_id: str) -> None:
    clash = db.execute("SELECT id FROM legacy_users WHERE user_key = ? AND id != ?", (_key(stored), user_id))
    if clash.fetchone():
        raise errors.legacy_error(409, errors.USER_EXISTS, userName=stored["userName"])


def _row(db: sqlite3.Connection, user_id: str) -> sqlite3.Row | None:
    return db.execute("SELECT * FROM legacy_users WHERE id = ?", (user_id,)).fetchone()


def _existing(db: sqlite3.Connection, user_id: str) -> sqlite3.Row:
    row = _row(db, user_id)
    if row is None:
        raise errors.legacy_error(404, errors.USER_NOT_FOUND, id=user_id)
    return row


def _render(db: sqlite3.Connection, request: Request, row: sqlite3.Row | None) -> dict[str, Any]:
    assert row is not None
    groups = [{"value": g["id"], "display": loads(g["resource"])["displayName"]} for g in db.execute(
        "SELECT g.id, g.resource FROM legacy_groups g JOIN legacy_group_members m ON m.group_id = g.id "
        "WHERE m.user_id = ? ORDER BY g.created, g.id", (row["id"],))]
    location = f"{base_url(request)}{PATH}/{row['id']}"
    return model.render(loads(row["resource"]), row["id"], row["created"], row["modified"], location, groups)
