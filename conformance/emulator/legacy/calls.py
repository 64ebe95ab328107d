"""The front door of the /SAAS/jersey/manager/api handlers: bearer token with scope ``admin``, media types.

These operations are outside the IDS access-policy matrix and MIME-phase table: the legacy spec secures them with
a bearer token "whose scope contains ``admin`` (403 otherwise)" and lists, per operation, the request and response
media types (application/json plus, for directoryconfigs and oauth2clients, the vendor types), which are accepted
in every phase. Order of checks: 401, 403, 415, 406, 400 (malformed JSON), as for the IDS admin APIs.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from conformance.emulator.core.calls import parse_json
from conformance.emulator.core.context import Context, context
from conformance.emulator.core.errors import Dialect
from conformance.emulator.core.tokens import Principal, authenticate
from conformance.emulator.legacy import errors

JSON = "application/json"
ADMIN_SCOPE = "admin"
Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Media:
    """Media types of one operation: request Content-Types (empty: no body) and producible response types
    (empty: no response body; the first is the default for a missing or wildcard Accept)."""

    requests: tuple[str, ...] = ()
    responses: tuple[str, ...] = (JSON,)


@dataclass
class LegacyCall:
    """One authorized request to a legacy admin operation."""

    request: Request
    ctx: Context
    principal: Principal
    body: Any
    content_type: str
    response_type: str

    def respond(self, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        """A JSON response in the negotiated media type (``data`` None -> empty body)."""
        if data is None:
            return Response(b"", status_code=status, headers=headers)
        return Response(json.dumps(data).encode(), status_code=status, headers=headers,
                        media_type=self.response_type or JSON)


async def legacy_call(request: Request, media: Media) -> LegacyCall:
    """401 (bearer), 403 (scope admin), 415 (Content-Type), 406 (Accept), 400 (JSON) for a legacy operation."""
    ctx = context(request)
    principal = authenticate(ctx, request, Dialect.ADMIN)
    if principal.directory_id is not None or ADMIN_SCOPE not in principal.scopes:
        raise errors.legacy_error(403, errors.SCOPE_INSUFFICIENT)
    raw = await request.body() if media.requests else b""
    content_type = base_type(request.headers.get("content-type", ""))
    if raw and content_type not in media.requests:
        raise errors.legacy_error(415, errors.MEDIA_UNSUPPORTED, content_type=content_type or "(none)")
    response_type = ""
    if media.responses:
        accept = request.headers.get("accept", "")
        chosen = choose(accept, media.responses)
        if chosen is None:
            raise errors.legacy_error(406, errors.NOT_ACCEPTABLE, accept=accept)
        response_type = chosen
    return LegacyCall(request, ctx, principal, parse_json(raw, Dialect.ADMIN), content_type, response_type)


def resource_route(path: str, handlers: dict[str, Handler]) -> Route:
    """One route per path, dispatching on the method, so a 405 lists every method of the path in ``Allow``."""

    async def dispatch(request: Request) -> Response:
        return await handlers["GET" if request.method == "HEAD" else request.method](request)

    return Route(path, dispatch, methods=list(handlers))


def base_type(header: str) -> str:
    """``type/subtype`` of a media type header, lower case, without parameters."""
    return header.split(";", 1)[0].strip().lower()


def choose(accept: str, producible: tuple[str, ...]) -> str | None:
    """The producible type the Accept header prefers (RFC 9110 §12.5.1), the first one for no/any Accept."""
    if not accept.strip():
        return producible[0]
    ranges = [_media_range(part) for part in accept.split(",") if part.strip()]
    best: tuple[float, int, int] | None = None
    chosen = None
    for position, candidate in enumerate(producible):
        matches = [(quality, specificity) for media_range, quality in ranges
                   if (specificity := _specificity(media_range, candidate)) >= 0]
        if not matches:
            continue
        quality = max(matches, key=lambda match: (match[1], match[0]))[0]
        rank = (quality, max(specificity for _, specificity in matches), -position)
        if quality > 0 and (best is None or rank > best):
            best, chosen = rank, candidate
    return chosen


def _media_range(part: str) -> tuple[str, float]:
    media_range, *parameters = (piece.strip() for piece in part.split(";"))
    quality = 1.0
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = min(max(float(value), 0.0), 1.0)
            except ValueError:
                quality = 0.0
    return media_range.lower(), quality


def _specificity(media_range: str, candidate: str) -> int:
    """2 exact, 1 type/*, 0 */*, -1 no match."""
    if media_range == candidate:
        return 2
    if media_range == "*/*":
        return 0
    if media_range.endswith("/*") and candidate.startswith(media_range[:-1]):
        return 1
    return -1
