"""A running emulator subprocess and a few raw HTTP helpers for the reliability tests (no kit fixtures needed)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import httpx

from conformance.target.launcher import EmulatorProcess

SCIM = "/usergroup/scim/v2"
SCIM_JSON = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@dataclass
class Emulator:
    """An emulator process plus an admin token of its bootstrap client."""

    process: EmulatorProcess
    token: str

    @property
    def base_url(self) -> str:
        """Where it listens."""
        return self.process.base_url

    def headers(self, **extra: str) -> dict[str, str]:
        """Bearer + JSON headers."""
        return {"Authorization": f"Bearer {self.token}", "Accept": "application/json", **extra}

    def http(self) -> httpx.Client:
        """A fresh client (one per thread in concurrency tests)."""
        return httpx.Client(base_url=self.base_url, timeout=30.0, trust_env=False)


def admin_token(process: EmulatorProcess) -> str:
    """A client-credentials token of the bootstrap client."""
    response = httpx.post(process.base_url + "/acs/token", data={"grant_type": "client_credentials"},
                          auth=(process.client_id, process.client_secret), timeout=30.0, trust_env=False)
    response.raise_for_status()
    return str(response.json()["access_token"])


def create_directory(emulator: Emulator) -> str:
    """A PROVISIONED directory with one random domain; returns the domain."""
    domain = f"rel-{secrets.token_hex(4)}.example.test"
    body = {"name": f"rel-{secrets.token_hex(4)}", "domains": [domain], "type": "PROVISIONED", "source": "GENERIC"}
    with emulator.http() as http:
        response = http.post("/usergroup/broker/directories", json=body, headers=emulator.headers())
    assert 201 == response.status_code, response.text
    return domain


def user_body(user_name: str) -> dict[str, Any]:
    """A minimal SCIM User."""
    return {"schemas": [USER_SCHEMA], "userName": user_name, "name": {"givenName": "G", "familyName": "F"},
            "active": True}


def post_user(emulator: Emulator, http: httpx.Client, user_name: str) -> httpx.Response:
    """POST /Users with the admin token."""
    return http.post(SCIM + "/Users", json=user_body(user_name),
                     headers=emulator.headers(**{"Content-Type": SCIM_JSON}))


def patch_display_name(emulator: Emulator, http: httpx.Client, user_id: str, value: str,
                       etag: str) -> httpx.Response:
    """PATCH displayName with If-Match."""
    body = {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "replace", "path": "displayName", "value": value}]}
    return http.patch(f"{SCIM}/Users/{user_id}", json=body,
                      headers=emulator.headers(**{"Content-Type": SCIM_JSON, "If-Match": etag}))
