"""A pytest plugin the end-to-end report test loads into the kit's own run (``-p e2e_secret_recorder`` through
``PYTEST_ADDOPTS``, in the controller and every xdist worker).

It only observes: every value the kit registers with its redactor (client secrets, access and refresh tokens the
run obtained) and the emulator's bootstrap credentials are appended to the file named by ``CTK_E2E_SECRETS_FILE``
(outside the report directory), so ``test_end_to_end_report.py`` can scan every report file for them.
Without that variable the plugin does nothing.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from conformance.redaction import Redactor
from conformance.target.config import TargetConfig

SECRETS_FILE_ENV = "CTK_E2E_SECRETS_FILE"
MIN_LENGTH = 6
"""The redactor ignores shorter values (they would mask innocent substrings); so does the scan."""

_original_register = Redactor.register


def record(kind: str, value: Any) -> None:
    """Append one ``{"kind", "value"}`` line (O_APPEND: the controller and workers write concurrently)."""
    path = os.environ.get(SECRETS_FILE_ENV)
    if not path or not isinstance(value, str) or len(value) < MIN_LENGTH:
        return
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, (json.dumps({"kind": kind, "value": value}) + "\n").encode())
    finally:
        os.close(descriptor)


def _recording_register(self: Redactor, *values: str | None) -> None:
    for value in values:
        record("registered", value)
    _original_register(self, *values)


def pytest_configure(config: pytest.Config) -> None:
    """Start recording what the redactor learns (only when the test asked for it)."""
    if os.environ.get(SECRETS_FILE_ENV):
        Redactor.register = _recording_register  # type: ignore[method-assign]


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[Any]):
    """The ``target`` fixture holds the embedded emulator's bootstrap secret, generated inside this run."""
    outcome = yield
    if fixturedef.argname == "target" and outcome.excinfo is None:
        target = outcome.get_result()
        if isinstance(target, TargetConfig) and target.is_emulator:
            record("bootstrap-secret", target.client_secret)
            record("bootstrap-client-id", target.client_id)
