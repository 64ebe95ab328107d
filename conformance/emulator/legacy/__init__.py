"""The legacy Workspace ONE Access family under /SAAS: the token endpoint, SCIM 1.1 users and groups with the
workspace extension (seed 004), directory configurations of type Other and JIT (seed 003) and the legacy OAuth 2.0
client API. Contract: specs/legacy-access.yaml, requirements LEGACY-001..014.

Modules: ``token`` (/SAAS/auth/oauthtoken), ``calls`` (bearer + scope admin + media types), ``users``/``usermodel``,
``groups``, ``pages``/``filters`` (SCIM 1.1 lists), ``directoryconfigs``, ``oauth2clients``/``clientmodel``,
``store`` (tables), ``errors`` (envelope codes), ``faults``.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from conformance.emulator.core.context import Context
from conformance.emulator.legacy import directoryconfigs, faults, groups, oauth2clients, token, users
from conformance.emulator.legacy.store import DDL

__all__ = ["DDL", "faults", "routes", "setup"]


def setup(ctx: Context) -> None:
    """Nothing to prepare: legacy directories, users and clients are created through the API."""


def routes() -> list[BaseRoute]:
    """Every /SAAS route."""
    return [*token.routes(), *users.routes(), *groups.routes(), *directoryconfigs.routes(),
            *oauth2clients.routes()]
