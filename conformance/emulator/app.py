"""The ASGI app factory: families (acs, directories, scim, legacy) on one Starlette app, guarded by the Host check
and the body limit, with every error rendered in its endpoint's dialect (never a bare 500 page)."""

from __future__ import annotations

import json
import logging
from types import ModuleType

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Route

from conformance.emulator import acs, directories, legacy, scim
from conformance.emulator.core import control
from conformance.emulator.core import known_faults as faults
from conformance.emulator.core.clock import Clock
from conformance.emulator.core.context import Context, context
from conformance.emulator.core.errors import AdminError, ApiError, dialect_of, error_in
from conformance.emulator.core.faults import ActiveFaults
from conformance.emulator.core.keys import SigningKey
from conformance.emulator.core.middleware import BodyLimit, HostCheck, QueryEncoding
from conformance.emulator.core.store import Store
from conformance.emulator.settings import Settings

FAMILIES: tuple[ModuleType, ...] = (acs, directories, scim, legacy)
log = logging.getLogger("conformance.emulator")


def build_context(settings: Settings) -> Context:
    """Open the store, load (or create) the signing key, and create every family's tables."""
    store, clock = Store(settings.db), Clock()
    ctx = Context(settings, store, clock, SigningKey(store, clock.now()), ActiveFaults(settings.faults))
    for family in FAMILIES:
        store.migrate(family.DDL)
    for family in FAMILIES:
        family.setup(ctx)
    return ctx


def create_app(settings: Settings | None = None) -> Starlette:
    """The emulator as an ASGI app (``uvicorn 'conformance.emulator:create_app' --factory`` works too)."""
    settings = settings or Settings()
    ctx = build_context(settings)
    routes: list[BaseRoute] = [route for family in FAMILIES for route in family.routes()]
    if settings.control:
        routes += control.routes()
    app = Starlette(routes=routes, exception_handlers={ApiError: _api_error, HTTPException: _http_error,
                                                       Exception: _server_error},
                    middleware=[Middleware(HostCheck, settings=settings),
                                Middleware(QueryEncoding),
                                Middleware(BodyLimit, limit=settings.max_body_bytes)])
    app.state.context = ctx
    return app


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    response = exc.response()
    if isinstance(exc, AdminError) and context(request).faults:
        response = _faulty_envelope(context(request), exc) or response
    return response


def _faulty_envelope(ctx: Context, exc: AdminError) -> Response | None:
    body = exc.body()
    if ctx.faults.on(faults.ENVELOPE_NO_PARAMETERS):
        for error in body["errors"]:
            error.pop("parameters", None)
    elif ctx.faults.on(faults.ENVELOPE_ERROR_KEY):
        body = {"error": body["errors"]}
    else:
        return None
    return Response(json.dumps(body), status_code=exc.status, headers=exc.headers, media_type="application/json")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: "resource.not.found", 405: "method.not.allowed"}.get(exc.status_code, "request.body.invalid")
    parameters = {"path": request.url.path, "method": request.method, "detail": exc.detail}
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    error = error_in(dialect_of(request.url.path), exc.status_code, code, parameters=parameters, headers=headers)
    return await _api_error(request, error)


def _allowed_methods(request: Request) -> list[str]:
    """RFC 9110 §15.5.6: a 405 "MUST generate an Allow header field" listing every route's methods for the path
    (Starlette's own header names only the first matching route's)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match is not Match.NONE and isinstance(route, Route):
            methods |= set(route.methods or ())
    return sorted(methods)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_in(dialect_of(request.url.path), 500, "server.error").response()
