"""OpenID Provider metadata, the JWK set and the authorization endpoint the metadata must name.

OpenID Connect Discovery 1.0 §3: "issuer REQUIRED. URL using the https scheme [...] that the OP asserts as its
Issuer Identifier"; authorization_endpoint, token_endpoint, jwks_uri, response_types_supported,
subject_types_supported and id_token_signing_alg_values_supported are REQUIRED (S1 OIDCDiscovery too). §4.3: "The
issuer value returned MUST be identical to the Issuer URL that was used as the prefix to
/.well-known/openid-configuration". RFC 7517 §8.5: JWK sets are served as ``application/jwk-set+json``.

The emulator has no end users, so /acs/authorize never issues a code: it checks client_id and redirect_uri (S1: 400
"no/unknown client_id, redirect_uri missing/mismatch", with error and error_description) and otherwise redirects
back with ``error=access_denied`` (RFC 6749 §4.1.2.1).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from conformance.emulator.acs import faults
from conformance.emulator.acs.form import CLIENT_ID
from conformance.emulator.acs.validation import SCOPES
from conformance.emulator.core.clients import get_client
from conformance.emulator.core.context import context
from conformance.emulator.core.errors import OAuthError
from conformance.emulator.core.tokens import base_url, issuer

JWK_SET = "application/jwk-set+json"
AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
CLAIMS = ["iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "directory_id"]


async def openid_configuration(request: Request) -> Response:
    """GET /acs/.well-known/openid-configuration: endpoints on the host the client addressed."""
    ctx = context(request)
    acs = issuer(request)
    metadata = {
        "issuer": base_url(request) if ctx.faults.on(faults.DISCOVERY_ISSUER_WRONG) else acs,
        "authorization_endpoint": acs + "/authorize", "token_endpoint": acs + "/token", "jwks_uri": acs + "/jwks",
        "revocation_endpoint": acs + "/revoke", "userinfo_endpoint": acs + "/userinfo",
        "grant_types_supported": ["client_credentials", "refresh_token"],
        "token_endpoint_auth_methods_supported": AUTH_METHODS,
        "revocation_endpoint_auth_methods_supported": AUTH_METHODS,
        "response_types_supported": ["code"], "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"], "scopes_supported": list(SCOPES),
        "claims_supported": CLAIMS,
    }
    return Response(json.dumps(metadata), media_type="application/json")


async def jwks(request: Request) -> Response:
    """GET /acs/jwks: the public signing key."""
    ctx = context(request)
    key_set = ctx.key.jwks()
    if ctx.faults.on(faults.JWKS_KID_MISMATCH):
        key_set = {"keys": [{**key, "kid": f"{key.get('kid')}-next"} for key in key_set["keys"]]}
    return Response(json.dumps(key_set), media_type=JWK_SET)


async def authorize(request: Request) -> Response:
    """GET /acs/authorize: validate the client and redirect URI, then deny (no interactive login here)."""
    params = request.query_params
    client_id, redirect_uri = params.get("client_id", ""), params.get("redirect_uri", "")
    client = get_client(context(request).store, client_id) if CLIENT_ID.match(client_id) else None
    if client is None or client.directory_id is not None:
        raise OAuthError(400, "invalid_request", "client_id is missing or unknown.")
    if not any(_matches(pattern, redirect_uri) for pattern in client.resource.get("redirect_uris") or ()):
        raise OAuthError(400, "invalid_request", "redirect_uri is missing or not registered for the client.")
    query = {"error": "access_denied", "error_description": "No interactive login is available."}
    if params.get("state"):
        query["state"] = params["state"]
    separator = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(redirect_uri + separator + urlencode(query), status_code=302)


def _matches(pattern: str, uri: str) -> bool:
    """S1 redirect_uris: "A Wildcard can be substituted for any string to skip the check for a particular URL
    section"."""
    regex = ".*".join(re.escape(part) for part in str(pattern).split("*"))
    return bool(uri) and re.fullmatch(regex, uri) is not None


def routes() -> list[Route]:
    """Discovery routes."""
    return [Route("/acs/.well-known/openid-configuration", openid_configuration, methods=["GET"]),
            Route("/acs/jwks", jwks, methods=["GET"]),
            Route("/acs/authorize", authorize, methods=["GET"])]
