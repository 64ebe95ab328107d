"""Pure-ASGI guards that run before routing: the Host check (444) and the request body limit (413).

Seed 000: "The API will fail and returns HTTP 444 (No Response) (with no response body) when the request Host
header doesn't match the server FQDN." The check runs before routing and authentication.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from conformance.emulator.core import known_faults as faults
from conformance.emulator.core.errors import dialect_of, error_in
from conformance.emulator.settings import Settings

NO_RESPONSE = 444


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _hostname(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class HostCheck:
    """Answer 444 with an empty body when ``Host`` is not the tenant FQDN."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.fqdn = settings.fqdn.lower()
        self.disabled = faults.HOST_CHECK_OFF.name in settings.faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.disabled and _hostname(_header(scope, b"host") or "") != self.fqdn:
            await send({"type": "http.response.start", "status": NO_RESPONSE, "headers": [(b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send)


class BodyLimit:
    """Refuse request bodies over the limit with 413 in the endpoint's dialect (declared or streamed length)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        error = error_in(dialect_of(scope["path"]), 413, "request.body.too.large", parameters={"limit": self.limit})
        await error.response()(scope, _no_receive, send)


class QueryEncoding:
    """Refuse a query string whose percent-decoded bytes are not UTF-8 (400 in the endpoint's dialect): a parameter
    silently decoded with replacement characters would answer a different question than the one asked."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("query_string"):
            try:
                unquote_to_bytes(bytes(scope["query_string"]).replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                error = error_in(dialect_of(scope["path"]), 400, "request.parameter.invalid",
                                 parameters={"parameter": "query string", "detail": "not valid UTF-8"})
                await error.response()(scope, _no_receive, send)
                return
        await self.app(scope, receive, send)


class _TooLarge(Exception):
    pass


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}
