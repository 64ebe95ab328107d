"""Shared fixtures of the emulator unit tests: TestClients on fresh in-memory emulators with a known bootstrap
secret."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from tests.support.acs_app import Acs, new_app
from tests.support.core_app import bearer, make_client, sign


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


@pytest.fixture(scope="module")
def client() -> TestClient:
    """One fault-free emulator per test module (a module may define its own ``client`` instead)."""
    return make_client()


@pytest.fixture
def headers(client: TestClient) -> dict[str, str]:
    """A TENANT_ADMIN bearer token of ``client``'s emulator and ``Accept: application/json``."""
    return {**bearer(sign(client)), "Accept": "application/json"}


@pytest.fixture
def tag() -> str:
    """A fresh label, so tests sharing the module's emulator never collide."""
    return "t" + secrets.token_hex(4)
