"""/SAAS/jersey/manager/api/connectormanagement/directoryconfigs: directories of type Other and JIT.

Seed 003: "Under Headers, set the Content-Type to: application/vnd.vmware.horizon.manager.connector.management.
directory.other+json [...] {"type":"OTHER_DIRECTORY", "domains":["OKTA.COM"], "name":"Okta Universal Directory"}"
and "Make sure that your domain is unique within your tenant". C1 (omnissa-api.md §7.3): JIT directories with the
``...directory.jit+json`` type answer 201; the list (``...directory.list+json``) is ``{"items":[...]}`` and hides
JIT directories unless ``includeJitDirectories=true``; ``DELETE ...?asyncDelete=true`` answers 200.
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from conformance.emulator.legacy import errors
from conformance.emulator.legacy.calls import JSON, Media, legacy_call, resource_route

PATH = "/SAAS/jersey/manager/api/connectormanagement/directoryconfigs"
VENDOR = "application/vnd.vmware.horizon.manager.connector.management.directory"
OTHER_TYPE, JIT_TYPE, LIST_TYPE = f"{VENDOR}.other+json", f"{VENDOR}.jit+json", f"{VENDOR}.list+json"
OTHER, JIT = "OTHER_DIRECTORY", "JIT_DIRECTORY"
KIND_OF_TYPE = {OTHER_TYPE: OTHER, JIT_TYPE: JIT}
MAX_NAME, MAX_DOMAIN, MAX_DOMAINS = 128, 4096, 1000
LIST = Media((), (JSON, LIST_TYPE))
CREATE = Media((OTHER_TYPE, JIT_TYPE, JSON), (JSON, OTHER_TYPE, JIT_TYPE))
DELETE = Media((), ())


def routes() -> list[BaseRoute]:
    """The directoryconfigs routes."""
    return [resource_route(PATH, {"GET": list_directories, "POST": create_directory}),
            resource_route(PATH + "/{directoryId}", {"DELETE": delete_directory})]


async def list_directories(request: Request) -> Response:
    """``{"items":[...]}``, JIT directories only with ``includeJitDirectories=true``."""
    call = await legacy_call(request, LIST)
    include_jit = boolean_parameter(request, "includeJitDirectories", False)
    with call.ctx.store.read() as db:
        rows = db.execute("SELECT * FROM legacy_directories ORDER BY created, directory_id").fetchall()
        items = [render(db, row) for row in rows if include_jit or row["type"] != JIT]
    return call.respond({"items": items, "_links": {"self": {"href": PATH}}})


async def create_directory(request: Request) -> Response:
    """201 with the directory; 409 when the name or a domain is taken."""
    call = await legacy_call(request, CREATE)
    kind, name, domains = _validated(call.body, call.content_type)
    directory_id = str(uuid.uuid4())
    with call.ctx.store.tx() as db:
        _check_free(db, name, domains)
        db.execute("INSERT INTO legacy_directories VALUES (?, ?, ?, ?, ?, ?)",
                   (directory_id, name, name.lower(), kind, str(uuid.uuid4()), call.ctx.clock.now()))
        db.executemany("INSERT INTO legacy_directory_domains VALUES (?, ?, ?, ?)",
                       [(domain.lower(), domain, n, directory_id) for n, domain in enumerate(domains)])
        row = db.execute("SELECT * FROM legacy_directories WHERE directory_id = ?", (directory_id,)).fetchone()
        created = render(db, row)
    return call.respond(created, 201, {"Location": f"{PATH}/{directory_id}"})


async def delete_directory(request: Request) -> Response:
    """204 (200 with ``asyncDelete=true``); the directory's users go with it."""
    call = await legacy_call(request, DELETE)
    asynchronous = boolean_parameter(request, "asyncDelete", False)
    directory_id = request.path_params["directoryId"]
    with call.ctx.store.tx() as db:
        deleted = db.execute("DELETE FROM legacy_directories WHERE directory_id = ?", (directory_id,)).rowcount
    if not deleted:
        raise errors.legacy_error(404, errors.DIRECTORY_NOT_FOUND, directoryId=directory_id)
    return call.respond(None, 200 if asynchronous else 204)


def render(db: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    """The LegacyDirectoryConfig of a row."""
    domains = [r["domain"] for r in db.execute(
        "SELECT domain FROM legacy_directory_domains WHERE directory_id = ? ORDER BY position", (row["directory_id"],))]
    return {"directoryId": row["directory_id"], "name": row["name"], "type": row["type"], "domains": domains,
            "userstoreId": row["userstore_id"], "countDomains": len(domains), "deleteInProgress": False,
            "migratedToEnterpriseService": False, "syncConfigurationEnabled": False}


def boolean_parameter(request: Request, name: str, default: bool) -> bool:
    """A ``true``/``false`` query parameter (400 otherwise)."""
    values = request.query_params.getlist(name)
    if not values:
        return default
    if len(values) > 1 or values[0].lower() not in ("true", "false"):
        raise errors.parameter_invalid(name, "true or false")
    return values[0].lower() == "true"


def _validated(body: Any, content_type: str) -> tuple[str, str, list[str]]:
    if not isinstance(body, dict):
        raise errors.body_invalid("a JSON object with name and domains is required")
    kind = body.get("type", KIND_OF_TYPE.get(content_type, OTHER))
    allowed = (KIND_OF_TYPE[content_type],) if content_type in KIND_OF_TYPE else (OTHER, JIT)
    if content_type == OTHER_TYPE and "type" not in body:
        raise errors.field_invalid("type", f"{OTHER} is required with {OTHER_TYPE}")
    if kind not in allowed:
        raise errors.field_invalid("type", f"must be {' or '.join(allowed)} with Content-Type {content_type}")
    name = body.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= MAX_NAME:
        raise errors.field_invalid("name", f"a string of 1 to {MAX_NAME} characters is required")
    return kind, name, _domains(body.get("domains"))


def _domains(domains: Any) -> list[str]:
    """1 to MAX_DOMAINS unique non-empty strings; spellings differing only in case count as one domain."""
    if not isinstance(domains, list) or not 1 <= len(domains) <= MAX_DOMAINS:
        raise errors.field_invalid("domains", f"a list of 1 to {MAX_DOMAINS} domains is required")
    if not all(isinstance(domain, str) and 1 <= len(domain) <= MAX_DOMAIN for domain in domains):
        raise errors.field_invalid("domains", f"each domain is a string of 1 to {MAX_DOMAIN} characters")
    if len(set(domains)) != len(domains):
        raise errors.field_invalid("domains", "domains must be unique")
    unique: dict[str, str] = {}
    for domain in domains:
        unique.setdefault(domain.lower(), domain)
    return list(unique.values())


def _check_free(db: sqlite3.Connection, name: str, domains: list[str]) -> None:
    if db.execute("SELECT 1 FROM legacy_directories WHERE name_key = ?", (name.lower(),)).fetchone():
        raise errors.legacy_error(409, errors.DIRECTORY_NAME_EXISTS, name=name)
    for domain in domains:
        if db.execute("SELECT 1 FROM legacy_directory_domains WHERE domain_key = ?", (domain.lower(),)).fetchone():
            raise errors.legacy_error(409, errors.DIRECTORY_DOMAIN_EXISTS, domain=domain)


def directory_of_domain(db: sqlite3.Connection, domain: str) -> sqlite3.Row | None:
    """The legacy directory owning ``domain`` (case-insensitive), or None."""
    return db.execute("SELECT d.* FROM legacy_directories d JOIN legacy_directory_domains m "
                      "ON m.directory_id = d.directory_id WHERE m.domain_key = ?", (domain.lower(),)).fetchone()
