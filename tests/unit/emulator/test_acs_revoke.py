"""POST /acs/revoke (RFC 7009), GET /acs/userinfo, discovery, JWKS and the authorization endpoint of the emulator."""

from __future__ import annotations

import pytest

from tests.support.acs_app import ADMIN_ID, ADMIN_SECRET, BASE, bearer


def test_revoked_access_token_stops_working(acs):
    """Revoking one's own access token answers 200 with no body; the token then gets 401."""
    token = acs.access_token()
    response = acs.revoke(token)
    assert (200, b"", 401) == (response.status_code, response.content, acs.works(token))


def test_revoking_another_clients_token_is_refused(acs):
    """400 invalid_request, and the token keeps working (RFC 7009 §2.1; S1 revoke 400)."""
    client_id, secret = acs.new_client()
    token = acs.access_token(client_id, secret)
    response = acs.revoke(token)
    assert (400, "invalid_request", 200) == (response.status_code, response.json()["error"], acs.works(token))


@pytest.mark.parametrize("token", ["not-a-token", "a.b.c", "eyJhbGciOiJub25lIn0.e30."])
def test_unknown_tokens_answer_200(acs, token):
    """RFC 7009 §2.2: an invalid token answers 200."""
    assert 200 == acs.revoke(token).status_code


@pytest.mark.parametrize(("form", "error"), [({"token_type_hint": "id_token"}, "unsupported_token_type"),
                                             ({"token": "has spaces"}, "invalid_request")])
def test_schema_violating_revocations_are_400(acs, form, error):
    """A hint outside the enum and a token outside its pattern answer 400 (CONTRACT-005)."""
    response = acs.client.post("/acs/revoke", data={"token": "abc", **form}, auth=(ADMIN_ID, ADMIN_SECRET))
    assert (400, error) == (response.status_code, response.json()["error"])


def test_missing_token_is_invalid_request(acs):
    """RFC 7009 §2.1: token is REQUIRED."""
    response = acs.client.post("/acs/revoke", data={"token_type_hint": "access_token"}, auth=(ADMIN_ID, ADMIN_SECRET))
    assert (400, "invalid_request") == (response.status_code, response.json()["error"])


def test_revocation_needs_client_authentication(acs):
    """Revocation authenticates the client like the token endpoint: 401 invalid_client with a Basic challenge."""
    response = acs.client.post("/acs/revoke", data={"token": acs.access_token()}, auth=(ADMIN_ID, "wrong"))
    assert (401, "invalid_client") == (response.status_code, response.json()["error"])
    assert response.headers["www-authenticate"].startswith("Basic ")


@pytest.mark.parametrize("hint", ["refresh_token", "access_token"])
def test_revoking_a_refresh_token_revokes_its_access_tokens(acs, hint):
    """The refresh token dies, and so do the access tokens issued with it (RFC 7009 §2.1 SHOULD), whatever the
    hint says."""
    client_id, secret = acs.new_client(grant_types=["client_credentials", "refresh_token"], refresh_token_ttl=10,
                                       refresh_token_idle_ttl=10)
    issued = acs.token(client_id, secret).json()
    assert 200 == acs.revoke(issued["refresh_token"], client_id, secret, token_type_hint=hint).status_code
    again = acs.token(client_id, secret, grant_type="refresh_token", refresh_token=issued["refresh_token"])
    assert ("invalid_grant", 401) == (again.json()["error"], acs.works(issued["access_token"]))


def test_userinfo_describes_the_tokens_client(acs):
    """GET /acs/userinfo with a bearer token answers sub and client_id of the client."""
    body = acs.client.get("/acs/userinfo", headers=acs.admin()).json()
    assert (ADMIN_ID, ADMIN_ID, "admin") == (body["sub"], body["client_id"], body["scope"])


@pytest.mark.parametrize("headers", [{}, bearer("garbage")])
def test_userinfo_without_a_valid_token_is_401_bearer(acs, headers):
    """401 with a Bearer challenge and an OAuth 2.0 error body."""
    response = acs.client.get("/acs/userinfo", headers=headers)
    assert (401, "invalid_token", True) == (response.status_code, response.json()["error"],
                                            response.headers["www-authenticate"].startswith("Bearer"))


def test_discovery_names_what_the_emulator_serves(acs):
    """Every endpoint discovery names answers (none is a 404), on the host that was asked, under the issuer."""
    metadata = acs.client.get("/acs/.well-known/openid-configuration").json()
    endpoints = [metadata[name] for name in ("authorization_endpoint", "token_endpoint", "jwks_uri",
                                             "revocation_endpoint", "userinfo_endpoint")]
    statuses = {acs.client.request("GET" if "/jwks" in url or "/authorize" in url or "/userinfo" in url else "POST",
                                   url).status_code for url in endpoints}
    assert (BASE + "/acs", True, False) == (metadata["issuer"], all(u.startswith(BASE + "/acs/") for u in endpoints),
                                           404 in statuses)


def test_jwks_publishes_only_public_keys(acs):
    """application/jwk-set+json with the signing kid and no private members."""
    response = acs.client.get("/acs/jwks")
    key = response.json()["keys"][0]
    assert ("application/jwk-set+json", "RS256", set()) == (response.headers["content-type"], key["alg"],
                                                            {"d", "p", "q", "dp", "dq", "qi"} & set(key))


def test_authorize_checks_client_and_redirect_uri(acs):
    """Unknown client or unregistered redirect_uri: 400; a registered (wildcard) one: a redirect with an error."""
    acs.new_client(grant_types=["authorization_code"], redirect_uris=["https://*.example.com/cb"])
    unknown = acs.client.get("/acs/authorize", params={"client_id": "nobody", "redirect_uri": "https://x/cb"})
    mismatch = acs.client.get("/acs/authorize", params={"client_id": "c-1", "redirect_uri": "https://evil.test/cb"})
    ok = acs.client.get("/acs/authorize", params={"client_id": "c-1", "redirect_uri": "https://a.example.com/cb",
                                                  "state": "s1"}, follow_redirects=False)
    assert (400, 400, 302) == (unknown.status_code, mismatch.status_code, ok.status_code)
    assert ok.headers["location"].startswith("https://a.example.com/cb?error=access_denied")
    assert ok.headers["location"].endswith("state=s1")
