"""The legacy token endpoint /SAAS/auth/oauthtoken and the /SAAS admin gate (scope admin, media types)."""

from __future__ import annotations

import base64

import pytest

from tests.support.core_app import BOOTSTRAP, bearer, make_client, sign

TOKEN = "/SAAS/auth/oauthtoken"
USERS = "/SAAS/jersey/manager/api/scim/Users"
CLIENTS = "/SAAS/jersey/manager/api/oauth2clients"
SECRET = "unit-secret"
CREDENTIALS = (BOOTSTRAP, SECRET)


@pytest.fixture(scope="module")
def client():
    """One emulator for the module: these tests create nothing that another one reads."""
    return make_client()


def test_query_string_parameters_issue_a_token(client):
    """LEGACY-001: ?grant_type=client_credentials&scope=admin with an empty body and Basic auth -> 200 + token."""
    response = client.post(TOKEN, params={"grant_type": "client_credentials", "scope": "admin"}, auth=CREDENTIALS)
    body = response.json()
    assert (200, "Bearer", "admin", "no-store") == (response.status_code, body["token_type"], body["scope"],
                                                    response.headers["cache-control"])
    assert 200 == client.get(USERS, headers=bearer(body["access_token"])).status_code


def test_form_body_parameters_issue_a_token(client):
    """LEGACY-002: a form body grant_type=client_credentials issues a token living access_token_ttl minutes."""
    response = client.post(TOKEN, data={"grant_type": "client_credentials"}, auth=CREDENTIALS)
    assert (200, 60 * 60) == (response.status_code, response.json()["expires_in"])


def test_query_and_form_may_repeat_a_parameter_with_the_same_value(client):
    """Real clients send grant_type in both places; equal values are fine, different ones are invalid_request."""
    same = client.post(TOKEN, params={"grant_type": "client_credentials"}, data={"grant_type": "client_credentials"},
                       auth=CREDENTIALS)
    different = client.post(TOKEN, params={"grant_type": "password"}, data={"grant_type": "client_credentials"},
                            auth=CREDENTIALS)
    assert (200, 400, "invalid_request") == (same.status_code, different.status_code, different.json()["error"])


def test_client_credentials_as_parameters(client):
    """C4: client_id and client_secret in the query string with no Basic header authenticate the client."""
    params = {"grant_type": "client_credentials", "client_id": BOOTSTRAP, "client_secret": SECRET}
    response = client.post(TOKEN, params=params, headers={"Content-Type": "application/json"})
    assert 200 == response.status_code


def test_missing_grant_type_is_invalid_request(client):
    """LEGACY-003: no grant_type anywhere -> 400 invalid_request, no-store."""
    response = client.post(TOKEN, data={"scope": "admin"}, auth=CREDENTIALS)
    assert (400, "invalid_request", "no-store") == (response.status_code, response.json()["error"],
                                                    response.headers["cache-control"])


@pytest.mark.parametrize(("auth", "params"), [
    ((BOOTSTRAP, "wrong"), {}),
    (None, {}),
    (("nobody", SECRET), {}),
    (None, {"client_id": BOOTSTRAP, "client_secret": "wrong"}),
])
def test_failed_client_authentication_is_401_with_basic_challenge(client, auth, params):
    """RFC 6749 §5.2: invalid_client is 401 with a Basic WWW-Authenticate challenge."""
    response = client.post(TOKEN, params={"grant_type": "client_credentials", **params}, auth=auth)
    assert (401, "invalid_client", True) == (response.status_code, response.json()["error"],
                                             response.headers["www-authenticate"].startswith("Basic "))


def test_malformed_basic_header_is_invalid_client(client):
    """A Basic header that is not base64 of id:secret is a failed authentication, not a 500."""
    response = client.post(TOKEN, params={"grant_type": "client_credentials"},
                           headers={"Authorization": "Basic %%%"})
    assert (401, "invalid_client") == (response.status_code, response.json()["error"])


def test_two_authentication_methods_are_refused(client):
    """RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request"."""
    response = client.post(TOKEN, params={"grant_type": "client_credentials", "client_secret": SECRET},
                           auth=CREDENTIALS)
    assert (400, "invalid_request") == (response.status_code, response.json()["error"])


@pytest.mark.parametrize(("params", "error"), [
    ({"grant_type": "client_credentials", "scope": "admin user"}, "invalid_scope"),
    ({"grant_type": "password"}, "unsupported_grant_type"),
    ({"grant_type": "magic"}, "unsupported_grant_type"),
    ({"grant_type": "client_credentials", "grant_type ": "x", "scope": "admin", "x": "1" * 5000}, "invalid_request"),
])
def test_bad_grants_and_scopes(client, params, error):
    """A scope beyond the client's, a grant other than client_credentials, an over-long value: 400 + code."""
    response = client.post(TOKEN, params=params, auth=CREDENTIALS)
    assert (400, error) == (response.status_code, response.json()["error"])


def test_json_body_is_refused(client):
    """A non-empty body must be a form: JSON answers 400 invalid_request."""
    response = client.post(TOKEN, content=b'{"grant_type":"client_credentials"}', auth=CREDENTIALS,
                           headers={"Content-Type": "application/json"})
    assert (400, "invalid_request") == (response.status_code, response.json()["error"])


def test_repeated_parameter_is_invalid_request(client):
    """RFC 6749 §3.2: parameters MUST NOT be included more than once."""
    response = client.post(TOKEN + "?grant_type=client_credentials&grant_type=client_credentials", auth=CREDENTIALS)
    assert (400, "invalid_request") == (response.status_code, response.json()["error"])


def test_basic_credentials_may_be_form_encoded(client):
    """RFC 6749 §2.3.1 form-encodes id and secret before Basic; a client whose secret has '+' still gets in."""
    created = client.post(CLIENTS, headers=bearer(sign(client)), json={
        "clientId": "plus-client", "secret": "a+b c", "scope": "admin", "authGrantTypes": "client_credentials"})
    encoded = base64.b64encode(b"plus-client:a%2Bb+c").decode()
    response = client.post(TOKEN, params={"grant_type": "client_credentials"},
                           headers={"Authorization": f"Basic {encoded}"})
    assert (201, 200) == (created.status_code, response.status_code)


def test_legacy_api_without_token_is_401_envelope(client):
    """LEGACY-013: /SAAS/jersey without a token -> 401, admin envelope, Bearer challenge."""
    response = client.get(USERS)
    assert (401, "auth.token.missing", True) == (response.status_code, response.json()["errors"][0]["code"],
                                                 response.headers["www-authenticate"].startswith("Bearer"))


def test_token_without_admin_scope_is_403(client):
    """The legacy spec: a bearer token "whose scope contains admin (403 otherwise)"."""
    response = client.get(USERS, headers=bearer(sign(client, scope="user")))
    assert (403, "auth.scope.insufficient") == (response.status_code, response.json()["errors"][0]["code"])


def test_directory_sync_token_is_refused(client):
    """A directory sync token is for its directory's SCIM endpoint only, never served by the legacy admin APIs
    (403 here, or 401 when the directories family already rejects the token as not its directory's latest)."""
    response = client.get(USERS, headers=bearer(sign(client, directory_id="d-1")))
    assert True is (response.status_code in (401, 403))


def test_unsupported_content_type_is_415_and_unacceptable_accept_is_406(client):
    """Request media types come from the legacy spec (415 otherwise); Accept must name one we produce (406)."""
    token = sign(client)
    unsupported = client.post(USERS, headers={**bearer(token), "Content-Type": "text/plain"}, content=b"x")
    unacceptable = client.get(USERS, headers={**bearer(token), "Accept": "text/html"})
    assert (415, 406) == (unsupported.status_code, unacceptable.status_code)
    assert "request.media.type.unsupported" == unsupported.json()["errors"][0]["code"]


def test_fault_query_params_ignored(client):
    """Fault legacy-token-query-params-ignored: ?grant_type=... is not read, so the request lacks grant_type."""
    faulty = make_client(faults=("legacy-token-query-params-ignored",))
    response = faulty.post(TOKEN, params={"grant_type": "client_credentials"}, auth=CREDENTIALS)
    assert (400, "invalid_request") == (response.status_code, response.json()["error"])


def test_fault_missing_grant_type_500(client):
    """Fault legacy-missing-grant-type-500: the vendor's documented 500 for a missing grant_type."""
    faulty = make_client(faults=("legacy-missing-grant-type-500",))
    response = faulty.post(TOKEN, data={"scope": "admin"}, auth=CREDENTIALS)
    assert (500, "server_error") == (response.status_code, response.json()["error"])


def test_client_authentication_is_judged_before_the_parameters(client):
    """Without any credentials the answer is 401 even when the parameters are also wrong (conflicting, missing
    grant_type): a request lacking Authorization must get 401 (CONTRACT-006)."""
    conflicting = client.post(TOKEN, params={"grant_type": "client_credentials", "client_id": "a"},
                              data={"grant_type": "client_credentials", "client_id": "b"})
    no_grant = client.post(TOKEN, data={"scope": "admin"})
    assert [401, 401] == [conflicting.status_code, no_grant.status_code]


def test_wrong_method_lists_every_method_of_the_path(client):
    """RFC 9110 §15.5.6: a 405 carries Allow naming every method the resource supports."""
    response = client.put(USERS + "/some-id", headers=bearer(sign(client)))
    allowed = {method.strip() for method in response.headers["allow"].split(",")}
    assert (405, True) == (response.status_code, {"GET", "PATCH", "DELETE"} <= allowed)
