"""The one switch: which target the suite talks to, with which credentials and expectations."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from conformance.errors import ConfigError

PROFILES = ("omnissa", "generic-scim")
MIME_PHASES = ("auto", "legacy", "transition", "json")


def new_run_id() -> str:
    """A short random tag; every resource a run creates carries ``ctk-<run_id>-``."""
    return secrets.token_hex(4)


@dataclass(frozen=True)
class TargetConfig:
    """Everything the suite needs to know about the system under test.

    ``control_url`` is set only for the kit's emulator started with its control surface: tests that
    need the clock are skipped (with that reason) when it is None.
    """

    base_url: str
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    tenant_host: str | None = None
    mime_phase: str = "auto"
    profile: str = "omnissa"
    scim_base: str | None = None
    bearer_token: str | None = field(default=None, repr=False)
    run_id: str = field(default_factory=new_run_id)
    control_url: str | None = None
    is_emulator: bool = False

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ConfigError(f"unknown profile {self.profile!r}; choose one of {', '.join(PROFILES)}")
        if self.mime_phase not in MIME_PHASES:
            raise ConfigError(f"unknown MIME phase {self.mime_phase!r}; choose one of {', '.join(MIME_PHASES)}")
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"target must be an http(s) URL, got {self.base_url!r}")

    @property
    def host(self) -> str:
        """The hostname of the base URL."""
        return urlsplit(self.base_url).hostname or ""

    @property
    def expected_host(self) -> str:
        """The FQDN the service expects in ``Host`` (``--tenant-host``, else the URL's host)."""
        return self.tenant_host or self.host

    @property
    def resource_prefix(self) -> str:
        """Prefix of every name this run gives a resource it creates."""
        return f"ctk-{self.run_id}-"

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values the redaction layer must never let through."""
        return tuple(s for s in (self.client_secret, self.bearer_token) if s)
