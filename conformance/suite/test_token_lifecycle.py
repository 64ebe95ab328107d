"""The life of an access token: expiry, revocation (RFC 7009), client deletion, refresh and rule-set removal."""

from __future__ import annotations

import pytest

from conformance.checks import oauth as check
from conformance.checks.core import require
from conformance.checks.scim import status_is

SHORT_TTL_MINUTES = 1
READ_ONLY = "READ_ONLY_TENANT_ADMIN"
IDP_ADMIN = "IDP_AND_DIRECTORY_ADMIN"


def rejected(requirement_id, client_admin, token, why):
    """The bearer-protected probe answers 401 for ``token``."""
    response = client_admin.probe(token)
    require(requirement_id, 401 == response.status_code, f"{why}: expected 401, got {response.status_code}", response)


def accepted(requirement_id, client_admin, token, why):
    """The bearer-protected probe answers 200 for ``token``."""
    response = client_admin.probe(token)
    require(requirement_id, 200 == response.status_code, f"{why}: expected 200, got {response.status_code}", response)


@pytest.mark.emulator_only
@pytest.mark.requirement("TOKEN-018")
def test_token_works_until_expiry_then_401(client_admin, new_client, exclusive_clock):
    """A 1-minute token still works 45 s after issue and answers 401 once the minute is over."""
    token = client_admin.access_token(new_client(access_token_ttl=SHORT_TTL_MINUTES), "TOKEN-018")
    accepted("TOKEN-018", client_admin, token, "fresh token")
    exclusive_clock(SHORT_TTL_MINUTES * 60 - 15)
    accepted("TOKEN-018", client_admin, token, "token 15 s before its expiry")
    exclusive_clock(30)
    rejected("TOKEN-018", client_admin, token, "token 15 s after its expiry")


@pytest.mark.requirement("TOKEN-019")
def test_revoked_token_is_rejected(client_admin, new_client):
    """POST /acs/revoke with the owner's credentials answers 200; the token then gets 401, a new one works."""
    oauth_client = new_client()
    token = client_admin.access_token(oauth_client, "TOKEN-019")
    accepted("TOKEN-019", client_admin, token, "token before revocation")
    status_is("TOKEN-019", client_admin.revoke(oauth_client.basic, token), 200)
    rejected("TOKEN-019", client_admin, token, "revoked token")
    accepted("TOKEN-019", client_admin, client_admin.access_token(oauth_client, "TOKEN-019"), "token issued after")


@pytest.mark.requirement("TOKEN-020")
def test_revoking_an_unknown_token_is_200(client_admin, reader_client):
    """Revoking a string that is no token of this service answers 200 (RFC 7009 §2.2)."""
    status_is("TOKEN-020", client_admin.revoke(reader_client.basic, "ctk0unknown0token0" + "x" * 24), 200)


@pytest.mark.requirement("TOKEN-021")
def test_revoking_another_clients_token_is_refused(client_admin, new_client):
    """Client B revoking client A's token answers 400 with an OAuth 2.0 error; A's token keeps working."""
    owner, other = new_client(), new_client()
    token = client_admin.access_token(owner, "TOKEN-021")
    check.oauth_error_body("TOKEN-021", client_admin.revoke(other.basic, token), 400)
    accepted("TOKEN-021", client_admin, token, "token after another client tried to revoke it")


@pytest.mark.requirement("TOKEN-022")
def test_deleting_the_client_invalidates_its_tokens(client_admin, new_client):
    """After DELETE of the client (204) its token answers 401."""
    oauth_client = new_client()
    token = client_admin.access_token(oauth_client, "TOKEN-022")
    accepted("TOKEN-022", client_admin, token, "token before the client was deleted")
    status_is("TOKEN-022", client_admin.delete(oauth_client.client_id), 204)
    rejected("TOKEN-022", client_admin, token, "token of a deleted client")


@pytest.mark.requirement("TOKEN-023")
def test_refresh_token_obtains_a_new_access_token(client_admin, new_client):
    """For a client with the refresh_token grant, an issued refresh token yields a new working access token."""
    oauth_client = new_client(grant_types=["client_credentials", "refresh_token"], refresh_token_ttl=120,
                              refresh_token_idle_ttl=60)
    first = check.issued("TOKEN-023", client_admin.token(oauth_client.basic))
    if not first.get("refresh_token"):
        pytest.skip("the service issues no refresh token with client_credentials (RFC 6749 §4.4.3: SHOULD NOT)")
    refreshed = client_admin.token(oauth_client.basic, grant_type="refresh_token",
                                   refresh_token=str(first["refresh_token"]))
    body = check.issued("TOKEN-023", refreshed)
    accepted("TOKEN-023", client_admin, body["access_token"], "access token from the refresh grant")


def remove_rule_set(client_admin, new_client, requirement_id, **params):
    """A client with two rule sets and a token; PATCH drops IDP_AND_DIRECTORY_ADMIN. Returns (client, token)."""
    oauth_client = new_client(rule_set_names=[READ_ONLY, IDP_ADMIN])
    token = client_admin.access_token(oauth_client, requirement_id)
    accepted(requirement_id, client_admin, token, "token before the rule-set removal")
    status_is(requirement_id, client_admin.patch(oauth_client.client_id, {"rule_set_names": [READ_ONLY]}, **params),
              200)
    return oauth_client, token


@pytest.mark.requirement("TOKEN-024")
def test_rule_set_removal_revokes_tokens(client_admin, new_client):
    """Dropping a rule set (default revoke_token_on_rule_set_removal) makes the old token 401; a new one works."""
    oauth_client, token = remove_rule_set(client_admin, new_client, "TOKEN-024")
    rejected("TOKEN-024", client_admin, token, "token issued before a rule set was removed")
    accepted("TOKEN-024", client_admin, client_admin.access_token(oauth_client, "TOKEN-024"), "token issued after")


@pytest.mark.requirement("TOKEN-025")
def test_rule_set_removal_without_revocation_keeps_tokens(client_admin, new_client):
    """With revoke_token_on_rule_set_removal=false the old token keeps working for what the rule sets left allow."""
    _, token = remove_rule_set(client_admin, new_client, "TOKEN-025", revoke_token_on_rule_set_removal="false")
    accepted("TOKEN-025", client_admin, token, "token after a rule-set removal without revocation")
