"""POST /SAAS/auth/oauthtoken: the legacy Access token endpoint (client_credentials).

Seed 003 (Generate OAuth Bearer Token): "For Grant Type, select Client Credentials [...] For Scope, enter admin",
Postman sending the client as Basic auth. S7 sends ``grant_type=client_credentials`` in a form body; S4/S6 declare
the parameters ``in: query`` and real clients send ``?grant_type=client_credentials`` with an empty body, or
client_id/client_secret as parameters (omnissa-api.md §6.2). So parameters are read from the query string and the
form body; a parameter given in both must agree. Clients are the tenant's OAuth 2.0 clients (core table), tokens
are the tenant's RS256 access tokens, usable on /SAAS and on the IDS APIs alike. Errors follow RFC 6749 §5.2;
a missing grant_type is 400 invalid_request (the vendor's 500 is not reproduced, LEGACY-003). Client
authentication is judged first (401 invalid_client), as a request without credentials must get 401.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qsl, unquote_plus

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from conformance.emulator.core.clients import ClientRecord, get_client
from conformance.emulator.core.context import Context, context
from conformance.emulator.core.errors import OAuthError
from conformance.emulator.core.tokens import mint
from conformance.emulator.legacy import faults

PATH = "/SAAS/auth/oauthtoken"
FORM = "application/x-www-form-urlencoded"
GRANT_TYPES = ("client_credentials", "password", "authorization_code", "refresh_token")
MAX_LENGTHS = {"client_id": 256, "client_secret": 4096}
MAX_VALUE_LENGTH = 4096
MAX_FIELDS = 32
DEFAULT_TTL_MINUTES = 180  # S7: "a time to live value of 3 hours by default"


def routes() -> list[Route]:
    """The token route."""
    return [Route(PATH, issue_token, methods=["POST"])]


async def issue_token(request: Request) -> Response:
    """Authenticate the client, then judge the parameters, grant and scope, and mint a token."""
    ctx = context(request)
    params, problems = _parameters(ctx, request, await request.body())
    client = _client(ctx, request, params, problems)
    if problems:
        raise OAuthError(400, "invalid_request", next(iter(problems.values())))
    grant_type = params.get("grant_type")
    if not grant_type:
        if ctx.faults.on(faults.MISSING_GRANT_TYPE_500):
            raise OAuthError(500, "server_error", "The grant_type is incorrect or absent.")
        raise OAuthError(400, "invalid_request", "The grant_type parameter is missing.")
    if grant_type not in GRANT_TYPES or grant_type != "client_credentials":
        raise OAuthError(400, "unsupported_grant_type", "Only the client_credentials grant is supported here.")
    # Directory sync clients store no grant types: theirs is client_credentials (as at /acs/token).
    if "client_credentials" not in (client.resource.get("grant_types") or ("client_credentials",)):
        raise OAuthError(400, "unauthorized_client", "The client may not use the client_credentials grant.")
    scopes = _scopes(client, params.get("scope"))
    resource = client.resource
    ttl = max(int(resource.get("access_token_ttl") or resource.get("token_ttl") or DEFAULT_TTL_MINUTES), 1) * 60
    # A sync client's token stays bound to its directory (and so is refused by the /SAAS admin endpoints).
    token, _claims = mint(ctx, request, client.client_id, scopes, ttl, client.directory_id)
    body = {"access_token": token, "token_type": "Bearer", "expires_in": ttl, "scope": " ".join(scopes)}
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def _parameters(ctx: Context, request: Request, raw: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """Query and form parameters merged, and the problems (parameter -> description: repeated, too long, differing
    in query and body) judged after client authentication; an unreadable body is 400 at once."""
    problems: dict[str, str] = {}
    query = {} if ctx.faults.on(faults.QUERY_PARAMS_IGNORED) else _single(request.url.query, "query string", problems)
    form: dict[str, str] = {}
    if raw:
        content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if content_type != FORM:
            raise OAuthError(400, "invalid_request", f"A request body must be {FORM}.")
        try:
            form = _single(raw.decode("utf-8"), "body", problems)
        except UnicodeDecodeError:
            raise OAuthError(400, "invalid_request", "The body is not UTF-8.") from None
    for name in query.keys() & form.keys():
        if query[name] != form[name]:
            problems.setdefault(name, f"Parameter {name} differs in the query string and the body.")
    return {**query, **form}, problems


def _single(text: str, where: str, problems: dict[str, str]) -> dict[str, str]:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise OAuthError(400, "invalid_request", f"Too many parameters in the {where}.") from None
    params: dict[str, str] = {}
    for name, value in pairs:
        if name in params:
            problems.setdefault(name, f"Parameter {name} is repeated in the {where}.")
        elif len(value) > MAX_LENGTHS.get(name, MAX_VALUE_LENGTH):
            problems.setdefault(name, f"Parameter {name} is too long.")
        else:
            params[name] = value
    return params


def _client(ctx: Context, request: Request, params: dict[str, str], problems: dict[str, str]) -> ClientRecord:
    """RFC 6749 §2.3: HTTP Basic or client_id/client_secret parameters, never both; 401 invalid_client."""
    basic = _basic(ctx, request)
    if basic is not None:
        if "client_secret" in params or "client_secret" in problems:
            raise OAuthError(400, "invalid_request", "Use one client authentication method, not two.")
        if params.get("client_id") not in (None, basic[0]):
            raise OAuthError(400, "invalid_request", "client_id differs from the authenticated client.")
        client_id, secrets = basic[0], basic[1]
    elif "client_id" in problems or "client_secret" in problems:
        raise _invalid_client(ctx, "The client credentials are ambiguous.")
    elif "client_id" in params and "client_secret" in params:
        client_id, secrets = params["client_id"], [params["client_secret"]]
    else:
        raise _invalid_client(ctx, "Client authentication is required.")
    client = get_client(ctx.store, client_id)
    if client is None or not any(client.authenticates(secret) for secret in secrets):
        raise _invalid_client(ctx, "The client authentication failed.")
    return client


def _basic(ctx: Context, request: Request) -> tuple[str, list[str]] | None:
    """(client id, candidate secrets) of a Basic header: raw values, then form-decoded ones (RFC 6749 §2.3.1)."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise _invalid_client(ctx, "The Basic credentials are malformed.") from None
    client_id, colon, secret = decoded.partition(":")
    if not colon or not client_id:
        raise _invalid_client(ctx, "The Basic credentials are malformed.")
    if unquote_plus(client_id) != client_id and get_client(ctx.store, client_id) is None:
        client_id = unquote_plus(client_id)
    return client_id, list(dict.fromkeys([secret, unquote_plus(secret)]))


def _scopes(client: ClientRecord, requested: str | None) -> list[str]:
    allowed = [str(scope) for scope in client.resource.get("scope") or ()]
    wanted = list(dict.fromkeys((requested or "").split())) or allowed
    if not set(wanted) <= set(allowed):
        raise OAuthError(400, "invalid_scope", "The requested scope exceeds the client's scope.")
    return wanted


def _invalid_client(ctx: Context, description: str) -> OAuthError:
    challenge = f'Basic realm="{ctx.settings.fqdn}", charset="UTF-8"'
    return OAuthError(401, "invalid_client", description, {"WWW-Authenticate": challenge})
