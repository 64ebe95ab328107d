"""OAuth 2.0 client fixtures: create run-prefixed clients (tracked for cleanup), get their tokens, probe tokens.

``client_admin`` wraps /acs/broker/oauth2-clients and /acs/token for the TOKEN and CLIENT scenarios; ``new_client``
creates a client with a known secret. Every secret and token seen here is registered for redaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from conformance.checks.legacy import oauth_token
from conformance.checks.scim import status_is
from conformance.housekeeping.tracking import ResourceTracker
from conformance.target.auth import TokenSource
from conformance.target.client import TargetClient
from conformance.target.config import TargetConfig
from conformance.target.scim_client import unique_label

CLIENTS = "/acs/broker/oauth2-clients"
TOKEN_PATH = "/acs/token"
REVOKE_PATH = "/acs/revoke"
JSON_HEADERS = {"Accept": "application/json"}
DEFAULT_TTL_MINUTES = 60


@dataclass(frozen=True)
class OAuthClient:
    """A client this run created, with the secret it authenticates with."""

    client_id: str
    secret: str
    resource: dict[str, Any] = field(default_factory=dict)

    @property
    def basic(self) -> httpx.BasicAuth:
        """HTTP Basic credentials (client_secret_basic)."""
        return httpx.BasicAuth(self.client_id, self.secret)


def client_path(client_id: str) -> str:
    """``/acs/broker/oauth2-clients/{client_id}`` (the path id is the client_id)."""
    return f"{CLIENTS}/{quote(client_id, safe='')}"


class ClientAdmin:
    """The OAuth 2.0 client API as the admin client, plus the token endpoints as any client."""

    def __init__(self, client: TargetClient, admin: TokenSource, tracker: ResourceTracker, prefix: str) -> None:
        self.client = client
        self.admin = admin
        self.tracker = tracker
        self.prefix = prefix

    def label(self, kind: str = "client") -> str:
        """A fresh run-prefixed client_id."""
        return unique_label(self.prefix, kind)

    def body(self, **fields: Any) -> dict[str, Any]:
        """A valid create body: client_credentials, scope admin, READ_ONLY_TENANT_ADMIN, 60 min, a known secret."""
        body: dict[str, Any] = {"client_id": self.label(), "secret": secrets.token_urlsafe(24),
                                "grant_types": ["client_credentials"], "scope": ["admin"],
                                "access_token_ttl": DEFAULT_TTL_MINUTES, "rule_set_names": ["READ_ONLY_TENANT_ADMIN"]}
        body.update(fields)
        return {name: value for name, value in body.items() if value is not None}

    def create(self, body: dict[str, Any]) -> httpx.Response:
        """POST a client; any success is registered for cleanup and its secrets for redaction."""
        self.client.redactor.register(body.get("secret") if isinstance(body.get("secret"), str) else None)
        response = self.client.post(CLIENTS, token=self.admin.token(), json=body, headers=JSON_HEADERS)
        client_id = _field(response, "client_id") or body.get("client_id")
        if response.is_success and isinstance(client_id, str):
            self.tracker.add("oauth2-client", client_path(client_id))
            self.client.redactor.register(_field(response, "secret"))
        return response

    def get(self, client_id: str) -> httpx.Response:
        """GET one client."""
        return self.client.get(client_path(client_id), token=self.admin.token(), headers=JSON_HEADERS)

    def list(self, **params: Any) -> httpx.Response:
        """GET one page of the client list."""
        return self.client.get(CLIENTS, token=self.admin.token(), params=params, headers=JSON_HEADERS)

    def pages(self, page_size: int, limit: int = 200) -> list[httpx.Response]:
        """Every page of the list: start_index 1 up to the first page's totalPages (at most ``limit`` pages)."""
        responses = [self.list(start_index=1, page_size=page_size)]
        total_pages = _field(responses[0], "totalPages", int) or 0
        responses += [self.list(start_index=index, page_size=page_size)
                      for index in range(2, min(int(total_pages), limit) + 1)]
        return responses

    def patch(self, client_id: str, body: dict[str, Any], **params: Any) -> httpx.Response:
        """PATCH a client."""
        return self.client.patch(client_path(client_id), token=self.admin.token(), json=body, params=params,
                                 headers=JSON_HEADERS)

    def rotate(self, client_id: str, action: str, body: dict[str, Any] | None = None) -> httpx.Response:
        """POST ``?action=start-rotate-secret`` (with ``body``) or ``retire-primary-secret`` (no body)."""
        content: dict[str, Any] = {}
        if body is not None:
            self.client.redactor.register(body.get("secondary_secret"))
            content["json"] = body
        return self.client.post(client_path(client_id), token=self.admin.token(), params={"action": action},
                                headers=JSON_HEADERS, **content)

    def delete(self, client_id: str) -> httpx.Response:
        """DELETE a client; a success removes it from the cleanup list."""
        response = self.client.delete(client_path(client_id), token=self.admin.token(), headers=JSON_HEADERS)
        if response.is_success:
            self.tracker.forget(client_path(client_id))
        return response

    def token(self, auth: httpx.Auth | None, **form: str | None) -> httpx.Response:
        """POST /acs/token with ``form`` (grant client_credentials unless given; None drops a field)."""
        fields = {"grant_type": "client_credentials", **form}
        data = {name: value for name, value in fields.items() if value is not None}
        response = self.client.post(TOKEN_PATH, data=data, auth=auth)
        self.client.redactor.register(_field(response, "access_token"), _field(response, "refresh_token"))
        return response

    def access_token(self, oauth_client: OAuthClient, requirement_id: str) -> str:
        """A fresh access token of ``oauth_client`` (a failure of ``requirement_id`` when none is issued)."""
        return oauth_token(requirement_id, self.token(oauth_client.basic))

    def revoke(self, auth: httpx.Auth | None, token: str) -> httpx.Response:
        """POST /acs/revoke (RFC 7009) with client authentication ``auth``."""
        return self.client.post(REVOKE_PATH, data={"token": token, "token_type_hint": "access_token"}, auth=auth)

    def probe(self, token: str) -> httpx.Response:
        """A bearer-protected read every READ_ONLY_TENANT_ADMIN token may make: the first page of the client list."""
        return self.client.get(CLIENTS, token=token, params={"page_size": 1}, headers=JSON_HEADERS)


def _field(response: httpx.Response, name: str, kind: type = str) -> Any:
    """``body[name]`` when the body is a JSON object and the value is a ``kind``; None otherwise."""
    try:
        body = response.json()
    except ValueError:
        return None
    value = body.get(name) if isinstance(body, dict) else None
    return value if isinstance(value, kind) and not isinstance(value, bool) else None


@pytest.fixture(scope="session")
def client_admin(target: TargetConfig, client: TargetClient, admin: TokenSource,
                 tracker: ResourceTracker) -> ClientAdmin:
    """The OAuth 2.0 client API of the target, as the admin client."""
    return ClientAdmin(client, admin, tracker, target.resource_prefix)


@pytest.fixture
def new_client(client_admin: ClientAdmin) -> Callable[..., OAuthClient]:
    """``new_client(**fields)``: a fresh run-prefixed client (defaults of ``ClientAdmin.body``) with a known secret."""

    def make(**fields: Any) -> OAuthClient:
        body = client_admin.body(**fields)
        response = client_admin.create(body)
        status_is("CLIENT-001", response, 201)
        return OAuthClient(body["client_id"], body["secret"], dict(response.json()))

    return make


@pytest.fixture(scope="session")
def reader_client(client_admin: ClientAdmin) -> OAuthClient:
    """One READ_ONLY_TENANT_ADMIN client shared by the tests that only obtain tokens (never changed)."""
    body = client_admin.body()
    response = client_admin.create(body)
    if response.status_code != 201:
        pytest.fail(f"setup: creating the session's OAuth 2.0 client answered {response.status_code}")
    return OAuthClient(body["client_id"], body["secret"], dict(response.json()))


@pytest.fixture
def exclusive_clock(advance_clock: Callable[[float], None]) -> Callable[[float], None]:
    """``advance_clock`` (which already holds the workers' shared clock lock for the whole test)."""
    return advance_clock
