"""POST /acs/revoke (RFC 7009) and GET /acs/userinfo.

RFC 7009 §2.1: the server "verifies whether the token was issued to the client making the revocation request. If this
validation fails, the request is refused" (S1: 400 "Client ID in authorization is not found or token issued to a
different client"); the hint only orders the lookup. RFC 7009 §2.1 says "An invalid token type hint value is ignored",
but the kit's contract (specs/token.yaml enum, CONTRACT-005) refuses schema-violating requests, so a hint outside the
enum answers 400 unsupported_token_type (§2.2.1) and a token outside its pattern 400 invalid_request. §2.2: "The
authorization server responds with HTTP status code 200 if the token has been revoked successfully or if the client
submitted an invalid token."

/acs/userinfo answers claims about the token's subject, which for the client-credentials tokens of this service is the
client itself (``sub``, ``client_id``, ``scope``); a missing or unusable token gets 401 with a Bearer challenge and
an RFC 6749 §5.2 body (specs/token.yaml BearerUnauthorized).
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from conformance.emulator.acs import faults, refresh
from conformance.emulator.acs.errors import invalid_request
from conformance.emulator.acs.form import authenticate_client, read_form
from conformance.emulator.core.clients import ClientRecord
from conformance.emulator.core.context import Context, context
from conformance.emulator.core.errors import AdminError, Dialect, OAuthError
from conformance.emulator.core.tokens import authenticate

HINTS = ("access_token", "refresh_token")
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def revoke_endpoint(request: Request) -> Response:
    """Revoke an access or refresh token of the authenticated client."""
    ctx = context(request)
    form = await read_form(request)
    client = authenticate_client(ctx, request, form)
    token = form.get("token")
    if token is None:
        raise invalid_request("token is required.")
    hint = form.get("token_type_hint", "access_token")
    if hint not in HINTS:
        raise OAuthError(400, "unsupported_token_type", "token_type_hint must be access_token or refresh_token.")
    lookups = [_revoke_access, _revoke_refresh]
    if hint == "refresh_token":
        lookups.reverse()
    for lookup in lookups:
        outcome = lookup(ctx, client, token)
        if outcome == "foreign":
            raise invalid_request("The token was issued to a different client.")
        if outcome == "revoked":
            break
    return Response(status_code=200, headers=NO_STORE)


def _revoke_access(ctx: Context, client: ClientRecord, token: str) -> str:
    try:
        claims = ctx.key.verify(token)
    except ValueError:
        return "unknown"
    if claims.get("client_id") != client.client_id and not ctx.faults.on(faults.REVOKE_FOREIGN_TOKEN):
        return "foreign"
    jti, expires = claims.get("jti"), claims.get("exp")
    if not isinstance(jti, str) or not isinstance(expires, int | float):
        return "unknown"
    with ctx.store.tx() as db:
        db.execute("INSERT OR IGNORE INTO revoked_tokens (jti, expires) VALUES (?, ?)", (jti, float(expires)))
    return "revoked"


def _revoke_refresh(ctx: Context, client: ClientRecord, token: str) -> str:
    return refresh.revoke(ctx, client, token)


async def userinfo_endpoint(request: Request) -> Response:
    """Claims about the bearer token's client."""
    ctx = context(request)
    try:
        principal = authenticate(ctx, request, Dialect.ADMIN)
    except AdminError as exc:
        raise OAuthError(exc.status, "invalid_token", exc.message, exc.headers) from None
    claims = {"sub": principal.client_id, "client_id": principal.client_id, "scope": " ".join(sorted(principal.scopes))}
    if principal.directory_id:
        claims["directory_id"] = principal.directory_id
    return Response(json.dumps(claims), media_type="application/json", headers=NO_STORE)


def routes() -> list[Route]:
    """Revocation and userinfo."""
    return [Route("/acs/revoke", revoke_endpoint, methods=["POST"]),
            Route("/acs/userinfo", userinfo_endpoint, methods=["GET"])]
