"""POST /acs/token (RFC 6749 §4.4 client credentials, §6 refresh), answered with an RS256 JWT.

Order of judgement: the form (400 invalid_request), the client (401 invalid_client), grant_type missing (400
invalid_request), unknown (400 unsupported_grant_type), not one of the client's grant_types (400 unauthorized_client),
then the grant itself. Scope (S1 TokenFormData.scope): "The scopes must be equivalent or a subset of the scopes defined
in the OAuth2.0 client. Scopes that doesn't match any of the scopes defined in the OAuth2.0 client will be ignored. If
omitted or empty, the scopes defined in the OAuth2.0 client will be used." A malformed scope, or one of which nothing
is left after ignoring, answers 400 invalid_scope (RFC 6749 §5.2). The response says which scopes were granted.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from conformance.emulator.acs import faults, refresh
from conformance.emulator.acs.errors import invalid_request
from conformance.emulator.acs.form import authenticate_client, read_form
from conformance.emulator.acs.resource import access_token_ttl, grant_types, scopes
from conformance.emulator.core.clients import ClientRecord
from conformance.emulator.core.context import Context, context
from conformance.emulator.core.errors import OAuthError
from conformance.emulator.core.tokens import mint

TOKEN_JSON = "application/json;charset=UTF-8"
# Grants of S1 TokenFormData.grant_type. The emulator has no users, codes or trusted assertion issuers, so the
# last three are answered as a server would answer a grant it cannot verify: invalid_grant.
SUPPORTED_GRANTS = ("client_credentials", "refresh_token")
UNVERIFIABLE_GRANTS = {"authorization_code": ("code",), "password": ("username", "password"),
                       "urn:ietf:params:oauth:grant-type:jwt-bearer": ("assertion",)}


async def token_endpoint(request: Request) -> Response:
    """Issue an access token."""
    ctx = context(request)
    form = await read_form(request)
    client = authenticate_client(ctx, request, form)
    grant = form.get("grant_type")
    if grant is None:
        raise invalid_request("grant_type is required.")
    if grant not in SUPPORTED_GRANTS and grant not in UNVERIFIABLE_GRANTS:
        raise OAuthError(400, "unsupported_grant_type", "The grant type is not supported.")
    if grant not in grant_types(client):
        raise OAuthError(400, "unauthorized_client", f"The client may not use the {grant} grant.")
    if grant == "client_credentials":
        granted = granted_scopes(scopes(client), form.get("scope"))
        return _issue(ctx, request, client, granted, with_refresh="refresh_token" in grant_types(client))
    if grant == "refresh_token":
        return _refresh(ctx, request, client, form)
    for name in UNVERIFIABLE_GRANTS[grant]:
        if name not in form:
            raise invalid_request(f"{name} is required for the {grant} grant.")
    raise OAuthError(400, "invalid_grant", "The authorization grant is invalid, expired or revoked.")


def granted_scopes(allowed: list[str], requested: str | None) -> list[str]:
    """The requested scopes the client holds (all of them when none is requested); 400 invalid_scope otherwise."""
    if requested is None:
        return allowed
    granted = [scope for scope in dict.fromkeys(requested.split()) if scope in allowed]
    if not granted:
        raise OAuthError(400, "invalid_scope", "None of the requested scopes is allowed for this client.")
    return granted


def _refresh(ctx: Context, request: Request, client: ClientRecord, form: dict[str, str]) -> Response:
    token = form.get("refresh_token")
    if token is None:
        raise invalid_request("refresh_token is required for the refresh_token grant.")
    grant = refresh.redeem(ctx, client, token)
    if grant is None:
        raise OAuthError(400, "invalid_grant", "The refresh token is invalid, expired or revoked.")
    granted = granted_scopes(grant.scopes, form.get("scope"))
    response_body, claims = _token_body(ctx, request, client, granted)
    refresh.link(ctx, grant, claims)
    return token_response(ctx, {**response_body, "refresh_token": token})


def _issue(ctx: Context, request: Request, client: ClientRecord, granted: list[str], with_refresh: bool) -> Response:
    response_body, claims = _token_body(ctx, request, client, granted)
    if with_refresh:
        response_body["refresh_token"] = refresh.issue(ctx, client, granted, claims)
    return token_response(ctx, response_body)


def _token_body(ctx: Context, request: Request, client: ClientRecord,
                granted: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    minutes = access_token_ttl(client)
    token, claims = mint(ctx, request, client.client_id, granted, minutes * 60, client.directory_id)
    expires_in = minutes if ctx.faults.on(faults.EXPIRES_IN_MINUTES) else minutes * 60
    return {"access_token": token, "token_type": "Bearer", "expires_in": expires_in, "scope": " ".join(granted)}, claims


def token_response(ctx: Context, body: dict[str, Any]) -> Response:
    """RFC 6749 §5.1: 200 JSON with ``Cache-Control: no-store`` and ``Pragma: no-cache``."""
    headers = {} if ctx.faults.on(faults.TOKEN_CACHE_CONTROL_MISSING) else {"Cache-Control": "no-store",
                                                                            "Pragma": "no-cache"}
    return Response(json.dumps(body), status_code=200, headers=headers, media_type=TOKEN_JSON)


def routes() -> list[Route]:
    """The token endpoint."""
    return [Route("/acs/token", token_endpoint, methods=["POST"])]
