"""The access-policy matrix: every operation of specs/access-policy.toml x every rule set of the table.

One run-prefixed OAuth2 client per rule set (scope admin, client_credentials) calls each operation with a
nonexistent id and an empty body: authorization is decided before lookup and validation, so an allowed rule set
gets anything but 401/403 (usually 404 or 400) and a forbidden one gets 403 in the operation's error dialect.
"""

from __future__ import annotations

import pytest

from conformance.checks.core import require
from conformance.checks.envelope import dialect_error
from conformance.plugin.authz import access_policy, media_headers, send, track_created

POLICY = access_policy()


def requirement_of(operation, allowed):
    """AUTHZ-008 for the (assumed) SCIM rows; AUTHZ-006 (allowed) or AUTHZ-007 (forbidden) for admin rows."""
    if operation.dialect == "scim":
        return "AUTHZ-008"
    return "AUTHZ-006" if allowed else "AUTHZ-007"


def cells():
    """(operation, rule set) pairs with the requirements each cell checks."""
    for operation in POLICY.operations:
        for rule_set in POLICY.rule_sets:
            allowed = rule_set in operation.allowed
            ids = [requirement_of(operation, allowed)]
            if not allowed:
                ids += ["ERR-007", *(("SCIM-025",) if operation.dialect == "scim" else ("ERR-001", "ERR-004"))]
            yield pytest.param(operation, rule_set, marks=pytest.mark.requirement(*ids),
                               id=f"{operation.id.split('#')[1]}-{rule_set}")


@pytest.mark.parametrize(("operation", "rule_set"), list(cells()))
def test_rule_set_matrix(client, target, tracker, mime_phase, rule_set_tokens, operation, rule_set):
    """An allowed rule set passes authorization (no 401/403); any other gets 403 with the dialect's error body."""
    path = operation.fill(target.resource_prefix)
    headers = media_headers(mime_phase, operation.id, path, operation.has_body)
    response = send(client, operation.method, path, token=rule_set_tokens[rule_set].token(), headers=headers,
                    body={} if operation.has_body else None)
    track_created(tracker, path, response)
    allowed = rule_set in operation.allowed
    requirement_id = requirement_of(operation, allowed)
    if allowed:
        require(requirement_id, response.status_code not in (401, 403),
                f"{rule_set} may call {operation.method} {operation.path}, got {response.status_code}", response)
    else:
        dialect_error(requirement_id, response, 403, path)
