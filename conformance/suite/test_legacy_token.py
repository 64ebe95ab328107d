"""The legacy Access token endpoint /SAAS/auth/oauthtoken, as seed 003 and real clients call it."""

from __future__ import annotations

import httpx
import pytest

from conformance.checks import scim as check
from conformance.checks.legacy import admin_envelope, oauth_error, oauth_token

TOKEN_PATH = "/SAAS/auth/oauthtoken"
LEGACY_USERS = "/SAAS/jersey/manager/api/scim/Users"


@pytest.fixture
def basic(target, admin):
    """HTTP Basic credentials of the admin client (``admin`` skips the test when there are none)."""
    return httpx.BasicAuth(target.client_id, target.client_secret)


def register(client, response):
    """Keep any issued token out of reports."""
    if response.status_code == 200:
        client.redactor.register(response.json().get("access_token"))
    return response


@pytest.mark.requirement("LEGACY-001")
def test_parameters_in_the_query_string(client, basic):
    """``POST ?grant_type=client_credentials&scope=admin`` with an empty body issues a token usable on /SAAS."""
    response = register(client, client.post(TOKEN_PATH, params={"grant_type": "client_credentials", "scope": "admin"},
                                            auth=basic))
    token = oauth_token("LEGACY-001", response)
    check.status_is("LEGACY-001", client.get(LEGACY_USERS, token=token, params={"count": 1}), 200)


@pytest.mark.requirement("LEGACY-002")
def test_parameters_in_a_form_body(client, basic):
    """A form body ``grant_type=client_credentials&scope=admin`` issues a token too."""
    response = register(client, client.post(TOKEN_PATH, data={"grant_type": "client_credentials", "scope": "admin"},
                                            auth=basic))
    oauth_token("LEGACY-002", response)


@pytest.mark.requirement("LEGACY-003")
def test_missing_grant_type_is_invalid_request(client, basic):
    """Without grant_type anywhere the endpoint answers 400 invalid_request (RFC 6749 §5.2), never a 5xx."""
    oauth_error("LEGACY-003", client.post(TOKEN_PATH, data={"scope": "admin"}, auth=basic), 400, "invalid_request")


@pytest.mark.requirement("LEGACY-013")
def test_legacy_api_without_token_is_401_envelope(client):
    """/SAAS/jersey/manager/api without a token answers 401 in the admin envelope."""
    admin_envelope("LEGACY-013", client.get(LEGACY_USERS), 401)
