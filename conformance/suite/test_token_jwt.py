"""Signing keys, the JWT access token and OpenID Provider discovery under /acs."""

from __future__ import annotations

import pytest

from conformance.checks import oauth as check
from conformance.checks.core import require
from conformance.checks.scim import json_object, status_is

JWKS_PATH = "/acs/jwks"
DISCOVERY_PATH = "/acs/.well-known/openid-configuration"


@pytest.fixture(scope="module")
def access_token(client_admin, reader_client):
    """A fresh access token of the session's reader client."""
    return client_admin.access_token(reader_client, "TOKEN-013")


@pytest.fixture(scope="module")
def discovery(client):
    """The discovery response (judged by the tests that use it)."""
    return client.get(DISCOVERY_PATH, headers={"Accept": "application/json"})


@pytest.mark.requirement("TOKEN-012")
def test_jwks_is_a_public_jwk_set(client):
    """GET /acs/jwks answers 200 application/jwk-set+json with importable public keys and no private members."""
    check.jwk_set("TOKEN-012", client.get(JWKS_PATH))


@pytest.mark.requirement("TOKEN-013")
def test_access_token_is_rs256_signed_by_a_published_key(client, access_token):
    """The access token is a compact JWT, alg RS256, whose signature verifies with the /acs/jwks key set."""
    keys = check.jwk_set("TOKEN-013", client.get(JWKS_PATH))
    check.rs256_signed("TOKEN-013", access_token, keys)


@pytest.mark.requirement("TOKEN-014")
def test_access_token_kid_is_published(client, access_token):
    """The token header's kid names a key of /acs/jwks."""
    keys = check.jwk_set("TOKEN-014", client.get(JWKS_PATH))
    check.kid_in("TOKEN-014", access_token, keys)


@pytest.mark.requirement("TOKEN-015")
def test_access_token_iss_is_the_discovery_issuer(access_token, discovery):
    """The token's iss claim equals discovery's issuer (the signature is TOKEN-013's matter)."""
    issuer = json_object("TOKEN-015", discovery).get("issuer")
    claims = check.unverified_claims("TOKEN-015", access_token)
    require("TOKEN-015", issuer == claims.get("iss"),
                  f"expected iss {issuer!r} (discovery issuer), got {claims.get('iss')!r}")


@pytest.mark.requirement("TOKEN-016")
def test_discovery_names_endpoints_on_the_requested_host(target, discovery):
    """issuer is <base>/acs exactly; token_endpoint is <base>/acs/token; jwks_uri is on the same origin."""
    status_is("TOKEN-016", discovery, 200)
    metadata = json_object("TOKEN-016", discovery)
    issuer = check.same_origin("TOKEN-016", metadata, "issuer", target.base_url, discovery)
    require("TOKEN-016", target.base_url + "/acs" == issuer,
                  f"issuer must be the URL discovery was fetched under, {target.base_url}/acs; got {issuer!r}",
                  discovery)
    token_endpoint = check.same_origin("TOKEN-016", metadata, "token_endpoint", target.base_url, discovery)
    require("TOKEN-016", issuer + "/token" == token_endpoint,
                  f"expected token_endpoint {issuer}/token, got {token_endpoint!r}", discovery)
    check.same_origin("TOKEN-016", metadata, "jwks_uri", target.base_url, discovery)


@pytest.mark.requirement("TOKEN-017")
def test_discovery_names_the_revocation_endpoint(target, discovery):
    """revocation_endpoint is <base>/acs/revoke."""
    status_is("TOKEN-017", discovery, 200)
    metadata = json_object("TOKEN-017", discovery)
    revocation = check.same_origin("TOKEN-017", metadata, "revocation_endpoint", target.base_url, discovery)
    require("TOKEN-017", target.base_url + "/acs/revoke" == revocation,
                  f"expected revocation_endpoint {target.base_url}/acs/revoke, got {revocation!r}", discovery)
