"""The directories family: /usergroup/broker/directories (+ sync clients) and /federation/broker/identity-providers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from conformance.emulator.core.context import Context, context
from conformance.emulator.directories import crud, faults, idps, store, sync

DDL = store.DDL + sync.DDL + idps.DDL
FAULTS = faults  # importing the module registers the family's faults


def setup(ctx: Context) -> None:
    """Sync tokens stay valid only while their client and directory exist."""
    ctx.token_checks.append(sync.token_is_current)


Handler = Callable[[Request], Awaitable[Response]]


def _purging(handler: Handler) -> Handler:
    """Run ``handler`` after removing the directories whose deletion grace period is over."""

    async def endpoint(request: Request) -> Response:
        ctx = context(request)
        store.purge(ctx.store, ctx.clock.now())
        return await handler(request)

    endpoint.__doc__ = handler.__doc__
    return endpoint


def routes() -> list[BaseRoute]:
    """Every route of the family."""
    directory = crud.BASE + "/{id}"
    idp = idps.BASE + "/{idpId}"
    return [
        Route(crud.BASE, _purging(crud.list_directories), methods=["GET"]),
        Route(crud.BASE, _purging(crud.create_directory), methods=["POST"]),
        Route(directory, _purging(crud.get_directory), methods=["GET"]),
        Route(directory, _purging(crud.patch_directory), methods=["PATCH"]),
        Route(directory, _purging(crud.delete_directory), methods=["DELETE"]),
        Route(directory + "/sync-client", _purging(sync.get_sync_client), methods=["GET"]),
        Route(directory + "/sync-client", _purging(sync.generate_credentials), methods=["POST"]),
        Route(idps.BASE, _purging(idps.list_idps), methods=["GET"]),
        Route(idps.BASE, _purging(idps.create_idp), methods=["POST"]),
        Route(idp, _purging(idps.get_idp), methods=["GET"]),
        Route(idp, _purging(idps.patch_idp), methods=["PATCH"]),
        Route(idp, _purging(idps.delete_idp), methods=["DELETE"]),
    ]
