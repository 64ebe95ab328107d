"""Fixtures every conformance test builds on: client, admin tokens, resource tracking, emulator control."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from filelock import FileLock

from conformance.housekeeping.tracking import ResourceTracker
from conformance.redaction import REDACTOR, Redactor
from conformance.target.auth import TokenSource
from conformance.target.client import TargetClient
from conformance.target.config import TargetConfig

CLOCK_LOCK = "conformance-emulator-clock.lock"
NO_CONTROL_REASON = "needs the emulator's control surface (clock); a live tenant has none"


@pytest.fixture(scope="session")
def redactor(target: TargetConfig) -> Redactor:
    """The process-wide redactor, primed with the run's secrets."""
    REDACTOR.register(*target.secrets)
    return REDACTOR


@pytest.fixture(scope="session")
def client(target: TargetConfig, redactor: Redactor) -> Iterator[TargetClient]:
    """An HTTP client bound to the target's base URL."""
    http = TargetClient(target, redactor)
    yield http
    http.close()


@pytest.fixture(scope="session")
def admin(target: TargetConfig, client: TargetClient) -> TokenSource:
    """Tokens of the admin client given by --client-id/--client-secret (or the emulator's bootstrap client)."""
    if not (target.client_id and target.client_secret):
        pytest.skip("no admin client credentials (--client-id/--client-secret)")
    return TokenSource(client, target.client_id, target.client_secret)


@pytest.fixture(scope="session")
def tracker(target: TargetConfig, client: TargetClient, admin: TokenSource,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[ResourceTracker]:
    """Registers what the session creates and deletes it at the end, even after failures."""
    ledger = tmp_path_factory.getbasetemp() / f"ctk-{target.run_id}-ledger.jsonl"
    resources = ResourceTracker(target.resource_prefix, ledger, target=target.base_url)
    yield resources
    leftovers = resources.cleanup(client, admin.token()) if resources.pending_count else []
    if leftovers:
        pytest.fail(f"could not remove {len(leftovers)} resources created by this run: "
                    + ", ".join(r.delete_path for r in leftovers), pytrace=False)


@pytest.fixture
def emulator_control(target: TargetConfig, client: TargetClient) -> str:
    """The emulator's control URL; tests that need it are skipped against a live tenant."""
    if not target.control_url:
        pytest.skip(NO_CONTROL_REASON)
    return target.control_url


@pytest.fixture
def advance_clock(emulator_control: str, client: TargetClient, admin: TokenSource, request: pytest.FixtureRequest,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[float], None]]:
    """``advance_clock(seconds)`` moves the emulator's clock forward (token expiry without waiting).

    The emulator's clock is shared by every xdist worker: a test using it holds a cross-process lock for its whole
    duration, so no other clock-dependent test can see a jump between its own steps. After a jump the cached admin
    token is dropped (the emulator may consider it older now).
    """
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if hasattr(request.config, "workerinput") else base

    def advance(seconds: float) -> None:
        response = client.post(emulator_control + "/clock", json={"advance_seconds": seconds})
        assert response.status_code == 200, f"emulator control surface refused clock advance: {response.status_code}"
        admin.invalidate()

    with FileLock(str(shared / CLOCK_LOCK)):
        yield advance
