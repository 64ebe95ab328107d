"""A thin SCIM 2.0 client for scenario tests: application/scim+json bodies, absolute URLs, cleanup registration.

It returns raw ``httpx.Response`` objects; judging them is the job of ``conformance.checks.scim``.
Every resource created with a 201 is registered with the tracker, so a live server keeps no leftovers.
"""

from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING, Any

import httpx

from conformance.target.auth import TokenSource
from conformance.target.client import TargetClient

if TYPE_CHECKING:  # the tracker sits a layer above; only its type is named here
    from conformance.housekeeping.tracking import ResourceTracker

SCIM_JSON = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
DIRECTORIES = "/usergroup/broker/directories"
JSON_HEADERS = {"Accept": "application/json"}


def unique_label(prefix: str, kind: str) -> str:
    """A lower-case, run-prefixed, collision-free label, e.g. ``ctk-1a2b3c4d-user-9f8e7d``."""
    return f"{prefix}{kind}-{secrets.token_hex(3)}"


def user_body(user_name: str, **attributes: Any) -> dict[str, Any]:
    """A minimal valid User: userName, name, displayName, one work email, active; ``attributes`` override."""
    local = user_name.split("@")[0]
    body: dict[str, Any] = {
        "schemas": [USER_SCHEMA],
        "userName": user_name,
        "name": {"givenName": "Given", "familyName": local},
        "displayName": f"Given {local}",
        "emails": [{"value": f"{local}@mail.example.test", "type": "work", "primary": True}],
        "active": True,
    }
    body.update(attributes)
    return body


def patch_body(*operations: dict[str, Any]) -> dict[str, Any]:
    """An RFC 7644 §3.5.2 PatchOp message holding ``operations``."""
    return {"schemas": [PATCH_SCHEMA], "Operations": list(operations)}


class ScimClient:
    """Talks SCIM to one service provider with one bearer token."""

    def __init__(self, client: TargetClient, base: str, token: str, tracker: ResourceTracker) -> None:
        self.client = client
        self.base = base.rstrip("/")
        self.token = token
        self.tracker = tracker

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` (``/Users``, ``/Users/{id}``) or ``path`` itself when absolute."""
        return path if path.startswith(("http://", "https://")) else self.base + path

    def request(self, method: str, path: str, body: Any = None, *, token: str | None = None,
                headers: dict[str, str] | None = None, params: dict[str, Any] | None = None) -> httpx.Response:
        """One SCIM exchange; ``token`` overrides the client's own (``""`` sends none)."""
        sent = {"Accept": SCIM_JSON, **(headers or {})}
        content = None
        if body is not None:
            sent.setdefault("Content-Type", SCIM_JSON)
            content = json.dumps(body).encode()
        bearer = self.token if token is None else token
        return self.client.request(method, self.url(path), token=bearer or None, headers=sent,
                                   content=content, params=params)

    def get(self, path: str, **params: Any) -> httpx.Response:
        """GET with query parameters."""
        return self.request("GET", path, params=params or None)

    def create(self, path: str, body: dict[str, Any], *, token: str | None = None) -> httpx.Response:
        """POST a resource; any success carrying an ``id`` is registered for cleanup."""
        response = self.request("POST", path, body, token=token)
        created_id = _created_id(response)
        if created_id:
            self.tracker.add(path.strip("/").split("/")[-1], self.url(f"{path}/{created_id}"))
        return response

    def create_user(self, user_name: str, *, token: str | None = None, **attributes: Any) -> httpx.Response:
        """POST /Users with ``user_body(user_name, **attributes)``."""
        return self.create("/Users", user_body(user_name, **attributes), token=token)

    def create_group(self, display_name: str, members: list[dict[str, Any]] | None = None) -> httpx.Response:
        """POST /Groups with a displayName and ``members`` (default none)."""
        body = {"schemas": [GROUP_SCHEMA], "displayName": display_name, "members": members or []}
        return self.create("/Groups", body)

    def patch(self, path: str, *operations: dict[str, Any], headers: dict[str, str] | None = None) -> httpx.Response:
        """PATCH ``path`` with a PatchOp holding ``operations``."""
        return self.request("PATCH", path, patch_body(*operations), headers=headers)

    def put(self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> httpx.Response:
        """PUT a full representation."""
        return self.request("PUT", path, body, headers=headers)

    def delete(self, path: str, *, token: str | None = None) -> httpx.Response:
        """DELETE; a 204 removes the resource from the cleanup list."""
        response = self.request("DELETE", path, token=token)
        if response.status_code in (200, 204):
            self.tracker.forget(self.url(path))
        return response


class DirectoryAdmin:
    """Creates IDS directories (registered for cleanup) and their sync-client credentials, as the admin client."""

    def __init__(self, client: TargetClient, admin: TokenSource, tracker: ResourceTracker) -> None:
        self.client = client
        self.admin = admin
        self.tracker = tracker

    def create(self, name: str, domains: list[str], directory_type: str = "PROVISIONED") -> httpx.Response:
        """POST a directory; any success carrying an ``id`` is registered for cleanup."""
        body = {"name": name, "domains": domains, "type": directory_type, "source": "GENERIC"}
        response = self.client.post(DIRECTORIES, token=self.admin.token(), json=body, headers=JSON_HEADERS)
        created_id = _created_id(response)
        if created_id:
            self.tracker.add("directory", f"{DIRECTORIES}/{created_id}")
        return response

    def generate_credentials(self, directory_id: str, *, generate_token: bool = True,
                             token_ttl: int = 60) -> httpx.Response:
        """POST .../sync-client?action=generate_credentials; every returned secret is registered for redaction."""
        body = {"generate_token": generate_token, "token_ttl": token_ttl}
        response = self.client.post(f"{DIRECTORIES}/{directory_id}/sync-client",
                                    params={"action": "generate_credentials"}, token=self.admin.token(),
                                    json=body, headers=JSON_HEADERS)
        if response.is_success:
            credentials = response.json()
            self.client.redactor.register(credentials.get("access_token"), credentials.get("client_secret"))
        return response


def _created_id(response: httpx.Response) -> str | None:
    if not response.is_success:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    return str(body["id"]) if isinstance(body, dict) and body.get("id") else None
