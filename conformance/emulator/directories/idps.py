"""Identity providers: ``/federation/broker/identity-providers`` (list, create) and ``/{idpId}`` (read, change,
delete).

``idp_name`` is unique per tenant (409, case-insensitive, checked inside the writing transaction). The OIDC
``client_secret`` is write-only: only its salted hash is kept, and no answer carries it. ``auth_type_list`` is
defaulted on create when omitted. ``directory_list`` entries read back with the directory's name, "" once the
directory no longer exists (vendor DirectoryTO).
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.emulator.core.calls import Call, admin_call
from conformance.emulator.core.clients import hash_secret
from conformance.emulator.core.store import dumps, loads
from conformance.emulator.directories import faults, idp_rules, validate
from conformance.emulator.directories.errors import absolute, fail, invalid, json_object, links, required

BASE = "/federation/broker/identity-providers"
TYPES = ("OIDC", "SAML")
SOURCE_TYPES = ("GENERIC", "ENTRA", "OKTA")
IDP_NAME_MAX = 100

DDL = """
CREATE TABLE IF NOT EXISTS identity_providers (
    id TEXT PRIMARY KEY,
    name_key TEXT NOT NULL,
    resource TEXT NOT NULL,
    client_secret_hash TEXT,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS identity_providers_name_key ON identity_providers(name_key);
"""


def _render(db: sqlite3.Connection, request: Request, resource: dict[str, Any]) -> dict[str, Any]:
    names = {}
    for item in resource["directory_list"]:
        row = db.execute("SELECT name FROM directories WHERE id = ?", (item["id"],)).fetchone()
        names[item["id"]] = row["name"] if row else ""
    directory_list = [{"id": item["id"], "name": names[item["id"]]} for item in resource["directory_list"]]
    return {**resource, "directory_list": directory_list, "_links": links(request, f"{BASE}/{resource['id']}")}


def _summary(request: Request, resource: dict[str, Any]) -> dict[str, Any]:
    return {"id": resource["id"], "idp_name": resource["idp_name"], "idp_type": resource["idp_type"],
            "directory_ids": [item["id"] for item in resource["directory_list"]],
            "_links": links(request, f"{BASE}/{resource['id']}")}


def _name_taken(db: sqlite3.Connection, call: Call, name: str, exclude: str | None) -> None:
    if call.ctx.faults.on(faults.IDP_DUPLICATE_NAME_ACCEPTED):
        return
    row = db.execute("SELECT 1 FROM identity_providers WHERE name_key = ? AND id IS NOT ?", (name.casefold(), exclude))
    if row.fetchone() is not None:
        raise fail(409, "identity.provider.name.already.exists", name=name)


def _load(db: sqlite3.Connection, raw_id: str) -> sqlite3.Row:
    found = validate.directory_id(raw_id)
    row = None if found is None else db.execute("SELECT * FROM identity_providers WHERE id = ?", (found,)).fetchone()
    if row is None:
        raise fail(404, "identity.provider.not.found", id=raw_id)
    return row


async def list_idps(request: Request) -> Response:
    """GET: ``{"items": [{id, idp_name, idp_type, directory_ids, _links}], "_links"}``."""
    call = await admin_call(request, "directories.yaml#getAllIdentityProviders")
    rows = call.ctx.store.all("SELECT resource FROM identity_providers ORDER BY created, id")
    return call.respond({"items": [_summary(request, loads(row["resource"])) for row in rows],
                         "_links": links(request, BASE)})


def _new_idp(body: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    for field in ("idp_name", "idp_type", "directory_list"):
        if field not in body:
            raise required(field)
    name = validate.name(body["idp_name"], "idp_name", IDP_NAME_MAX)
    resource: dict[str, Any] = {"id": str(uuid.uuid4()), "idp_name": name,
                                "idp_type": validate.enum("idp_type", body["idp_type"], TYPES),
                                "directory_list": idp_rules.directory_list(body["directory_list"])}
    if resource["idp_type"] == "OIDC" and "oidc_profile" not in body:
        raise required("oidc_profile")
    secret = _apply(resource, body, None)
    given_types = body.get("auth_type_list")
    resource["auth_type_list"] = (idp_rules.auth_types(given_types, []) if given_types is not None
                                  else idp_rules.default_auth_types(name))
    return resource, secret


def _apply(resource: dict[str, Any], body: dict[str, Any], current: dict[str, Any] | None) -> str | None:
    """Apply the optional fields of a create/PATCH body; returns a new OIDC client secret, if one was given."""
    if "idp_source_type" in body:
        resource["idp_source_type"] = validate.enum("idp_source_type", body["idp_source_type"], SOURCE_TYPES)
    if "trust_certificates" in body:
        resource["trust_certificates"] = idp_rules.trust_certificates(body["trust_certificates"])
        if not resource["trust_certificates"]:
            resource.pop("trust_certificates")
    oidc = _profile(body, "oidc_profile", idp_rules.OIDC, current)
    saml = _profile(body, "saml_profile", idp_rules.SAML, current)
    if resource["idp_type"] == "SAML":
        if saml is not None:
            resource["saml_profile"] = saml
        return None
    if oidc is None:
        return None
    secret = oidc.pop("client_secret", None)
    resource["oidc_profile"] = oidc
    return secret


def _profile(body: dict[str, Any], name: str, fields: dict[str, idp_rules.Field],
             current: dict[str, Any] | None) -> dict[str, Any] | None:
    """The checked profile ``name`` of the body merged over the current one, or None when the body has none."""
    if name not in body:
        return None
    existing = None if current is None else current.get(name)
    return idp_rules.profile(name, body[name], fields, existing)


async def create_idp(request: Request) -> Response:
    """POST: 201 with the identity provider (never its client secret) and its Location; 409 for a taken name."""
    call = await admin_call(request, "directories.yaml#createNewIdentityProvider")
    body = json_object(call.body)
    resource, secret = _new_idp(body)
    with call.ctx.store.tx() as db:
        _name_taken(db, call, resource["idp_name"], None)
        db.execute("INSERT INTO identity_providers (id, name_key, resource, client_secret_hash, created) "
                   "VALUES (?, ?, ?, ?, ?)", (resource["id"], resource["idp_name"].casefold(), dumps(resource),
                                              hash_secret(secret) if secret else None, call.ctx.clock.now()))
        shown = _render(db, request, resource)
    if secret and call.ctx.faults.on(faults.IDP_ECHOES_CLIENT_SECRET):
        shown["oidc_profile"] = {**shown["oidc_profile"], "client_secret": secret}
    return call.respond(shown, 201, {"Location": absolute(request, f"{BASE}/{resource['id']}")})


async def get_idp(request: Request) -> Response:
    """GET /{idpId}: the identity provider."""
    call = await admin_call(request, "directories.yaml#getIdentityProviderById")
    with call.ctx.store.tx() as db:
        shown = _render(db, request, loads(_load(db, request.path_params["idpId"])["resource"]))
    return call.respond(shown)


def _patched(current: dict[str, Any], body: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    if "idp_type" in body and body["idp_type"] != current["idp_type"]:
        raise invalid("idp_type", "the identity provider type cannot be changed")
    resource = dict(current)
    if "idp_name" in body:
        resource["idp_name"] = validate.name(body["idp_name"], "idp_name", IDP_NAME_MAX)
    if "directory_list" in body:
        resource["directory_list"] = idp_rules.directory_list(body["directory_list"])
    if "auth_type_list" in body:
        resource["auth_type_list"] = idp_rules.auth_types(body["auth_type_list"], current["auth_type_list"])
    return resource, _apply(resource, body, current)


async def patch_idp(request: Request) -> Response:
    """PATCH /{idpId}: the changed identity provider; lists replaced wholesale, profiles merged; 409 for a taken
    name."""
    call = await admin_call(request, "directories.yaml#patchIdentityProviderById")
    body = json_object(call.body)
    with call.ctx.store.tx() as db:
        row = _load(db, request.path_params["idpId"])
        resource, secret = _patched(loads(row["resource"]), body)
        _name_taken(db, call, resource["idp_name"], resource["id"])
        secret_hash = hash_secret(secret) if secret else row["client_secret_hash"]
        db.execute("UPDATE identity_providers SET name_key = ?, resource = ?, client_secret_hash = ? WHERE id = ?",
                   (resource["idp_name"].casefold(), dumps(resource), secret_hash, resource["id"]))
        shown = _render(db, request, resource)
    return call.respond(shown)


async def delete_idp(request: Request) -> Response:
    """DELETE /{idpId}: 204 with no body."""
    call = await admin_call(request, "directories.yaml#deleteIdentityProviderById")
    with call.ctx.store.tx() as db:
        row = _load(db, request.path_params["idpId"])
        db.execute("DELETE FROM identity_providers WHERE id = ?", (row["id"],))
    return call.respond(None, 204)
