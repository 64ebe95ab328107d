"""The per-app state every handler reaches through ``context(request)``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starlette.requests import Request

from conformance.emulator.core.clock import Clock
from conformance.emulator.core.faults import ActiveFaults
from conformance.emulator.core.keys import SigningKey
from conformance.emulator.core.store import Store
from conformance.emulator.settings import Settings

if TYPE_CHECKING:
    from conformance.emulator.core.tokens import Principal


@dataclass
class Context:
    """Settings, storage, clock, signing key and active faults of one emulator instance."""

    settings: Settings
    store: Store
    clock: Clock
    key: SigningKey
    faults: ActiveFaults
    # Extra validity rules families add for bearer tokens (e.g. "a sync token must be its directory's latest").
    token_checks: list[Callable[[Context, Principal], bool]] = field(default_factory=list)
    # Cross-family events, e.g. hooks["directory-deleted"]: [fn(ctx, db, directory_id)] run inside the deleting tx.
    hooks: dict[str, list[Callable[..., None]]] = field(default_factory=dict)
    # The bootstrap client's secret when this instance generated it (printed once by the CLI), else None.
    generated_secret: str | None = None


def run_hooks(ctx: Context, event: str, *args: object) -> None:
    """Call every hook registered for ``event``."""
    for hook in ctx.hooks.get(event, ()):
        hook(ctx, *args)


def context(request: Request) -> Context:
    """The context of the app serving ``request``."""
    return request.app.state.context  # type: ignore[no-any-return]
