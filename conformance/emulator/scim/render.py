"""Representations: a stored row becomes the SCIM resource clients see, with meta, ETag and derived lists.

``full(...)`` assembles ``schemas, id, externalId, meta{resourceType, created, lastModified, location, version}``,
the stored attributes and the derived list (a User's read-only ``groups``, a Group's ``members``). ``project``
applies ``attributes``/``excludedAttributes`` (RFC 7644 §3.9) with scim2-models, which knows the ``returned``
characteristic of every attribute (``id`` always, ``password`` never).
"""

from __future__ import annotations

import sqlite3
from typing import Any

import scim2_models as sm
from pydantic import ValidationError
from starlette.requests import Request

from conformance.emulator.core.context import Context
from conformance.emulator.core.errors import ScimError
from conformance.emulator.core.store import loads
from conformance.emulator.scim import faults, strict
from conformance.emulator.scim import store as rows
from conformance.emulator.scim.models import GROUPS, USERS, Kind, guarded

SCIM_ROOT = "/usergroup/scim/v2"


def location(base: str, kind: Kind, resource_id: str) -> str:
    """The absolute URI of a resource (meta.location, Location, $ref)."""
    return f"{base}{SCIM_ROOT}/{kind.endpoint}/{resource_id}"


def etag(row: sqlite3.Row) -> str:
    """The weak entity tag of a row's current version (RFC 7644 §3.14)."""
    return f'W/"{row["version"]}"'


def related(db: sqlite3.Connection, kind: Kind, ids: list[str], scope: str | None) -> dict[str, list[sqlite3.Row]]:
    """The derived list entries of many resources at once: groups of Users, members of Groups."""
    if not ids:
        return {}
    return rows.groups_of(db, ids, scope) if kind is USERS else rows.members_of(db, ids)


def _entries(kind: Kind, entries: list[sqlite3.Row], base: str) -> list[dict[str, Any]]:
    if kind is USERS:
        return [{"value": e["id"], "$ref": location(base, GROUPS, e["id"]),
                 "display": loads(e["resource"]).get("displayName"), "type": "direct"} for e in entries]
    members = []
    for e in entries:
        member = {"value": e["member_id"], "$ref": location(base, USERS if e["member_type"] == "User" else GROUPS,
                                                              e["member_id"]), "type": e["member_type"]}
        if e["display"]:
            member["display"] = e["display"]
        members.append(member)
    return members


def full(kind: Kind, row: sqlite3.Row, entries: list[sqlite3.Row], base: str) -> dict[str, Any]:
    """The whole representation of a stored resource."""
    attributes = loads(row["resource"])
    body: dict[str, Any] = {"schemas": attributes.pop("schemas", [kind.core_urn]), "id": row["id"]}
    if "externalId" in attributes:
        body["externalId"] = attributes.pop("externalId")
    body["meta"] = {"resourceType": kind.name, "created": row["created"], "lastModified": row["last_modified"],
                    "location": location(base, kind, row["id"]), "version": etag(row)}
    body.update(attributes)
    if entries:
        body[kind.related] = _entries(kind, entries, base)
    return body


def model_of(kind: Kind, representation: dict[str, Any]) -> Any:
    """The scim2-models resource of a full representation (for PATCH, PUT, filters and projection)."""
    return guarded(lambda: kind.model.model_validate(representation))


def _attribute_names(kind: Kind, value: Any) -> list[str]:
    """The entries of an attributes list (comma-separated string or array) that name an attribute; RFC 7644 §3.9
    defines no error for the others, so they are left out, like names the schema does not declare."""
    entries = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else []
    names = []
    for entry in (item.strip() for item in entries if isinstance(item, str)):
        if not entry or "," in entry:
            continue
        try:
            kind.response_parameters.model_validate({"attributes": [entry]})
        except (ValidationError, sm.SCIMException):
            continue
        names.append(entry)
    return names


def response_parameters(ctx: Context, kind: Kind, attributes: Any, excluded: Any) -> Any:
    """The ``attributes``/``excludedAttributes`` of a request (None when neither names anything). With both,
    ``attributes`` wins: it overrides the default set that ``excludedAttributes`` would trim (RFC 7644 §3.9)."""
    selected = _attribute_names(kind, attributes)
    dropped = [] if selected or ctx.faults.on(faults.EXCLUDED_ATTRIBUTES_IGNORED) else _attribute_names(kind, excluded)
    if not selected and not dropped:
        return None
    payload = {"attributes": selected} if selected else {"excludedAttributes": dropped}
    return guarded(lambda: kind.response_parameters.model_validate(payload))


def query_parameters(ctx: Context, kind: Kind, request: Request) -> Any:
    """``attributes``/``excludedAttributes`` from the query string."""
    query = request.query_params
    return response_parameters(ctx, kind, query.get("attributes"), query.get("excludedAttributes"))


def project(kind: Kind, representation: dict[str, Any], parameters: Any) -> dict[str, Any]:
    """The representation reduced as ``attributes``/``excludedAttributes`` ask (RFC 7644 §3.9)."""
    if parameters is None:
        return representation
    model = model_of(kind, representation)
    return dict(model.model_dump(scim_ctx=sm.Context.RESOURCE_QUERY_RESPONSE, response_parameters=parameters))


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag[:2].upper() == "W/" else tag


def tag_matches(header: str, current: str) -> bool:
    """Does an If-Match / If-None-Match header match the current ETag (``*`` matches any; weak comparison)?"""
    tags = [tag for tag in header.split(",") if tag.strip()]
    return any(tag.strip() == "*" or _opaque(tag) == _opaque(current) for tag in tags)


def check_if_match(ctx: Context, request: Request, row: sqlite3.Row) -> None:
    """412 when If-Match names no current version of the resource (RFC 7644 §3.14)."""
    header = request.headers.get("if-match")
    strict.check_if_match(header)
    if header is None or ctx.faults.on(faults.IF_MATCH_IGNORED):
        return
    if not tag_matches(header, etag(row)):
        raise ScimError(412, f"If-Match {header.strip()!r} does not match the current version {etag(row)}.")


def not_modified(request: Request, row: sqlite3.Row) -> bool:
    """True when If-None-Match matches the current version (GET answers 304)."""
    header = request.headers.get("if-none-match")
    return header is not None and tag_matches(header, etag(row))
