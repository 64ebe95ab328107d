"""The ``/acs`` family: token endpoint, revocation, userinfo, JWKS, OIDC discovery, OAuth 2.0 client administration."""

from __future__ import annotations

from starlette.routing import BaseRoute

from conformance.emulator.acs import admin, discovery, faults, refresh, revoke, token
from conformance.emulator.acs.bootstrap import ensure_bootstrap_client
from conformance.emulator.core import clients
from conformance.emulator.core.context import Context

__all__ = ["DDL", "faults", "routes", "setup"]

DDL = clients.DDL + refresh.DDL


def setup(ctx: Context) -> None:
    """Create (or keep) the bootstrap admin client."""
    ensure_bootstrap_client(ctx)


def routes() -> list[BaseRoute]:
    """Every /acs route."""
    return [*token.routes(), *revoke.routes(), *discovery.routes(), *admin.routes()]
