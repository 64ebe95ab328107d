"""The safety tests run the suite against an emulator started on its own, the way a live tenant is reached
(``--target``/``--client-id``, the secret only in the environment), and inspect it afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conformance.target.launcher import EmulatorProcess, start_emulator, stop_emulator
from tests.support.safety import Inspector, Victims


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorProcess]:
    """One in-memory emulator for the safety tests (each test uses its own run id, so they never share names)."""
    process = start_emulator()
    try:
        yield process
    finally:
        stop_emulator(process.pid)


@pytest.fixture
def inspector(emulator: EmulatorProcess) -> Iterator[Inspector]:
    """An operator's view of the emulator."""
    view = Inspector(emulator)
    try:
        yield view
    finally:
        view.close()


@pytest.fixture(scope="session")
def victims(emulator: EmulatorProcess) -> Iterator[Victims]:
    """Resources of nobody (and of another run) created before any suite run of the session."""
    view = Inspector(emulator)
    try:
        yield Victims(view, "s8")
    finally:
        view.close()
