"""The admin error envelope on provoked 4xx answers of oauth2-clients, directories and identity providers.

Seed 000: "For all errors, the API returns an error response body that includes the error code and additional error
message". Every body below is validated against specs/schemas/admin-error.schema.json (ERR-001, dotted lower-case
codes) and must be application/json (ERR-004). The operations come from the access-policy and MIME tables.
"""

from __future__ import annotations

import pytest
import yaml

from conformance.checks.core import require
from conformance.checks.envelope import admin_error, allow_header, error_code
from conformance.checks.mime import phase_table
from conformance.paths import spec_path
from conformance.plugin.authz import access_policy, call, send, track_created

ADMIN_BY_ID = [op for op in access_policy().operations
               if op.dialect == "admin" and "{" in op.path and op.method in ("GET", "PATCH", "DELETE")]
CREATES = [op for op in phase_table().operations.values() if op.method == "POST" and "{" not in op.path]
DUPLICATE_CODE = "oauth2.client.with.client.id.already.exists"


def declared_methods():
    """{path: methods} of the admin paths, from their OpenAPI documents."""
    methods = {}
    for name in ("oauth2-clients.yaml", "directories.yaml"):
        for path, item in yaml.safe_load(spec_path(name).read_text())["paths"].items():
            methods[path] = {method.upper() for method, details in item.items() if isinstance(details, dict)
                             and "operationId" in details}
    return methods


def undeclared_method(methods):
    """A method the path does not support."""
    return next(method for method in ("PUT", "PATCH", "DELETE", "POST") if method not in methods)


@pytest.mark.requirement("ERR-005", "ERR-001", "ERR-004")
@pytest.mark.parametrize("operation", ADMIN_BY_ID, ids=lambda op: op.id.split("#")[1])
def test_unknown_id_is_404_in_the_envelope(client, admin, target, mime_phase, operation):
    """GET, PATCH (empty patch) and DELETE of an id that never existed answer 404 in the admin envelope."""
    path = operation.fill(target.resource_prefix)
    response = call(client, mime_phase, operation.id, operation.method, path, token=admin.token(),
                    body={} if operation.has_body else None)
    admin_error("ERR-005", response, 404)


@pytest.mark.requirement("ERR-006", "ERR-001", "ERR-004")
@pytest.mark.parametrize(("path", "methods"), sorted(declared_methods().items()))
def test_unsupported_method_is_405_with_allow(client, admin, target, path, methods):
    """A method the path does not declare answers 405 in the envelope, with Allow listing the declared methods."""
    method = undeclared_method(methods)
    concrete = path.replace("{id}", f"{target.resource_prefix}absent").replace("{idpId}", "absent")
    response = send(client, method, concrete, token=admin.token(), headers={"Accept": "application/json"})
    admin_error("ERR-006", response, 405)
    allowed = allow_header(response, method)
    require("ERR-006", methods <= allowed, f"Allow {sorted(allowed)} lacks declared methods {sorted(methods)}",
            response)


@pytest.mark.requirement("MIME-007", "ERR-001", "ERR-004")
@pytest.mark.parametrize("operation", CREATES, ids=lambda op: op.id.split("#")[1])
def test_unsupported_content_type_is_415(client, admin, tracker, operation):
    """A create whose body is text/plain answers 415 with code request.media.type.unsupported."""
    response = send(client, "POST", operation.path, token=admin.token(), body="ctk plain text",
                    headers={"Content-Type": "text/plain", "Accept": "application/json"})
    track_created(tracker, operation.path, response)
    error_code("MIME-007", response, 415, "request.media.type.unsupported")


@pytest.mark.requirement("ERR-002", "ERR-001", "ERR-004")
def test_duplicate_client_id_is_409_with_the_documented_code(client, admin, tracker, mime_phase, new_oauth_client):
    """A second client with an existing client_id answers 409 oauth2.client.with.client.id.already.exists whose
    parameters.oauth2_client_id is that client_id (the seed's own example)."""
    existing = new_oauth_client(["READ_ONLY_TENANT_ADMIN"])
    body = {"client_id": existing.client_id, "grant_types": ["client_credentials"], "scope": ["admin"],
            "rule_set_names": ["READ_ONLY_TENANT_ADMIN"]}
    response = call(client, mime_phase, "oauth2-clients.yaml#createNewOAuth2Client", "POST",
                    "/acs/broker/oauth2-clients", token=admin.token(), body=body, tracker=tracker)
    error = error_code("ERR-002", response, 409, DUPLICATE_CODE)
    parameters = error.get("parameters") or {}
    require("ERR-002", existing.client_id == parameters.get("oauth2_client_id"),
            f"parameters.oauth2_client_id should be {existing.client_id!r}, got {parameters!r}", response)
