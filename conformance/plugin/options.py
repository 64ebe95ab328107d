"""Command-line options of the suite; every option has an environment-variable twin."""

from __future__ import annotations

import pytest

PROFILES = ("omnissa", "generic-scim")
MIME_PHASES = ("auto", "legacy", "transition", "json")

# (flag, env var, help). Secrets are best passed by environment or file: flags show in the process list.
OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--target", "CONFORMANCE_TARGET", "base URL of the tenant; default: start the embedded emulator"),
    ("--client-id", "CONFORMANCE_CLIENT_ID", "admin OAuth2 client id (able to create other clients)"),
    ("--client-secret", "CONFORMANCE_CLIENT_SECRET", "its secret (prefer the env var or --client-secret-file)"),
    ("--client-secret-file", "CONFORMANCE_CLIENT_SECRET_FILE", "file holding the client secret"),
    ("--tenant-host", "CONFORMANCE_TENANT_HOST", "the FQDN the service expects in Host (for the 444 test)"),
    ("--mime-phase", "CONFORMANCE_MIME_PHASE", "auto | legacy | transition | json (auto detects and records)"),
    ("--profile", "CONFORMANCE_PROFILE", "omnissa (everything) | generic-scim (RFC 7643/7644 only)"),
    ("--scim-base", "CONFORMANCE_SCIM_BASE", "SCIM base URL for the generic-scim profile"),
    ("--bearer-token", "CONFORMANCE_BEARER_TOKEN", "bearer token for the generic-scim profile"),
    ("--run-id", "CONFORMANCE_RUN_ID", "prefix tag of resources this run creates (default: random)"),
    ("--emulator-fault", "CONFORMANCE_EMULATOR_FAULT", "start the embedded emulator with these faults (comma list)"),
)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the suite's options under their own group."""
    group = parser.getgroup("conformance", "Identity Service conformance kit")
    for flag, env, help_text in OPTIONS:
        dest = flag.lstrip("-").replace("-", "_")
        group.addoption(flag, dest=dest, default=None, help=f"{help_text} [env {env}]")


def option_value(config: pytest.Config, flag: str) -> str | None:
    """The flag's value, else its environment twin, else None."""
    import os

    dest = flag.lstrip("-").replace("-", "_")
    value = config.getoption(dest, default=None)
    if value:
        return str(value)
    env = next(env for name, env, _ in OPTIONS if name == flag)
    return os.environ.get(env) or None
