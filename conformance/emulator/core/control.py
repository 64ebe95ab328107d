"""The test control surface under ``/_emulator`` (mounted only with ``--control``; never part of the contract).

- ``POST /_emulator/clock`` ``{"advance_seconds": N}``: move the clock forward (token expiry without waiting)
- ``GET /_emulator/state``: phase, FQDN, active faults, current time
- ``GET /_emulator/faults``: the fault catalogue (name, family, requirements, description)
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from conformance.emulator.core.context import context
from conformance.emulator.core.errors import AdminError
from conformance.emulator.core.faults import REGISTRY

PREFIX = "/_emulator"


async def advance_clock(request: Request) -> Response:
    """Advance the clock by ``advance_seconds`` (a non-negative number)."""
    try:
        seconds = json.loads(await request.body())["advance_seconds"]
        now = context(request).clock.advance(float(seconds))
    except (ValueError, KeyError, TypeError):
        raise AdminError(400, "request.field.invalid", parameters={"field": "advance_seconds",
                                                                   "detail": "a non-negative number"}) from None
    return JSONResponse({"now": now})


async def state(request: Request) -> Response:
    """What this instance runs with."""
    ctx = context(request)
    return JSONResponse({"mime_phase": ctx.settings.mime_phase, "fqdn": ctx.settings.fqdn,
                         "faults": sorted(ctx.faults.names), "now": ctx.clock.now()})


async def fault_catalogue(request: Request) -> Response:
    """Every fault the emulator knows."""
    return JSONResponse([{"name": f.name, "family": f.family, "requirements": list(f.requirements),
                          "description": f.description} for f in REGISTRY.values()])


def routes() -> list[Route]:
    """The control routes (the app mounts them only when control is enabled)."""
    return [Route(PREFIX + "/clock", advance_clock, methods=["POST"]),
            Route(PREFIX + "/state", state, methods=["GET"]),
            Route(PREFIX + "/faults", fault_catalogue, methods=["GET"])]
