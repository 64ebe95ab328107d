"""Checks of error bodies: the admin envelope (JSON Schema ``specs/schemas/admin-error.schema.json``) and the
dialect an endpoint family must answer in (admin envelope, or SCIM Error under ``/usergroup/scim/v2``).

Builds on ``conformance.checks.legacy.admin_envelope`` (errors list, dotted codes, messages) and adds the schema,
the media type and the ``parameters`` of each error.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import httpx
from jsonschema import Draft202012Validator

from conformance.checks.core import require
from conformance.checks.legacy import admin_envelope
from conformance.checks.scim import ERROR_SCHEMA, json_object, scim_error, status_is
from conformance.paths import spec_path

SCIM_PREFIX = "/usergroup/scim/v2"
JSON = "application/json"


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(spec_path("schemas/admin-error.schema.json").read_text())
    return Draft202012Validator(schema)


def dialect_of(path: str) -> str:
    """``scim`` for the SCIM 2.0 endpoints, ``admin`` for the IDS admin APIs."""
    return "scim" if path.startswith(SCIM_PREFIX) else "admin"


def admin_error(requirement_id: str, response: httpx.Response, status: int) -> list[dict[str, Any]]:
    """Seed 000, Request Failures: "For all errors, the API returns an error response body that includes the error
    code and additional error message in the format below: {"errors": [{"code", "message", "parameters"}]}".

    The status is judged as ``requirement_id``; the body as ERR-001 (against the admin-error JSON Schema, codes
    dotted lower case) and its media type as ERR-004. Returns the errors."""
    status_is(requirement_id, response, status)
    errors = admin_envelope("ERR-001", response, status)
    problems = sorted(_validator().iter_errors(response.json()), key=lambda error: list(error.path))
    require("ERR-001", not problems,
            "the body does not match admin-error.schema.json: "
            + "; ".join(f"{'/'.join(map(str, p.path)) or '<root>'}: {p.message}" for p in problems[:3]), response)
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    require("ERR-004", JSON == media_type, f"expected Content-Type application/json, got {media_type!r}", response)
    return errors


def error_code(requirement_id: str, response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The envelope holds an error with ``code`` (judged as ``requirement_id``); returns that error."""
    errors = admin_error(requirement_id, response, status)
    match = next((error for error in errors if error.get("code") == code), None)
    require(requirement_id, match is not None,
            f"expected code {code!r}, got {[error.get('code') for error in errors]}", response)
    return dict(match or {})


def names_field(response: httpx.Response, errors: list[dict[str, Any]], field: str) -> None:
    """ERR-003 (assumed): "When a 400 is caused by one request field, an error's parameters name that field" --
    ``field`` is a key or a value of some error's ``parameters`` object."""
    named = [error.get("parameters") for error in errors]
    hit = any(isinstance(p, dict) and (field in p or field in map(str, p.values())) for p in named)
    require("ERR-003", hit, f"no error's parameters name the field {field!r}: {named!r}", response)


def dialect_error(requirement_id: str, response: httpx.Response, status: int, path: str) -> None:
    """ERR-007: seed 000 "For all errors, the API returns an error response body that includes the error code and
    additional error message"; RFC 7644 §3.12 "Error responses are identified using the following "schema" URI:
    "urn:ietf:params:scim:api:messages:2.0:Error"". The status is judged as ``requirement_id``; the dialect as
    ERR-007; the body itself as ERR-001 (admin) or SCIM-025 (SCIM)."""
    status_is(requirement_id, response, status)
    body = json_object("ERR-007", response)
    if dialect_of(path) == "scim":
        require("ERR-007", ERROR_SCHEMA in (body.get("schemas") or []),
                f"a SCIM endpoint must answer a SCIM Error ({ERROR_SCHEMA}), got keys {sorted(body)}", response)
        scim_error(requirement_id, response, status)
    else:
        require("ERR-007", "errors" in body,
                f"an admin endpoint must answer the admin envelope ({{\"errors\": [...]}}), got keys {sorted(body)}",
                response)
        admin_error(requirement_id, response, status)


def allow_header(response: httpx.Response, method: str) -> set[str]:
    """RFC 9110 §15.5.6: "The origin server MUST generate an Allow header field in a 405 response containing a list
    of the target resource's currently supported methods." ``method`` (the refused one) must not be listed."""
    allowed = {m.strip().upper() for m in response.headers.get("allow", "").split(",") if m.strip()}
    require("ERR-006", bool(allowed), "a 405 answer must carry an Allow header", response)
    require("ERR-006", method.upper() not in allowed, f"Allow lists the refused method {method}: {allowed}", response)
    return allowed
