"""Fixtures and table loaders of the AUTHZ, ERR, MIME and HOST tests.

- ``access_policy()``: the rows of ``specs/access-policy.toml`` (for parametrization at collection time)
- ``mime_phase``: the configured ``--mime-phase``, or the phase detected from a GET operation (``auto``)
- ``new_oauth_client``: creates a run-prefixed OAuth2 client (tracked for cleanup) in the phase's media type
- ``rule_set_tokens``: one token source per rule set of the table, each from its own client
"""

from __future__ import annotations

import json
import secrets
import tomllib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import httpx
import pytest

from conformance.checks.envelope import dialect_of
from conformance.checks.mime import JSON, headers_for, phase_table, phases_matching
from conformance.errors import TargetUnavailable
from conformance.housekeeping.tracking import ResourceTracker
from conformance.paths import spec_path
from conformance.target.auth import TokenSource
from conformance.target.client import TargetClient, evidence_of
from conformance.target.config import TargetConfig
from conformance.target.scim_client import SCIM_JSON, unique_label

CLIENTS = "/acs/broker/oauth2-clients"
DETECTION_OPERATION = "oauth2-clients.yaml#getAllOAuth2ClientSummaries"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
OIDC_SECRET = "ctk-oidc-client-secret-never-returned"


@dataclass(frozen=True)
class PolicyOperation:
    """One row of the access-policy table."""

    id: str
    method: str
    path: str
    allowed: frozenset[str]

    @property
    def dialect(self) -> str:
        """``admin`` or ``scim``: the error format of the operation."""
        return dialect_of(self.path)

    @property
    def has_body(self) -> bool:
        """Whether the request carries a (here: empty) JSON body."""
        return self.method in BODY_METHODS

    def fill(self, prefix: str) -> str:
        """The path with a random identifier that names no resource (auth is checked before lookup)."""
        absent = unique_label(prefix, "absent") if self.path.startswith(CLIENTS) else str(uuid.uuid4())
        return self.path.replace("{id}", absent).replace("{idpId}", absent)


@dataclass(frozen=True)
class AccessPolicy:
    """``specs/access-policy.toml``."""

    rule_sets: tuple[str, ...]
    operations: tuple[PolicyOperation, ...]


@cache
def access_policy() -> AccessPolicy:
    """The table, loaded once."""
    with spec_path("access-policy.toml").open("rb") as handle:
        data = tomllib.load(handle)
    operations = tuple(PolicyOperation(row["id"], row["method"], row["path"], frozenset(row["allowed"]))
                       for row in data["operation"])
    return AccessPolicy(tuple(data["rule_sets"]), operations)


def media_headers(phase: str, operation_id: str, path: str, with_body: bool) -> dict[str, str]:
    """The media types a request of this operation should carry in ``phase`` to pass negotiation: SCIM types for
    SCIM, the vendor types in the legacy phase, application/json otherwise."""
    if dialect_of(path) == "scim":
        return {"Accept": SCIM_JSON, **({"Content-Type": SCIM_JSON} if with_body else {})}
    operation = phase_table().operations.get(operation_id)
    if operation is None:
        return {"Accept": JSON, **({"Content-Type": JSON} if with_body else {})}
    kind = "vendor" if phase == "legacy" else "json"
    request_kind = kind if with_body and operation.request_vendor_type else "none"
    accept_kind = kind if operation.response_vendor_type else "missing"
    return headers_for(operation, request_kind, accept_kind)


def send(client: TargetClient, method: str, path: str, *, token: str | None, headers: dict[str, str],
         body: Any = None, params: dict[str, str] | None = None, content: bytes | None = None) -> httpx.Response:
    """One exchange with exactly ``headers`` (no Accept unless given, unlike httpx's default ``*/*``); ``body`` is
    sent as JSON, ``content`` as it is."""
    sent = dict(headers)
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    if body is not None:
        content = json.dumps(body).encode()
    request = client.http.build_request(method, path, headers=sent, content=content, params=params)
    if "Accept" not in headers:
        del request.headers["Accept"]
    try:
        response = client.http.send(request)
        response.read()
    except httpx.TransportError as exc:
        raise TargetUnavailable(f"{method} {path}: {type(exc).__name__}: {exc}") from None
    client.history.append(evidence_of(response, client.redactor))
    return response


def track_created(tracker: ResourceTracker, path: str, response: httpx.Response) -> None:
    """Register whatever a 201 created at ``path`` (``client_id`` names OAuth2 clients, ``id`` the rest)."""
    if response.status_code != 201:
        return
    try:
        body = response.json()
    except ValueError:
        return
    key = "client_id" if path.rstrip("/") == CLIENTS else "id"
    if isinstance(body, dict) and body.get(key):
        tracker.add(path.rstrip("/").rsplit("/", 1)[-1], f"{path.rstrip('/')}/{body[key]}")


def call(client: TargetClient, phase: str, operation_id: str, method: str, path: str, *, token: str,
         body: Any = None, params: dict[str, str] | None = None,
         tracker: ResourceTracker | None = None) -> httpx.Response:
    """One admin/SCIM exchange in the media types of ``phase``; a 201 is registered with ``tracker``."""
    headers = media_headers(phase, operation_id, path, body is not None)
    response = send(client, method, path, token=token, headers=headers, body=body, params=params)
    if tracker is not None:
        track_created(tracker, path, response)
    return response


def directory_body(prefix: str) -> dict[str, Any]:
    """A valid PROVISIONED directory with a run-prefixed name and domain."""
    name = unique_label(prefix, "dir")
    return {"name": name, "domains": [f"{name}.example.test"], "type": "PROVISIONED", "source": "GENERIC"}


def idp_body(prefix: str, directory_id: str) -> dict[str, Any]:
    """A valid OIDC identity provider of ``directory_id`` with a run-prefixed name."""
    return {"idp_name": unique_label(prefix, "idp"), "idp_type": "OIDC", "idp_source_type": "GENERIC",
            "directory_list": [{"id": directory_id}],
            "oidc_profile": {"client_id": "ctk-oidc", "client_secret": OIDC_SECRET,
                             "configuration_url": "https://idp.example.test/.well-known/openid-configuration"}}


def client_body(prefix: str, rule_sets: list[str], ttl_minutes: int = 60) -> dict[str, Any]:
    """A valid client_credentials client (scope admin) with a run-prefixed client_id and a fresh secret."""
    return {"client_id": unique_label(prefix, "authz"), "secret": secrets.token_urlsafe(24),
            "grant_types": ["client_credentials"], "scope": ["admin"], "access_token_ttl": ttl_minutes,
            "rule_set_names": rule_sets}


def _probe(client: TargetClient, admin: TokenSource) -> dict[str, httpx.Response]:
    operation = phase_table().operations[DETECTION_OPERATION]
    return {kind: send(client, "GET", operation.path, token=admin.token(),
                       headers=headers_for(operation, "none", kind)) for kind in ("vendor", "json")}


@pytest.fixture(scope="session")
def phase_probe(client: TargetClient, admin: TokenSource) -> dict[str, httpx.Response]:
    """The target's answers to a GET operation asked for the vendor type and for application/json."""
    return _probe(client, admin)


@pytest.fixture(scope="session")
def detected_phases(phase_probe: dict[str, httpx.Response]) -> list[str]:
    """The phases whose rules match the probe's statuses and media types (exactly one when sound)."""
    table = phase_table()
    return phases_matching(table, table.operations[DETECTION_OPERATION], phase_probe)


@pytest.fixture(scope="session")
def mime_phase(target: TargetConfig, phase_probe: dict[str, httpx.Response], detected_phases: list[str]) -> str:
    """``--mime-phase`` when given, else the detected phase -- by statuses alone when the media types match no
    phase, so the MIME checks still run and name what is wrong; MIME-008 judges the detection itself."""
    if target.mime_phase != "auto":
        return target.mime_phase
    table = phase_table()
    by_status = phases_matching(table, table.operations[DETECTION_OPERATION], phase_probe, strict=False)
    phases = detected_phases if len(detected_phases) == 1 else by_status
    if len(phases) != 1:
        pytest.fail(f"setup: cannot tell the MIME phase (matching phases: {phases}); pass --mime-phase")
    return phases[0]


@dataclass(frozen=True)
class RunClient:
    """An OAuth2 client the run created: its id, secret (never printed) and a cached token source."""

    client_id: str
    secret: str = field(repr=False)
    tokens: TokenSource = field(repr=False)

    def token(self) -> str:
        """A valid access token of the client."""
        return self.tokens.token()

    def basic_auth(self) -> httpx.BasicAuth:
        """HTTP Basic credentials for /acs/token and /acs/revoke."""
        return httpx.BasicAuth(self.client_id, self.secret)


def create_oauth_client(client: TargetClient, admin: TokenSource, tracker: ResourceTracker, phase: str,
                        rule_sets: list[str], ttl_minutes: int = 60) -> RunClient:
    """POST a run-prefixed client_credentials client with ``rule_sets`` (scope admin), tracked for cleanup."""
    body = client_body(tracker.prefix, rule_sets, ttl_minutes)
    client.redactor.register(body["secret"])
    response = call(client, phase, "oauth2-clients.yaml#createNewOAuth2Client", "POST", CLIENTS,
                    token=admin.token(), body=body, tracker=tracker)
    if response.status_code != 201:
        pytest.fail(f"setup: creating an OAuth2 client with {rule_sets} answered {response.status_code}")
    return RunClient(body["client_id"], body["secret"], TokenSource(client, body["client_id"], body["secret"]))


@pytest.fixture(scope="session")
def new_oauth_client(client: TargetClient, admin: TokenSource, tracker: ResourceTracker,
                     mime_phase: str) -> Callable[..., RunClient]:
    """``new_oauth_client(["TENANT_ADMIN"], ttl_minutes=1)``: a fresh run-prefixed client."""

    def make(rule_sets: list[str], ttl_minutes: int = 60) -> RunClient:
        return create_oauth_client(client, admin, tracker, mime_phase, rule_sets, ttl_minutes)

    return make


@pytest.fixture(scope="session")
def rule_set_tokens(new_oauth_client: Callable[..., RunClient]) -> dict[str, RunClient]:
    """One client per rule set of the access-policy table, each holding only that rule set."""
    return {rule_set: new_oauth_client([rule_set]) for rule_set in access_policy().rule_sets}
