"""POST /acs/token of the emulator: issue/verify round trip, client authentication, grants, scopes and every error."""

from __future__ import annotations

import base64

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from conformance.emulator.core.clients import insert_client
from tests.support.acs_app import ADMIN_ID, ADMIN_SECRET, BASE


def test_issued_token_verifies_against_jwks(acs):
    """The token is an RS256 JWT whose kid is in /acs/jwks and whose iss is the discovery issuer."""
    token = acs.access_token()
    keys = KeySet.import_key_set(acs.client.get("/acs/jwks").json())
    decoded = jwt.decode(token, keys, algorithms=["RS256"])
    issuer = acs.client.get("/acs/.well-known/openid-configuration").json()["issuer"]
    assert ("RS256", issuer, ADMIN_ID, "admin") == (decoded.header["alg"], decoded.claims["iss"],
                                                    decoded.claims["client_id"], decoded.claims["scope"])


def test_token_response_shape_and_headers(acs):
    """200 with Bearer, expires_in = access_token_ttl x 60, the granted scope and no-store caching headers."""
    response = acs.token()
    body = response.json()
    assert (200, "Bearer", 3600, "admin") == (response.status_code, body["token_type"], body["expires_in"],
                                              body["scope"])
    assert ("no-store", "no-cache") == (response.headers["cache-control"], response.headers["pragma"])
    assert response.headers["content-type"].startswith("application/json")


def test_expires_in_follows_the_clients_ttl(acs):
    """A 7-minute client gets expires_in 420 and a token whose exp - iat is 420."""
    client_id, secret = acs.new_client(access_token_ttl=7)
    body = acs.token(client_id, secret).json()
    claims = jwt.decode(body["access_token"], acs.client.app.state.context.key._key).claims
    assert (420, 420) == (body["expires_in"], claims["exp"] - claims["iat"])


def test_form_credentials_authenticate_without_basic(acs):
    """client_secret_post: client_id/client_secret in the body work when no Authorization header is sent."""
    response = acs.client.post("/acs/token", data={"grant_type": "client_credentials", "client_id": ADMIN_ID,
                                                   "client_secret": ADMIN_SECRET})
    assert 200 == response.status_code


def test_two_authentication_methods_are_invalid_request(acs):
    """Basic plus client_secret in the body answers 400 invalid_request (RFC 6749 §2.3.1)."""
    response = acs.token(client_secret=ADMIN_SECRET)
    assert (400, "invalid_request") == (response.status_code, response.json()["error"])


def test_basic_credentials_may_be_form_encoded(acs):
    """RFC 6749 §2.3.1 form-encodes id and secret inside Basic; an encoded secret authenticates too."""
    client_id, secret = acs.new_client(secret="with space+plus")
    encoded = base64.b64encode(f"{client_id}:with+space%2Bplus".encode()).decode()
    response = acs.client.post("/acs/token", data={"grant_type": "client_credentials"},
                               headers={"Authorization": f"Basic {encoded}"})
    assert (200, 200) == (response.status_code, acs.token(client_id, secret).status_code)


@pytest.mark.parametrize(("auth", "headers"), [
    ((ADMIN_ID, "wrong"), {}),
    (("nobody", "secret"), {}),
    (None, {}),
    (None, {"Authorization": "Basic !!!notbase64"}),
    (None, {"Authorization": "Bearer abc"}),
])
def test_failed_client_authentication_is_401_basic(acs, auth, headers):
    """Wrong secret, unknown client, no credentials, malformed Basic or another scheme: 401 invalid_client + Basic."""
    response = acs.client.post("/acs/token", data={"grant_type": "client_credentials"}, auth=auth, headers=headers)
    assert (401, "invalid_client", True) == (response.status_code, response.json()["error"],
                                             response.headers["www-authenticate"].startswith("Basic "))
    assert "no-store" == response.headers["cache-control"]


@pytest.mark.parametrize(("form", "error"), [
    ({"grant_type": ""}, "invalid_request"),
    ({"grant_type": "urn:example:none"}, "unsupported_grant_type"),
    ({"grant_type": "password"}, "unauthorized_client"),
    ({"scope": "superuser"}, "invalid_scope"),
    ({"scope": "admin<script>"}, "invalid_scope"),
    ({"code_verifier": "not valid!"}, "invalid_request"),
])
def test_token_errors(acs, form, error):
    """Missing/unknown/not-enabled grants, scopes the client lacks and malformed fields answer 400 with their code."""
    response = acs.token(**form)
    assert (400, error) == (response.status_code, response.json()["error"])


@pytest.mark.parametrize("body", [b'{"grant_type": "client_credentials"}', b"grant_type=a&grant_type=b",
                                  b"grant_type=%ff"])
def test_malformed_forms_are_invalid_request(acs, body):
    """A JSON body, a repeated parameter and undecodable bytes answer 400 invalid_request."""
    content_type = "application/json" if body.startswith(b"{") else "application/x-www-form-urlencoded"
    response = acs.client.post("/acs/token", content=body, auth=(ADMIN_ID, ADMIN_SECRET),
                               headers={"Content-Type": content_type})
    assert (400, "invalid_request") == (response.status_code, response.json()["error"])


def test_secret_in_the_query_is_invalid_request(acs):
    """Credentials in the request URI are refused (RFC 6749 §2.3.1)."""
    response = acs.client.post(f"/acs/token?client_secret={ADMIN_SECRET}", data={"grant_type": "client_credentials"},
                               auth=(ADMIN_ID, ADMIN_SECRET))
    assert 400 == response.status_code


def test_requested_scopes_are_narrowed_to_the_clients(acs):
    """Requested scopes the client lacks are ignored (S1 TokenFormData.scope); the response names what was granted."""
    client_id, secret = acs.new_client(scope=["admin", "user"])
    assert "user" == acs.token(client_id, secret, scope="user email").json()["scope"]
    assert "admin user" == acs.token(client_id, secret).json()["scope"]


@pytest.mark.parametrize(("grant", "form", "error"), [
    ("authorization_code", {}, "invalid_request"),
    ("authorization_code", {"code": "abc"}, "invalid_grant"),
    ("password", {"username": "u", "password": "p"}, "invalid_grant"),
])
def test_grants_the_emulator_cannot_verify(acs, grant, form, error):
    """A client with the grant gets invalid_request without its parameters and invalid_grant with them."""
    client_id, secret = acs.new_client(grant_types=[grant], redirect_uris=["https://app.example/cb"])
    response = acs.token(client_id, secret, grant_type=grant, **form)
    assert (400, error) == (response.status_code, response.json()["error"])


def refresh_client(acs, **fields):
    """A client with the refresh_token grant (10 min lifetime, 5 min idle)."""
    return acs.new_client(grant_types=["client_credentials", "refresh_token"], refresh_token_ttl=10,
                          refresh_token_idle_ttl=5, **fields)


def test_refresh_token_obtains_a_new_access_token(acs):
    """A client with the refresh_token grant gets a refresh token that yields another working access token."""
    client_id, secret = refresh_client(acs)
    first = acs.token(client_id, secret).json()
    again = acs.token(client_id, secret, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert (200, True) == (again.status_code, again.json()["access_token"] != first["access_token"])
    assert 200 == acs.works(again.json()["access_token"])


@pytest.mark.parametrize("uses", [[6 * 60], [4 * 60, 4 * 60, 150]])
def test_refresh_token_idle_and_absolute_lifetimes(acs, uses):
    """Unused for longer than the 5-minute idle TTL, or (used every 4 minutes) older than the 10-minute TTL, a
    refresh token answers invalid_grant."""
    client_id, secret = refresh_client(acs)
    refresh = acs.token(client_id, secret).json()["refresh_token"]
    for step in uses[:-1]:
        acs.advance(step)
        assert 200 == acs.token(client_id, secret, grant_type="refresh_token", refresh_token=refresh).status_code
    acs.advance(uses[-1])
    response = acs.token(client_id, secret, grant_type="refresh_token", refresh_token=refresh)
    assert (400, "invalid_grant") == (response.status_code, response.json()["error"])


def test_refresh_token_belongs_to_its_client(acs):
    """Another client's refresh token, an unknown one and a missing one are refused."""
    client_id, secret = refresh_client(acs)
    other_id, other_secret = refresh_client(acs, client_id="c-2")
    refresh = acs.token(client_id, secret).json()["refresh_token"]
    foreign = acs.token(other_id, other_secret, grant_type="refresh_token", refresh_token=refresh)
    unknown = acs.token(client_id, secret, grant_type="refresh_token", refresh_token="abc123")
    missing = acs.token(client_id, secret, grant_type="refresh_token")
    assert ["invalid_grant", "invalid_grant", "invalid_request"] == [r.json()["error"] for r in (foreign, unknown,
                                                                                               missing)]


def test_client_credentials_without_refresh_grant_gets_no_refresh_token(acs):
    """RFC 6749 §4.4.3: no refresh token unless the client has the refresh_token grant."""
    assert "refresh_token" not in acs.token().json()


def test_sync_client_token_carries_its_directory(acs):
    """A directory sync client (a row with directory_id) authenticates here; its token names the directory."""
    ctx = acs.client.app.state.context
    with ctx.store.tx() as db:
        insert_client(db, {"client_id": "syncClientIdX", "token_ttl": 30}, "sync-secret", 0.0, directory_id="dir-1")
    body = acs.token("syncClientIdX", "sync-secret").json()
    claims = jwt.decode(body["access_token"], ctx.key._key).claims
    assert (1800, "dir-1", BASE + "/acs") == (body["expires_in"], claims["directory_id"], claims["iss"])
