"""Shared fixtures of the emulator unit tests: TestClients on fresh in-memory emulators with a known bootstrap
secret."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from acs_support import Acs, new_app
from starlette.testclient import TestClient


@pytest.fixture
def make_app() -> Callable[..., TestClient]:
    """``make_app(*faults, **settings)``: a TestClient on a new emulator (bootstrap secret ``acs_support``'s)."""
    return new_app


@pytest.fixture
def acs() -> Acs:
    """The /acs family of a fault-free emulator, with helpers for tokens and client administration."""
    return Acs(new_app())


@pytest.fixture
def make_acs() -> Callable[..., Acs]:
    """``make_acs(*faults)``: the /acs helpers on an emulator started with ``faults``."""
    return lambda *faults: Acs(new_app(*faults))
