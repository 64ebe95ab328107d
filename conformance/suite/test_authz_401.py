"""401 on every bearer-protected operation of specs/access-policy.toml, for every way a token can be wrong.

Each kind of bad token is made once per module: forged ones copy the header and claims of a genuine token of a
run-created TENANT_ADMIN client, so only the property under test (signature, algorithm, integrity, expiry,
revocation) is wrong; with a good token every one of these operations would pass authentication.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from conformance.checks.bearer import unauthorized
from conformance.plugin.authz import access_policy, media_headers, send

EXPIRY_MARGIN_SECONDS = 10
FORGED = ("malformed", "foreign-key", "alg-none", "hs256-public-key", "tampered")
KIND_REQUIREMENTS = {"missing": "AUTHZ-001", "expired": "AUTHZ-005", "revoked": "AUTHZ-005",
                     **dict.fromkeys(FORGED, "AUTHZ-004")}
DIALECT_REQUIREMENTS = {"admin": ("ERR-001", "ERR-004"), "scim": ("SCIM-025",)}


def b64url(data: bytes) -> str:
    """Unpadded base64url (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def segments(token: str) -> tuple[dict, dict, str]:
    """Header, claims and signature of a compact JWS."""
    header, payload, signature = token.split(".")
    decode = lambda part: json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))  # noqa: E731
    return decode(header), decode(payload), signature


def unsigned(header: dict, claims: dict) -> str:
    """The JWS signing input ``b64(header).b64(claims)``."""
    return b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())


def forge(kind: str, token: str, jwks: dict) -> str:
    """A token of ``kind`` copied from the genuine ``token``."""
    header, claims, signature = segments(token)
    if kind == "malformed":
        return secrets.token_urlsafe(32)
    if kind == "foreign-key":
        return jwt.encode(header, claims, RSAKey.generate_key(2048, private=True))
    if kind == "alg-none":
        return unsigned({**header, "alg": "none"}, claims) + "."
    if kind == "tampered":
        return unsigned(header, {**claims, "exp": int(claims.get("exp", 0)) + 86400}) + "." + signature
    keys = [key for key in jwks.get("keys", []) if key.get("kid") == header.get("kid")] or jwks.get("keys", [])
    public_pem = RSAKey.import_key(keys[0]).as_pem(private=False)
    signing_input = unsigned({**header, "alg": "HS256"}, claims)
    return signing_input + "." + b64url(hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest())


@pytest.fixture(scope="module")
def forged_tokens(client, new_oauth_client):
    """Every forged kind, made from a genuine TENANT_ADMIN token that the target accepts (positive control)."""
    genuine = new_oauth_client(["TENANT_ADMIN"]).token()
    control = client.get("/acs/broker/oauth2-clients", token=genuine, headers={"Accept": "*/*"})
    if control.status_code in (401, 403):
        pytest.fail(f"setup: a genuine TENANT_ADMIN token was refused ({control.status_code})")
    jwks = client.get("/acs/jwks").json()
    tokens = {kind: forge(kind, genuine, jwks) for kind in sorted(FORGED)}
    client.redactor.register(*tokens.values())
    return tokens


@pytest.fixture(scope="module")
def revoked_token(client, new_oauth_client):
    """A token revoked at /acs/revoke by its own client (RFC 7009)."""
    source = new_oauth_client(["TENANT_ADMIN"])
    token = source.token()
    response = client.post("/acs/revoke", data={"token": token, "token_type_hint": "access_token"},
                           auth=source.basic_auth())
    if response.status_code != 200:
        pytest.fail(f"setup: /acs/revoke answered {response.status_code}")
    return token


@pytest.fixture(scope="module")
def expiring():
    """State of the module's expired token: made on first use (needs the emulator clock)."""
    return {}


def expired_token(request, expiring, new_oauth_client, admin):
    """A token of a client with access_token_ttl 1 minute, after the emulator clock moved past it."""
    if "token" not in expiring:
        advance_clock = request.getfixturevalue("advance_clock")
        token = new_oauth_client(["TENANT_ADMIN"], ttl_minutes=1).token()
        advance_clock(60 + EXPIRY_MARGIN_SECONDS)
        admin.invalidate()
        expiring["token"] = token
    return expiring["token"]


def token_of(kind, request):
    """The token of ``kind`` (None for a request without Authorization)."""
    if kind == "missing":
        return None
    if kind == "revoked":
        return request.getfixturevalue("revoked_token")
    if kind == "expired":
        return expired_token(request, request.getfixturevalue("expiring"),
                             request.getfixturevalue("new_oauth_client"), request.getfixturevalue("admin"))
    return request.getfixturevalue("forged_tokens")[kind]


def kind_param(kind):
    """A token kind with the requirement it checks (expiry needs the emulator clock)."""
    marks = [pytest.mark.requirement(KIND_REQUIREMENTS[kind])]
    if kind == "expired":
        marks.append(pytest.mark.emulator_only)
    return pytest.param(kind, marks=marks, id=kind)


def operation_param(operation):
    """An operation with the requirements of its error dialect."""
    return pytest.param(operation, marks=pytest.mark.requirement(*DIALECT_REQUIREMENTS[operation.dialect]),
                        id=operation.id.split("#")[1])


@pytest.mark.requirement("AUTHZ-002", "AUTHZ-003", "ERR-007")
@pytest.mark.parametrize("kind", [kind_param(kind) for kind in KIND_REQUIREMENTS])
@pytest.mark.parametrize("operation", [operation_param(op) for op in access_policy().operations])
def test_bad_token_answers_401(client, target, mime_phase, request, operation, kind):
    """The operation answers 401 with a Bearer challenge (invalid_token unless no token was sent) and an error body in
    its dialect, before looking up the (nonexistent) resource or validating the (empty) body."""
    token = token_of(kind, request)
    path = operation.fill(target.resource_prefix)
    headers = media_headers(mime_phase, operation.id, path, operation.has_body)
    response = send(client, operation.method, path, token=token, headers=headers,
                    body={} if operation.has_body else None)
    unauthorized(KIND_REQUIREMENTS[kind], response, path, token_presented=token is not None)
