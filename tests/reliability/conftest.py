"""Reliability tests start their own emulator processes (separate from the suite's shared one)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.target.launcher import start_emulator, stop_emulator
from tests.support.emulator_http import Emulator, admin_token


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """A fresh in-memory emulator for this module."""
    process = start_emulator()
    try:
        yield Emulator(process, admin_token(process))
    finally:
        stop_emulator(process.pid)
