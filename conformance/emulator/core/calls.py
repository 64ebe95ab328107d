"""The front door of every protected handler: authenticate, authorize, negotiate the media type, parse the body.

``admin = await admin_call(request, "oauth2-clients.yaml#createNewOAuth2Client")`` runs, in this order:
401 (bearer token), 403 (rule sets), 415/406 (MIME phase), 400 (malformed JSON), and gives the handler the
principal, the parsed body and ``admin.respond(data, status)`` which applies the negotiated media type.
``scim_call`` does the same for SCIM (``application/scim+json``, SCIM error dialect).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from conformance.emulator.core.context import Context, context
from conformance.emulator.core.errors import ApiError, Dialect, error_in
from conformance.emulator.core.mime import Negotiation, negotiate
from conformance.emulator.core.policy import authorize
from conformance.emulator.core.tokens import Principal, authenticate

SCIM_JSON = "application/scim+json"
SCIM_REQUEST_TYPES = (SCIM_JSON, "application/json")
MAX_JSON_DEPTH = 64


@dataclass
class Call:
    """One authorized request to a protected operation."""

    request: Request
    ctx: Context
    principal: Principal
    body: Any
    negotiation: Negotiation

    def respond(self, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        """A JSON response in the negotiated media type (``data`` None -> empty body)."""
        all_headers = {**self.negotiation.headers(self.ctx), **(headers or {})}
        content = b"" if data is None else json.dumps(data).encode()
        if data is None:
            all_headers.pop("Content-Type", None)
        return Response(content, status_code=status, headers=all_headers)


async def admin_call(request: Request, operation_id: str) -> Call:
    """Gatekeeping for an admin (envelope dialect) operation of the access-policy and MIME tables."""
    ctx = context(request)
    principal = authenticate(ctx, request, Dialect.ADMIN)
    authorize(ctx, principal, operation_id, Dialect.ADMIN)
    raw = await request.body()
    negotiation = negotiate(ctx, request, operation_id, bool(raw))
    return Call(request, ctx, principal, parse_json(raw, Dialect.ADMIN), negotiation)


async def scim_call(request: Request, operation_id: str) -> Call:
    """Gatekeeping for a SCIM operation: bearer token, rule sets (or sync token), JSON body."""
    ctx = context(request)
    principal = authenticate(ctx, request, Dialect.SCIM)
    authorize(ctx, principal, operation_id, Dialect.SCIM)
    raw = await request.body()
    if raw:
        content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if content_type not in SCIM_REQUEST_TYPES:
            raise error_in(Dialect.SCIM, 415, "request.media.type.unsupported",
                           f"Content-Type must be {SCIM_JSON}, got {content_type or 'none'}")
    return Call(request, ctx, principal, parse_json(raw, Dialect.SCIM), Negotiation(SCIM_JSON, False))


def parse_json(raw: bytes, dialect: Dialect) -> Any:
    """The JSON value of a body (None for an empty body); 400 in ``dialect`` for anything malformed."""
    if not raw:
        return None
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _invalid(dialect, "The request body is not valid UTF-8 JSON.") from None
    if _depth(value) > MAX_JSON_DEPTH:
        raise _invalid(dialect, f"The request body nests deeper than {MAX_JSON_DEPTH} levels.")
    return value


def _invalid(dialect: Dialect, message: str) -> ApiError:
    return error_in(dialect, 400, "request.body.invalid.json", message)


def _depth(value: Any, level: int = 1) -> int:
    if level > MAX_JSON_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level)
    return level
