"""Helpers of the /acs unit tests: an emulator with a known bootstrap client and shortcuts for its API."""

from __future__ import annotations

from functools import cache
from typing import Any
from unittest import mock

import httpx
from joserfc.jwk import RSAKey
from starlette.testclient import TestClient

from conformance.emulator import Settings, create_app
from conformance.emulator.core import keys

HOST = "testserver"
BASE = f"http://{HOST}"
ADMIN_ID = "unit-bootstrap"
ADMIN_SECRET = "unit-bootstrap-secret"
CLIENTS = "/acs/broker/oauth2-clients"


@cache
def _signing_key() -> RSAKey:
    return RSAKey.generate_key(2048)


def new_app(*faults: str, **settings: Any) -> TestClient:
    """A TestClient on a new in-memory emulator (control surface on). The apps of these tests share one RSA key
    (generating, or even loading, a 2048-bit key per test would dominate the run time)."""
    options = {"db": ":memory:", "fqdn": HOST, "bootstrap_client_id": ADMIN_ID, "bootstrap_client_secret": ADMIN_SECRET,
               "control": True, "faults": faults, **settings}
    with mock.patch.object(keys.RSAKey, "generate_key", return_value=_signing_key()), \
            mock.patch.object(keys.RSAKey, "import_key", return_value=_signing_key()):
        app = create_app(Settings(**options))
    return TestClient(app, base_url=BASE)


class Acs:
    """Shortcuts for /acs/token, /acs/revoke and /acs/broker/oauth2-clients as the bootstrap admin."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self._admin: str | None = None

    def token(self, client_id: str = ADMIN_ID, secret: str = ADMIN_SECRET, **form: str) -> httpx.Response:
        """POST /acs/token with HTTP Basic (grant client_credentials unless given)."""
        return self.client.post("/acs/token", data={"grant_type": "client_credentials", **form},
                                auth=(client_id, secret))

    def access_token(self, client_id: str = ADMIN_ID, secret: str = ADMIN_SECRET, **form: str) -> str:
        """A token of the client (asserting it was issued)."""
        response = self.token(client_id, secret, **form)
        assert 200 == response.status_code, response.text
        return str(response.json()["access_token"])

    def admin(self) -> dict[str, str]:
        """The bootstrap admin's Authorization header."""
        if self._admin is None:
            self._admin = self.access_token()
        return bearer(self._admin)

    def create(self, **fields: Any) -> httpx.Response:
        """POST a client: client_credentials, scope admin, READ_ONLY_TENANT_ADMIN, 5 minutes unless overridden."""
        body = {"client_id": "c-1", "secret": "c-1-secret", "grant_types": ["client_credentials"],
                "scope": ["admin"], "access_token_ttl": 5, "rule_set_names": ["READ_ONLY_TENANT_ADMIN"], **fields}
        return self.client.post(CLIENTS, json={k: v for k, v in body.items() if v is not None}, headers=self.admin())

    def new_client(self, **fields: Any) -> tuple[str, str]:
        """Create a client and return (client_id, secret)."""
        response = self.create(**fields)
        assert 201 == response.status_code, response.text
        return str(response.json()["client_id"]), str(fields.get("secret", "c-1-secret"))

    def get(self, client_id: str) -> httpx.Response:
        """GET one client."""
        return self.client.get(f"{CLIENTS}/{client_id}", headers=self.admin())

    def list(self, **params: Any) -> httpx.Response:
        """GET one page of the list."""
        return self.client.get(CLIENTS, params=params, headers=self.admin())

    def patch(self, client_id: str, body: Any, **params: Any) -> httpx.Response:
        """PATCH one client."""
        return self.client.patch(f"{CLIENTS}/{client_id}", json=body, params=params, headers=self.admin())

    def rotate(self, client_id: str, action: str, body: Any = None) -> httpx.Response:
        """POST ?action=... on one client."""
        content = {} if body is None else {"json": body}
        return self.client.post(f"{CLIENTS}/{client_id}", params={"action": action}, headers=self.admin(), **content)

    def delete(self, client_id: str) -> httpx.Response:
        """DELETE one client."""
        return self.client.delete(f"{CLIENTS}/{client_id}", headers=self.admin())

    def revoke(self, token: str, client_id: str = ADMIN_ID, secret: str = ADMIN_SECRET,
               **form: str) -> httpx.Response:
        """POST /acs/revoke with HTTP Basic."""
        return self.client.post("/acs/revoke", data={"token": token, **form}, auth=(client_id, secret))

    def works(self, token: str) -> int:
        """The status of a read every rule set of the tests may make (the first page of the client list)."""
        return self.client.get(CLIENTS, params={"page_size": 1}, headers=bearer(token)).status_code

    def advance(self, seconds: float) -> None:
        """Move the emulator clock forward."""
        assert 200 == self.client.post("/_emulator/clock", json={"advance_seconds": seconds}).status_code


def bearer(token: str) -> dict[str, str]:
    """An Authorization header for a bearer token."""
    return {"Authorization": f"Bearer {token}"}
