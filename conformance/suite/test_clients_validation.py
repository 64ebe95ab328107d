"""Field validation of OAuth 2.0 clients: invalid definitions answer 400 in the admin envelope, naming the field."""

from __future__ import annotations

import pytest

from conformance.checks.core import require
from conformance.checks.envelope import names_field
from conformance.checks.legacy import admin_envelope
from conformance.checks.scim import json_object

REFRESH = ["client_credentials", "refresh_token"]
MAX_CLIENT_ID = 256

# (case, changes to a valid body; "{label}" in client_id is the run-prefixed id, field the error must name)
INVALID_DEFINITIONS = [
    ("client_id-charset", {"client_id": "{label} bad!"}, "client_id"),
    ("client_id-too-long", {"client_id": "{label}" + "x" * MAX_CLIENT_ID}, "client_id"),
    ("client_id-missing", {"client_id": None}, "client_id"),
    ("scope-missing", {"scope": None}, "scope"),
    ("scope-unknown", {"scope": ["superuser"]}, "scope"),
    ("grant_types-missing", {"grant_types": None}, "grant_types"),
    ("grant_types-empty", {"grant_types": []}, "grant_types"),
    ("grant_types-unknown", {"grant_types": ["implicit"]}, "grant_types"),
    ("rule_set_names-unknown", {"rule_set_names": ["ROOT_ADMIN"]}, "rule_set_names"),
    ("redirect_uris-missing", {"grant_types": ["authorization_code"]}, "redirect_uris"),
    ("redirect_uris-not-a-url", {"grant_types": ["authorization_code"], "redirect_uris": ["not a url"]},
     "redirect_uris"),
    ("refresh_token_ttl-missing", {"grant_types": REFRESH, "refresh_token_idle_ttl": 60}, "refresh_token_ttl"),
    ("refresh_token_idle_ttl-missing", {"grant_types": REFRESH, "refresh_token_ttl": 120}, "refresh_token_idle_ttl"),
    ("refresh_token_idle_ttl-above-ttl", {"grant_types": REFRESH, "refresh_token_ttl": 60,
                                          "refresh_token_idle_ttl": 61}, "refresh_token_idle_ttl"),
    ("access_token_ttl-not-integer", {"access_token_ttl": "sixty"}, "access_token_ttl"),
]
OUT_OF_RANGE = [
    ("access_token_ttl-zero", {"access_token_ttl": 0}, "access_token_ttl"),
    ("access_token_ttl-negative", {"access_token_ttl": -5}, "access_token_ttl"),
    ("refresh_token_idle_ttl-negative", {"grant_types": REFRESH, "refresh_token_ttl": 60,
                                         "refresh_token_idle_ttl": -1}, "refresh_token_idle_ttl"),
]


def invalid_body(client_admin, changes):
    """A valid create body with ``changes`` applied (None removes a field; ``{label}`` is filled in)."""
    label = client_admin.label("invalid")
    filled = {name: value.replace("{label}", label) if isinstance(value, str) else value
              for name, value in changes.items()}
    if "client_id" in filled and isinstance(filled["client_id"], str):
        filled["client_id"] = filled["client_id"][:MAX_CLIENT_ID + 1]
    return client_admin.body(**filled)


def cases(table):
    """pytest parameters with readable ids."""
    return [pytest.param(changes, field, id=case) for case, changes, field in table]


def refused(requirement_id, response, field):
    """400 in the admin envelope (``requirement_id``) whose parameters name ``field`` (ERR-003)."""
    errors = admin_envelope(requirement_id, response, 400)
    names_field(response, errors, field)


@pytest.mark.requirement("CLIENT-012", "ERR-003")
@pytest.mark.parametrize(("changes", "field"), cases(INVALID_DEFINITIONS))
def test_invalid_definition_is_400(client_admin, changes, field):
    """Each invalid create answers 400 in the admin envelope (CLIENT-012) whose parameters name the field
    (ERR-003)."""
    refused("CLIENT-012", client_admin.create(invalid_body(client_admin, changes)), field)


@pytest.mark.requirement("CLIENT-013", "ERR-003")
@pytest.mark.parametrize(("changes", "field"), cases(OUT_OF_RANGE))
def test_lifetime_out_of_range_is_400(client_admin, changes, field):
    """A non-positive access_token_ttl or a negative refresh idle TTL answers 400 naming the field."""
    refused("CLIENT-013", client_admin.create(invalid_body(client_admin, changes)), field)


@pytest.mark.requirement("CLIENT-015", "ERR-003")
@pytest.mark.parametrize("field", ["scope", "grant_types"])
def test_patch_cannot_empty_required_arrays(client_admin, new_client, field):
    """PATCH {field: []} answers 400 naming the field, and the client keeps its value."""
    oauth_client = new_client()
    refused("CLIENT-015", client_admin.patch(oauth_client.client_id, {field: []}), field)
    kept = json_object("CLIENT-015", client_admin.get(oauth_client.client_id)).get(field)
    require("CLIENT-015", oauth_client.resource.get(field) == kept, f"{field} changed to {kept!r} by a refused PATCH")
