"""The shared front of /acs/token and /acs/revoke: the form body and client authentication.

RFC 6749 §4.4.2: parameters are sent "using the application/x-www-form-urlencoded format"; §3.2: "Request and
response parameters MUST NOT be included more than once"; §3.1: "Parameters sent without a value MUST be treated as
if they were omitted". §2.3.1: client_secret_basic, or client_id/client_secret in the body (S1 TokenFormData: "Only
used when a basic Authorization header is not present"); "The client MUST NOT use more than one authentication
method in each request" (answered 400 invalid_request, §5.2).
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import parse_qsl, unquote_plus

from starlette.requests import Request

from conformance.emulator.acs import faults, rotation
from conformance.emulator.acs.errors import invalid_client, invalid_request
from conformance.emulator.core.clients import ClientRecord, hash_secret, secret_matches
from conformance.emulator.core.context import Context
from conformance.emulator.core.errors import OAuthError

FORM = "application/x-www-form-urlencoded"
CLIENT_ID = re.compile(r"^[a-zA-Z0-9\-_.@]{1,256}$")
# maxLength of every TokenFormData / TokenRevokeFormData field (S1); longer values answer invalid_request.
MAX_LENGTHS = {"grant_type": 128, "client_id": 256, "client_secret": 4096, "scope": 1024, "redirect_uri": 2048,
               "domain": 100, "username": 150, "password": 256, "code": 255, "refresh_token": 150, "assertion": 4096,
               "code_verifier": 128, "token": 4096, "token_type_hint": 64}
# pattern of TokenFormData / TokenRevokeFormData fields (S1) judged here; client_id/client_secret are judged by
# client authentication (401 invalid_client), grant_type and token_type_hint by their endpoints.
PATTERNS = {"scope": re.compile(r'^[a-zA-Z0-9\-":\s_.+]+$'), "domain": re.compile(r"^[a-zA-Z0-9+\-_.@\s]+$"),
            "refresh_token": re.compile(r"^[A-Za-z0-9]+$"), "code_verifier": re.compile(r"^[a-zA-Z0-9\-_.~]+$"),
            "token": re.compile(r"^[a-zA-Z0-9+/\-_=.]+$")}
MAX_FIELDS = 64
_DUMMY_HASH = hash_secret("never-a-secret")


async def read_form(request: Request) -> dict[str, str]:
    """The body's parameters (blank ones dropped); 400 invalid_request for anything but a well-formed form."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != FORM:
        raise invalid_request(f"The request body must be {FORM}, not {media_type or 'absent'}.")
    if "client_secret" in request.query_params:
        raise invalid_request("Client credentials must not be sent in the request URI.")
    try:
        pairs = parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True, errors="strict",
                          max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError):
        raise invalid_request("The form body is not valid UTF-8 application/x-www-form-urlencoded.") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name not in MAX_LENGTHS:
            continue  # RFC 6749 §3.2: "The authorization server MUST ignore unrecognized request parameters."
        if name in form:
            raise invalid_request(f"Parameter {name} is repeated.")
        if len(value) > MAX_LENGTHS[name]:
            raise invalid_request(f"Parameter {name} is too long.")
        if value and name in PATTERNS and not PATTERNS[name].match(value):
            raise OAuthError(400, "invalid_scope" if name == "scope" else "invalid_request",
                             f"Parameter {name} is malformed.")
        form[name] = value
    return {name: value for name, value in form.items() if value != ""}


def authenticate_client(ctx: Context, request: Request, form: dict[str, str]) -> ClientRecord:
    """The client behind HTTP Basic, or behind the body's client_id/client_secret when no Authorization is sent."""
    header = request.headers.get("authorization")
    if header is None:
        return _form_client(ctx, form)
    if "client_secret" in form:
        raise invalid_request("Use one client authentication method: HTTP Basic or client_secret in the body.")
    client_id, secret = _basic_credentials(ctx, header)
    if form.get("client_id", client_id) != client_id:
        raise invalid_request("client_id in the body differs from the HTTP Basic client.")
    # RFC 6749 §2.3.1 form-encodes id and secret before Basic; clients that skip it are accepted too.
    return _verify(ctx, [(client_id, secret), (unquote_plus(client_id), unquote_plus(secret))])


def _form_client(ctx: Context, form: dict[str, str]) -> ClientRecord:
    client_id, secret = form.get("client_id"), form.get("client_secret")
    if ctx.faults.on(faults.FORM_CREDENTIALS_IGNORED) or not client_id or not secret:
        raise invalid_client(ctx, "Client authentication is required (HTTP Basic).")
    return _verify(ctx, [(client_id, secret)])


def _basic_credentials(ctx: Context, header: str) -> tuple[str, str]:
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic":
        raise invalid_client(ctx, "Unsupported client authentication scheme; use HTTP Basic.")
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise invalid_client(ctx, "Malformed HTTP Basic credentials.") from None
    client_id, colon, secret = decoded.partition(":")
    if not colon or not client_id:
        raise invalid_client(ctx, "Malformed HTTP Basic credentials.")
    return client_id, secret


def _verify(ctx: Context, candidates: list[tuple[str, str]]) -> ClientRecord:
    for client_id, secret in dict.fromkeys(candidates):
        record = rotation.settle(ctx, client_id) if CLIENT_ID.match(client_id) else None
        if record is None:
            secret_matches(secret, _DUMMY_HASH)  # same work for unknown and known clients
        elif record.authenticates(secret):
            return record
    raise invalid_client(ctx, "Client authentication failed.")
