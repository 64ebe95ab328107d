"""The benchmark's users (the same payloads for every server) and the HTTP calls that seed them."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import httpx

USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
SCIM_JSON = "application/scim+json"
EMULATOR_SCIM = "/usergroup/scim/v2"
PEER_SCIM = "/v2"
BOOTSTRAP_CLIENT = "bootstrap-admin"
DOMAIN = "example.com"


def user_name(n: int) -> str:
    """The userName of user number ``n``."""
    return f"bench.user{n:06d}@{DOMAIN}"


def external_id(n: int) -> str:
    """The externalId of user number ``n``."""
    return f"ext-{n:06d}"


def payload(n: int) -> dict[str, Any]:
    """A realistic Okta-style User (RFC 7643 §4.1) for user number ``n``."""
    return {
        "schemas": [USER_URN], "userName": user_name(n), "externalId": external_id(n), "active": True,
        "name": {"givenName": f"Given{n}", "familyName": f"Family{n}", "formatted": f"Given{n} Family{n}"},
        "displayName": f"Given{n} Family{n}",
        "emails": [{"value": user_name(n), "type": "work", "primary": True}],
    }


def basic(client_id: str, secret: str) -> str:
    """An HTTP Basic ``Authorization`` value (RFC 7617)."""
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def emulator_token(base_url: str, secret: str, client_id: str = BOOTSTRAP_CLIENT) -> str:
    """An access token of the bootstrap admin client (client_credentials at /acs/token)."""
    response = httpx.post(base_url + "/acs/token", data={"grant_type": "client_credentials"},
                          headers={"Authorization": basic(client_id, secret)}, timeout=30)
    response.raise_for_status()
    return str(response.json()["access_token"])


def create_directory(base_url: str, token: str) -> str:
    """A PROVISIONED directory owning the users' domain (the emulator places a User by its userName's domain)."""
    body = {"name": "bench", "domains": [DOMAIN], "type": "PROVISIONED", "source": "GENERIC"}
    response = httpx.post(base_url + "/usergroup/broker/directories", json=body, timeout=30,
                          headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    if response.status_code != 201:
        raise RuntimeError(f"creating the directory answered {response.status_code}: {response.text[:300]}")
    return str(response.json()["id"])


def seed_http(base_url: str, scim_prefix: str, token: str | None, count: int, concurrency: int = 8) -> list[str]:
    """POST ``count`` users to ``<base_url><scim_prefix>/Users``; their ids, in user-number order."""
    return asyncio.run(_seed(base_url + scim_prefix + "/Users", token, count, concurrency))


async def _seed(url: str, token: str | None, count: int, concurrency: int) -> list[str]:
    headers = {"Content-Type": SCIM_JSON, "Accept": SCIM_JSON}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    ids: list[str] = [""] * count
    async with httpx.AsyncClient(headers=headers, timeout=60) as client:

        async def worker(start: int) -> None:
            for n in range(start, count, concurrency):
                response = await client.post(url, json=payload(n))
                if response.status_code != 201:
                    raise RuntimeError(f"seeding {url} failed: {response.status_code} {response.text[:300]}")
                ids[n] = response.json()["id"]

        await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return ids
