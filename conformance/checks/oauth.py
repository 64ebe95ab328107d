"""Checks of the OAuth 2.0 endpoints under /acs: token responses and errors, caching headers, client-authentication
challenges, JWK sets, JWT access tokens, and discovery metadata.

Status, access_token and token_type of a token response, and the ``error`` of an RFC 6749 §5.2 error, are judged
by ``conformance.checks.legacy.oauth_token`` / ``oauth_error``; this module builds on them.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

import httpx
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from conformance.checks.core import fail, require
from conformance.checks.legacy import oauth_error, oauth_token
from conformance.checks.scim import json_object, status_is

JWK_SET_MEDIA_TYPE = "application/jwk-set+json"
PRIVATE_JWK_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")
_NO_STORE = re.compile(r"(^|[\s,])no-store($|[\s,;])", re.IGNORECASE)


def issued(requirement_id: str, response: httpx.Response) -> dict[str, Any]:
    """RFC 6749 §5.1 (via ``oauth_token``): 200 with ``access_token`` and ``token_type``. Returns the body."""
    oauth_token(requirement_id, response)
    return json_object(requirement_id, response)


def token_type_bearer(requirement_id: str, response: httpx.Response) -> None:
    """Seed 000: "include the access token in the "Authorization" header with the type "Bearer"". RFC 6749 §5.1:
    token_type "The value is case insensitive"."""
    token_type = json_object(requirement_id, response).get("token_type")
    require(requirement_id, isinstance(token_type, str) and token_type.lower() == "bearer",
            f"expected token_type Bearer, got {token_type!r}", response)


def expires_in(requirement_id: str, response: httpx.Response, ttl_minutes: int, slack_seconds: int = 5) -> None:
    """Seed 000: "the number of seconds the access token is valid"; S1: access_token_ttl is "How long in minutes new
    access tokens issued to this client should live". ``slack_seconds`` allows the rounding of the vendor's own
    example (21599 for six hours)."""
    value = json_object(requirement_id, response).get("expires_in")
    expected = ttl_minutes * 60
    require(requirement_id, isinstance(value, int) and not isinstance(value, bool),
            f"expires_in must be an integer, got {value!r}", response)
    require(requirement_id, expected - slack_seconds <= value <= expected,
            f"expected expires_in {expected} (access_token_ttl {ttl_minutes} min x 60), got {value}", response)


def no_store(requirement_id: str, response: httpx.Response) -> None:
    """RFC 6749 §5.1: "The authorization server MUST include the HTTP "Cache-Control" response header field with a
    value of "no-store" in any response containing tokens, credentials, or other sensitive information"."""
    value = response.headers.get("cache-control", "")
    require(requirement_id, bool(_NO_STORE.search(value)),
            f"expected Cache-Control: no-store, got {value or 'no Cache-Control header'!r}", response)


def client_auth_failed(requirement_id: str, response: httpx.Response) -> None:
    """RFC 6749 §5.2: for invalid_client after Basic authentication "the authorization server MUST respond with an
    HTTP 401 (Unauthorized) status code and include the "WWW-Authenticate" response header field matching the
    authentication scheme used by the client"."""
    oauth_error(requirement_id, response, 401, "invalid_client")
    challenge = response.headers.get("www-authenticate", "")
    require(requirement_id, challenge.split(" ", 1)[0].lower() == "basic",
            f"expected a WWW-Authenticate: Basic challenge, got {challenge or 'none'!r}", response)


def oauth_error_body(requirement_id: str, response: httpx.Response, status: int) -> str:
    """RFC 6749 §5.2: the error response carries "error REQUIRED. A single ASCII [USASCII] error code". Returns it
    (for endpoints whose exact code the vendor does not name)."""
    status_is(requirement_id, response, status)
    error = json_object(requirement_id, response).get("error")
    require(requirement_id, isinstance(error, str) and error.isascii() and bool(error),
            f"expected an OAuth 2.0 error code, got {error!r}", response)
    return str(error)


def jwk_set(requirement_id: str, response: httpx.Response) -> KeySet:
    """S1 getJwkKeys: 200 ``application/jwk-set+json``; RFC 7517 §5: "The value of the "keys" member is an array of
    JWK values". Public keys only: no private member (``d``, ``p``, ``q``, ``k``, ...). Returns the key set."""
    status_is(requirement_id, response, 200)
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    require(requirement_id, media_type == JWK_SET_MEDIA_TYPE,
            f"expected Content-Type {JWK_SET_MEDIA_TYPE}, got {media_type or 'none'!r}", response)
    keys = json_object(requirement_id, response).get("keys")
    require(requirement_id, isinstance(keys, list) and len(keys) > 0, "the JWK set has no keys", response)
    for key in keys:
        leaked = [member for member in PRIVATE_JWK_MEMBERS if isinstance(key, dict) and member in key]
        require(requirement_id, isinstance(key, dict) and bool(key.get("kty")), "every JWK needs a kty", response)
        require(requirement_id, not leaked, f"a published JWK carries private members {leaked}", response)
    try:
        return KeySet.import_key_set({"keys": keys})
    except (JoseError, ValueError, TypeError) as exc:
        raise fail(requirement_id, f"the JWK set cannot be imported ({type(exc).__name__})", response) from None


def jwt_header(requirement_id: str, token: str) -> dict[str, Any]:
    """RFC 7515 §7.1: a compact JWS is BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature). Returns the
    protected header."""
    try:
        return dict(jws.extract_compact(token.encode()).protected)
    except (JoseError, ValueError, TypeError):
        raise fail(requirement_id, "the access token is not a compact JWS/JWT") from None


def unverified_claims(requirement_id: str, token: str) -> dict[str, Any]:
    """RFC 7519 §7.2: the JWT Claims Set is the JWS payload, a JSON object. Returns it without checking the signature
    (TOKEN-013 judges the signature), so a claim check is not failed by a key problem."""
    try:
        claims = json.loads(jws.extract_compact(token.encode()).payload)
    except (JoseError, ValueError, TypeError):
        raise fail(requirement_id, "the access token is not a compact JWT") from None
    require(requirement_id, isinstance(claims, dict), "the JWT payload is not a JSON object")
    return dict(claims)


def rs256_signed(requirement_id: str, token: str, keys: KeySet) -> dict[str, Any]:
    """S1 OAuth2Token: "The access token is a JSON web token (JWT)", example header {"typ":"JWT","alg":"RS256"};
    the tenant's keys are at /acs/jwks. The signature must verify with one of them. Returns the claims."""
    header = jwt_header(requirement_id, token)
    require(requirement_id, header.get("alg") == "RS256", f"expected alg RS256, got {header.get('alg')!r}")
    try:
        return dict(jwt.decode(token, keys, algorithms=["RS256"]).claims)
    except (JoseError, ValueError, TypeError):
        raise fail(requirement_id, "the access token's signature does not verify with any key of /acs/jwks") from None


def kid_in(requirement_id: str, token: str, keys: KeySet) -> None:
    """RFC 7517 §4.5: "The "kid" value is used to match a specific key [...] to choose among a set of keys within a
    JWK Set during key rollover". The token header names a kid that the JWK set holds."""
    kid = jwt_header(requirement_id, token).get("kid")
    published = sorted(str(key.kid) for key in keys.keys if key.kid)
    require(requirement_id, isinstance(kid, str) and bool(kid), "the access token header has no kid")
    require(requirement_id, kid in published, f"kid {kid!r} is not in /acs/jwks (published: {published})")


def same_origin(requirement_id: str, metadata: dict[str, Any], name: str, base_url: str,
                response: httpx.Response) -> str:
    """S1 OIDCDiscovery examples put every endpoint on the tenant host (``https://acme.workspaceoneaccess.com/...``):
    ``metadata[name]`` is an absolute URL on the scheme, host and port the client used. Returns the URL."""
    value = metadata.get(name)
    require(requirement_id, isinstance(value, str) and bool(value), f"discovery has no {name}", response)
    actual, expected = urlsplit(str(value)), urlsplit(base_url)
    require(requirement_id, (expected.scheme, expected.netloc) == (actual.scheme, actual.netloc),
            f"{name} {value!r} is not on {expected.scheme}://{expected.netloc}", response)
    return str(value)
