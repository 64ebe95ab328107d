"""Access tokens: minting RS256 JWTs and authenticating bearer tokens on protected endpoints (RFC 6750).

Claims: ``iss`` (``<scheme>://<host>/acs``), ``aud`` (the tenant base URL), ``sub``/``client_id``, ``scope``
(space separated), ``iat``/``nbf``/``exp``, ``jti``, ``gen`` (the client's token generation), and ``directory_id``
for directory sync tokens.
A bearer token is accepted only when it is RS256-signed by the tenant key, within its validity window, issued for
this issuer and audience, not revoked, and its client still exists and is still in the token generation the token
was minted in; families can add rules via ``Context.token_checks``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from conformance.emulator.core import known_faults as faults
from conformance.emulator.core.clients import ClientRecord, get_client, is_revoked
from conformance.emulator.core.context import Context
from conformance.emulator.core.errors import AdminError, ApiError, Dialect, ScimError

LEEWAY_SECONDS = 5


@dataclass(frozen=True)
class Principal:
    """Who is calling: the client behind a valid access token."""

    client_id: str
    scopes: frozenset[str]
    rule_sets: frozenset[str]
    directory_id: str | None
    claims: dict[str, Any]

    @property
    def jti(self) -> str:
        """The token's unique id."""
        return str(self.claims.get("jti", ""))


def base_url(request: Request) -> str:
    """``<scheme>://<host>`` as the client addressed us (the Host header already passed the 444 check)."""
    return f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"


def issuer(request: Request) -> str:
    """The issuer identifier served by discovery and put in every token."""
    return base_url(request) + "/acs"


def mint(ctx: Context, request: Request, client_id: str, scopes: list[str], ttl_seconds: int,
         directory_id: str | None = None) -> tuple[str, dict[str, Any]]:
    """Sign a new access token; returns the token and its claims."""
    now = int(ctx.clock.now())
    client = get_client(ctx.store, client_id)
    claims: dict[str, Any] = {
        "iss": issuer(request), "aud": base_url(request), "sub": client_id, "client_id": client_id,
        "scope": " ".join(scopes), "iat": now, "nbf": now, "exp": now + ttl_seconds, "jti": secrets.token_hex(16),
        "gen": client.token_generation if client else 0,
    }
    if directory_id:
        claims["directory_id"] = directory_id
    return ctx.key.sign(claims), claims


def bearer_error(dialect: Dialect, ctx: Context, description: str | None) -> ApiError:
    """401 with ``WWW-Authenticate: Bearer`` (RFC 6750 §3): ``invalid_token`` unless the token was missing."""
    challenge = f'Bearer realm="{ctx.settings.fqdn}"'
    if description:
        challenge += f', error="invalid_token", error_description="{description}"'
    headers = {} if ctx.faults.on(faults.WWW_AUTHENTICATE_MISSING) else {"WWW-Authenticate": challenge}
    status = 403 if description is None and ctx.faults.on(faults.MISSING_TOKEN_403) else 401
    if dialect is Dialect.SCIM:
        return ScimError(status, description or "Authentication required.", headers=headers)
    code = "auth.token.invalid" if description else "auth.token.missing"
    return AdminError(status, code, headers=headers)


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header, or None when there is none."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def authenticate(ctx: Context, request: Request, dialect: Dialect) -> Principal:
    """The principal behind the request's bearer token; a ``401`` ``ApiError`` in ``dialect`` otherwise."""
    token = bearer_token(request)
    if token is None:
        raise bearer_error(dialect, ctx, None)
    try:
        claims = ctx.key.verify(token)
        principal = _principal(ctx, request, claims)
    except ValueError as exc:
        raise bearer_error(dialect, ctx, str(exc)) from None
    return principal


def _principal(ctx: Context, request: Request, claims: dict[str, Any]) -> Principal:
    _check_window(ctx, claims)
    if claims.get("iss") != issuer(request) or claims.get("aud") != base_url(request):
        raise ValueError("token was issued for another issuer or audience")
    if not ctx.faults.on(faults.REVOKED_TOKEN_ACCEPTED) and is_revoked(ctx.store, str(claims.get("jti"))):
        raise ValueError("token revoked")
    client = get_client(ctx.store, str(claims.get("client_id")))
    if client is None or claims.get("gen") != client.token_generation:
        raise ValueError("token revoked")
    principal = _from_client(client, claims)
    if not all(check(ctx, principal) for check in ctx.token_checks):
        raise ValueError("token revoked")
    return principal


def _check_window(ctx: Context, claims: dict[str, Any]) -> None:
    now = ctx.clock.now()
    exp, nbf = claims.get("exp"), claims.get("nbf", claims.get("iat"))
    if not isinstance(exp, int | float) or not isinstance(nbf, int | float):
        raise ValueError("token lacks exp or nbf")
    if now >= exp and not ctx.faults.on(faults.EXPIRED_TOKEN_ACCEPTED):
        raise ValueError("token expired")
    if now + LEEWAY_SECONDS < nbf:
        raise ValueError("token not yet valid")


def _from_client(client: ClientRecord, claims: dict[str, Any]) -> Principal:
    scopes = frozenset(str(claims.get("scope", "")).split())
    return Principal(client.client_id, scopes, client.rule_sets, claims.get("directory_id"), claims)
