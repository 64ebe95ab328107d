"""Directory sync clients: token and client-credential generation, invalidation, and directory isolation."""

from __future__ import annotations

import httpx
import pytest

from conformance.checks import scim as check
from conformance.checks.core import require
from conformance.checks.legacy import oauth_error, oauth_token
from conformance.target.scim_client import DIRECTORIES, JSON_HEADERS, unique_label, user_body

TOKEN_TTL_MINUTES = 60


def generate(directory_admin, directory, requirement_id="DIR-007", **options):
    """Generate credentials (judged as ``requirement_id``) and return the response body."""
    response = directory_admin.generate_credentials(directory["id"], **options)
    check.status_is(requirement_id, response, 200)
    return check.json_object(requirement_id, response)


def sync_token(directory_admin, directory):
    """A fresh sync-client token of ``directory``."""
    return str(generate(directory_admin, directory).get("access_token"))


def client_credentials(client, client_id, secret):
    """POST /acs/token with client_credentials and HTTP Basic."""
    return client.post("/acs/token", data={"grant_type": "client_credentials"},
                       auth=httpx.BasicAuth(client_id, secret))


@pytest.mark.requirement("DIR-007")
def test_generated_token_lives_token_ttl_and_works(scim, directory_admin, new_directory):
    """generate_token answers an access_token whose access_token_expire_in is token_ttl x 60 s; SCIM accepts it."""
    directory = new_directory()
    body = generate(directory_admin, directory, token_ttl=TOKEN_TTL_MINUTES)
    expires_in = body.get("access_token_expire_in")
    require("DIR-007", bool(body.get("access_token")), "no access_token")
    require("DIR-007", isinstance(expires_in, int) and abs(expires_in - TOKEN_TTL_MINUTES * 60) <= 60,
            f"access_token_expire_in {expires_in!r} for token_ttl {TOKEN_TTL_MINUTES} minutes")
    check.listed(scim.request("GET", "/Users", token=body["access_token"]), "DIR-007")


@pytest.mark.requirement("DIR-008", "SCIM-030")
def test_new_token_invalidates_the_old_one(scim, directory_admin, new_directory):
    """After a second generation the first token gets a SCIM 401 and the second one works."""
    directory = new_directory()
    old, new = sync_token(directory_admin, directory), sync_token(directory_admin, directory)
    check.scim_error("DIR-008", scim.request("GET", "/Users", token=old), 401)
    check.listed(scim.request("GET", "/Users", token=new), "DIR-008")


@pytest.mark.requirement("DIR-009")
def test_new_secret_invalidates_the_old_one(client, directory_admin, new_directory):
    """With generate_token false, a second generation makes the first secret fail at /acs/token (401)."""
    directory = new_directory()
    first = generate(directory_admin, directory, "DIR-009", generate_token=False)
    second = generate(directory_admin, directory, "DIR-009", generate_token=False)
    require("DIR-009", bool(first.get("client_id") and first.get("client_secret")), "no client_id/client_secret")
    oauth_token("DIR-009", client_credentials(client, second["client_id"], second["client_secret"]))
    oauth_error("DIR-009", client_credentials(client, first["client_id"], first["client_secret"]), 401,
                "invalid_client")


@pytest.mark.requirement("DIR-012")
def test_reading_the_sync_client_hides_the_secret(client, admin, directory_admin, new_directory):
    """GET .../sync-client after generating client credentials never carries client_secret."""
    directory = new_directory()
    generate(directory_admin, directory, "DIR-012", generate_token=False)
    response = client.get(f"{DIRECTORIES}/{directory['id']}/sync-client", token=admin.token(), headers=JSON_HEADERS)
    body = check.json_object("DIR-012", response)
    check.status_is("DIR-012", response, 200)
    require("DIR-012", "client_secret" not in body, "GET sync-client returned client_secret", response)


@pytest.mark.requirement("DIR-010")
def test_sync_token_reaches_only_its_own_directory(scim, target, directory_admin, new_directory):
    """A User created with directory A's token is invisible and untouchable with directory B's token."""
    first, second = new_directory(), new_directory()
    token_a, token_b = sync_token(directory_admin, first), sync_token(directory_admin, second)
    user_name = f"{unique_label(target.resource_prefix, 'iso')}@{first['domains'][0]}"
    user = check.created(scim.create("/Users", user_body(user_name), token=token_a))
    path = f"/Users/{user['id']}"
    check.scim_error("DIR-010", scim.request("GET", path, token=token_b), 404)
    patch = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations": [{"op": "replace", "path": "displayName", "value": "Hijacked"}]}
    check.scim_error("DIR-010", scim.request("PATCH", path, patch, token=token_b), 404)
    check.scim_error("DIR-010", scim.request("DELETE", path, token=token_b), 404)
    listed = scim.request("GET", "/Users", token=token_b, params={"filter": f'userName eq "{user_name}"'})
    require("DIR-010", [] == check.listed_ids("DIR-010", listed), "B's token lists A's User", listed)
    after = check.resource("DIR-010", scim.request("GET", path, token=token_a))
    require("DIR-010", "Hijacked" != after.get("displayName"), "B's token changed A's User")


@pytest.mark.requirement("DIR-011")
def test_sync_token_cannot_call_admin_apis(client, directory_admin, new_directory):
    """A sync-client token may call SCIM only: GET /usergroup/broker/directories answers 403."""
    token = sync_token(directory_admin, new_directory())
    response = client.get(DIRECTORIES, token=token, headers=JSON_HEADERS)
    check.status_is("DIR-011", response, 403)
