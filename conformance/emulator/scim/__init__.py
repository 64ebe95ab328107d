"""The SCIM 2.0 family: /usergroup/scim/v2 Users, Groups, .search, Me and discovery (RFC 7643, RFC 7644).

Modules: ``models`` (scim2-models resources and policy), ``strict`` (the contract's extra request rules),
``store`` (tables), ``placement`` (directories), ``writes`` (create/replace/patch/delete), ``members``,
``query`` + ``filters`` (lists), ``render`` (representations, ETags, attribute selection), ``handlers`` and
``discovery`` (HTTP), ``faults``.
"""

from __future__ import annotations

import sqlite3

from starlette.routing import BaseRoute, Route

from conformance.emulator.core.context import Context
from conformance.emulator.scim import discovery, faults, handlers
from conformance.emulator.scim import store as rows
from conformance.emulator.scim.render import SCIM_ROOT

__all__ = ["DDL", "faults", "routes", "setup"]

DDL = rows.DDL


def _directory_deleted(ctx: Context, db: sqlite3.Connection, directory_id: str) -> None:
    """A deleted directory takes its Users and Groups with it (inside the deleting transaction)."""
    rows.purge_directory(db, directory_id, rows.stamp(ctx.clock.now()))


def setup(ctx: Context) -> None:
    """Register the directory-deleted hook."""
    ctx.hooks.setdefault("directory-deleted", []).append(_directory_deleted)


def routes() -> list[BaseRoute]:
    """Every /usergroup/scim/v2 route."""
    return [
        *handlers.routes(SCIM_ROOT),
        Route(f"{SCIM_ROOT}/.search", discovery.root_search, methods=["POST"]),
        Route(f"{SCIM_ROOT}/Me", discovery.me, methods=["GET"]),
        Route(f"{SCIM_ROOT}/ServiceProviderConfig", discovery.service_provider_config, methods=["GET"]),
        Route(f"{SCIM_ROOT}/ResourceTypes", discovery.resource_types, methods=["GET"]),
        Route(SCIM_ROOT + "/ResourceTypes/{id}", discovery.resource_type, methods=["GET"]),
        Route(f"{SCIM_ROOT}/Schemas", discovery.schemas, methods=["GET"]),
        Route(SCIM_ROOT + "/Schemas/{id}", discovery.schema, methods=["GET"]),
    ]
