"""Hypothesis profiles: ``dev`` (default), ``ci`` (derandomized, reproducible), ``nightly`` (deep)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much]}

settings.register_profile("dev", max_examples=25, **_COMMON)
settings.register_profile("ci", max_examples=25, derandomize=True, print_blob=True, **_COMMON)
settings.register_profile("nightly", max_examples=500, **_COMMON)


def pytest_configure(config: pytest.Config) -> None:
    """Pick ``ci`` under CI unless the user chose a profile with ``--hypothesis-profile``."""
    if config.getoption("hypothesis_profile", default=None):
        return
    settings.load_profile("ci" if os.environ.get("CI") else "dev")
