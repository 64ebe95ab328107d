"""An independent SCIM checker, scim2-tester (PyPI), finds nothing wrong with the emulator's /usergroup/scim/v2.

scim2-tester drives scim2-client; its bundled network engine needs the ``httpx2`` package, so a small sync client
over ``httpx`` (already a dependency) plays that part here, as scim2-tester's documentation invites.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from scim2_client import BaseSyncSCIMClient

from conformance.target.launcher import EmulatorProcess, start_emulator, stop_emulator

scim2_tester = pytest.importorskip("scim2_tester", reason="scim2-tester (extra 'test') is not installed")

scim2_filling = pytest.importorskip("scim2_tester.filling")
scim2_patch_add = pytest.importorskip("scim2_tester.checkers.patch_add")
scim2_patch_replace = pytest.importorskip("scim2_tester.checkers.patch_replace")
SCIM_PATH = "/usergroup/scim/v2"


class HttpxSCIMClient(BaseSyncSCIMClient):
    """scim2-client's sync interface over an ``httpx.Client`` whose base URL is the SCIM root."""

    def __init__(self, client: httpx.Client, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client

    def _stays_under_base_url(self, endpoint: str) -> bool:
        url = self.client.build_request("GET", endpoint).url
        base = self.client.base_url
        return url.host == base.host and url.port == base.port and url.raw_path.startswith(base.raw_path)

    def _parse_json(self, response: Any) -> Any:
        return response.json()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One exchange (scim2-client builds the path, headers and body)."""
        return self.client.request(method, url, **kwargs)


def _sync_token(emulator: EmulatorProcess, domain: str) -> str:
    """A sync-client token of a fresh PROVISIONED directory: what a real SCIM client (Okta, Entra) uses."""
    with httpx.Client(base_url=emulator.base_url, trust_env=False, timeout=30.0) as http:
        admin = http.post("/acs/token", data={"grant_type": "client_credentials"},
                          auth=(emulator.client_id, emulator.client_secret)).json()["access_token"]
        headers = {"Authorization": f"Bearer {admin}", "Accept": "application/json"}
        directory = http.post("/usergroup/broker/directories", headers=headers,
                              json={"name": domain.split(".")[0], "domains": [domain], "type": "PROVISIONED",
                                    "source": "GENERIC"}).json()
        credentials = http.post(f"/usergroup/broker/directories/{directory['id']}/sync-client", headers=headers,
                                params={"action": "generate_credentials"},
                                json={"generate_token": True, "token_ttl": 60}).json()
    return str(credentials["access_token"])


@pytest.fixture(scope="module")
def domain() -> str:
    """The directory's domain."""
    return f"tester-{secrets.token_hex(3)}.example.test"


@pytest.fixture
def user_names_in_domain(monkeypatch: pytest.MonkeyPatch, domain: str) -> None:
    """scim2-tester invents userNames freely; the service only provisions users of the directory's domains (seed
    003: "domain doesn't belong to the directory"), so its random userNames get that domain, nothing else changes."""
    original = scim2_filling.generate_random_value

    def generate(context: Any, path: Any, *args: Any, **kwargs: Any) -> Any:
        value = original(context, path, *args, **kwargs)
        if str(path).endswith("userName") and isinstance(value, str):
            return f"{value.split('@')[0]}@{domain}"
        return value

    for module in (scim2_filling, scim2_patch_add, scim2_patch_replace):  # each imported the function by name
        monkeypatch.setattr(module, "generate_random_value", generate)


@pytest.fixture(scope="module")
def scim_client(domain: str) -> Iterator[HttpxSCIMClient]:
    """A scim2-client on the emulator's SCIM root, authenticated with a directory sync token."""
    emulator = start_emulator()
    token = _sync_token(emulator, domain)
    http = httpx.Client(base_url=emulator.base_url + SCIM_PATH, trust_env=False, timeout=30.0,
                        headers={"Authorization": f"Bearer {token}"})
    try:
        yield HttpxSCIMClient(http)
    finally:
        http.close()
        stop_emulator(emulator.pid)


@pytest.mark.usefixtures("user_names_in_domain")
def test_scim2_tester_reports_only_success(scim_client):
    """Every check scim2-tester runs against the emulator ends in SUCCESS (skipped checks are listed, not failed)."""
    results = scim2_tester.check_server(scim_client)
    problems = [f"{r.title}: {r.status.name} {r.reason}" for r in results
                if r.status not in (scim2_tester.Status.SUCCESS, scim2_tester.Status.SKIPPED)]
    assert ([], True) == (problems, len(results) > 20)
