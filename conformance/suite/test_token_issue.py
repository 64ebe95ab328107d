"""POST /acs/token: client authentication, the token response, OAuth 2.0 errors and caching headers."""

from __future__ import annotations

import httpx
import pytest

from conformance.checks import oauth as check
from conformance.checks.core import require
from conformance.checks.legacy import oauth_error
from conformance.checks.scim import status_is
from conformance.plugin.clients import TOKEN_PATH


def wrong_basic(oauth_client):
    """Basic credentials with the right client_id and a wrong secret."""
    return httpx.BasicAuth(oauth_client.client_id, oauth_client.secret + "-wrong")


@pytest.mark.requirement("TOKEN-001")
def test_basic_client_credentials_issues_a_working_token(client_admin, reader_client):
    """grant_type=client_credentials with HTTP Basic answers 200 with an access token the admin API accepts."""
    body = check.issued("TOKEN-001", client_admin.token(reader_client.basic))
    status_is("TOKEN-001", client_admin.probe(body["access_token"]), 200)


@pytest.mark.requirement("TOKEN-002")
def test_form_credentials_authenticate_without_basic(client_admin, reader_client):
    """client_id and client_secret in the form body (no Authorization header) issue a token (client_secret_post)."""
    response = client_admin.token(None, client_id=reader_client.client_id, client_secret=reader_client.secret)
    check.issued("TOKEN-002", response)


@pytest.mark.requirement("TOKEN-002")
def test_form_credentials_are_not_used_with_basic(client_admin, reader_client):
    """A wrong Basic secret is not rescued by the right secret in the form: no token (400 or 401)."""
    response = client_admin.token(wrong_basic(reader_client), client_id=reader_client.client_id,
                                  client_secret=reader_client.secret)
    status_is("TOKEN-002", response, 400, 401)


@pytest.mark.requirement("TOKEN-003")
def test_wrong_secret_is_invalid_client(client_admin, reader_client):
    """A wrong secret in the Basic header answers 401 invalid_client with WWW-Authenticate: Basic."""
    check.client_auth_failed("TOKEN-003", client_admin.token(wrong_basic(reader_client)))


@pytest.mark.requirement("TOKEN-003")
def test_unknown_client_is_invalid_client(client_admin):
    """An unknown client_id in the Basic header answers 401 invalid_client with WWW-Authenticate: Basic."""
    unknown = httpx.BasicAuth(client_admin.label("unknown"), "not-a-secret-of-anyone")
    check.client_auth_failed("TOKEN-003", client_admin.token(unknown))


@pytest.mark.requirement("TOKEN-003")
def test_no_client_authentication_is_invalid_client(client_admin):
    """A token request without any client authentication answers invalid_client (401, or 400 without Basic)."""
    response = client_admin.token(None)
    status_is("TOKEN-003", response, 400, 401)
    oauth_error("TOKEN-003", response, response.status_code, "invalid_client")


@pytest.mark.requirement("TOKEN-004")
def test_expires_in_is_the_clients_ttl_in_seconds(client_admin, new_client):
    """expires_in is access_token_ttl x 60 for a 7-minute client, and follows a PATCH to 11 minutes."""
    oauth_client = new_client(access_token_ttl=7)
    check.expires_in("TOKEN-004", client_admin.token(oauth_client.basic), 7)
    status_is("TOKEN-004", client_admin.patch(oauth_client.client_id, {"access_token_ttl": 11}), 200)
    check.expires_in("TOKEN-004", client_admin.token(oauth_client.basic), 11)


@pytest.mark.requirement("TOKEN-005")
def test_unknown_grant_type_is_unsupported(client_admin, reader_client):
    """A grant_type the service does not know answers 400 unsupported_grant_type."""
    response = client_admin.token(reader_client.basic, grant_type="urn:example:ctk:no-such-grant")
    oauth_error("TOKEN-005", response, 400, "unsupported_grant_type")


@pytest.mark.requirement("TOKEN-006")
def test_missing_grant_type_is_invalid_request(client_admin, reader_client):
    """A form without grant_type answers 400 invalid_request."""
    response = client_admin.token(reader_client.basic, grant_type=None, scope="admin")
    oauth_error("TOKEN-006", response, 400, "invalid_request")


@pytest.mark.requirement("TOKEN-007")
def test_json_body_is_invalid_request(client, reader_client):
    """The same parameters as a JSON body answer 400 invalid_request: the endpoint takes forms only."""
    response = client.post(TOKEN_PATH, json={"grant_type": "client_credentials"}, auth=reader_client.basic)
    if response.status_code == 200:
        client.redactor.register(response.json().get("access_token"))
    oauth_error("TOKEN-007", response, 400, "invalid_request")


@pytest.mark.requirement("TOKEN-008")
def test_grant_not_enabled_for_the_client_is_unauthorized_client(client_admin, new_client):
    """A client whose grant_types lack client_credentials gets 400 unauthorized_client for that grant."""
    oauth_client = new_client(grant_types=["password"])
    oauth_error("TOKEN-008", client_admin.token(oauth_client.basic), 400, "unauthorized_client")


@pytest.mark.requirement("TOKEN-009")
def test_token_type_is_bearer(client_admin, reader_client):
    """The token response says token_type Bearer (any case)."""
    response = client_admin.token(reader_client.basic)
    status_is("TOKEN-009", response, 200)
    check.token_type_bearer("TOKEN-009", response)


@pytest.mark.requirement("TOKEN-010")
def test_token_response_is_not_stored(client_admin, reader_client):
    """A 200 token response carries Cache-Control: no-store."""
    response = client_admin.token(reader_client.basic)
    status_is("TOKEN-010", response, 200)
    check.no_store("TOKEN-010", response)


@pytest.mark.requirement("TOKEN-011")
def test_token_errors_are_not_stored(client_admin, reader_client):
    """401 invalid_client and 400 unsupported_grant_type answers carry Cache-Control: no-store as well."""
    unauthorized = client_admin.token(wrong_basic(reader_client))
    status_is("TOKEN-011", unauthorized, 401)
    check.no_store("TOKEN-011", unauthorized)
    bad_grant = client_admin.token(reader_client.basic, grant_type="urn:example:ctk:no-such-grant")
    status_is("TOKEN-011", bad_grant, 400)
    check.no_store("TOKEN-011", bad_grant)


@pytest.mark.requirement("TOKEN-026")
def test_scopes_outside_the_client_are_ignored(client_admin, reader_client):
    """For a client with scope [admin], scope="admin user email" is granted as "admin" (and said so, since it
    differs from the request); without scope the token carries the client's scopes."""
    narrowed = client_admin.token(reader_client.basic, scope="admin user email")
    granted = check.issued("TOKEN-026", narrowed).get("scope")
    require("TOKEN-026", isinstance(granted, str) and ["admin"] == sorted(granted.split()),
            f"expected scope 'admin' for a request of 'admin user email', got {granted!r}", narrowed)
    default = client_admin.token(reader_client.basic)
    granted = check.issued("TOKEN-026", default).get("scope")
    require("TOKEN-026", granted is None or ["admin"] == sorted(str(granted).split()),
            f"without scope the client's scopes ('admin') are granted, got {granted!r}", default)
