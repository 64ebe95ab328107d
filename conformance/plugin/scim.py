"""SCIM fixtures and the profile switch.

Profile ``omnissa``: SCIM runs at ``<target>/usergroup/scim/v2`` with a sync-client token of a run-prefixed
PROVISIONED directory created for the session. Profile ``generic-scim``: SCIM runs at ``--scim-base`` with
``--bearer-token``, and every test not marked ``scim_generic`` (Omnissa behaviour: directories, domains, legacy
Access, sync tokens, client quirks the RFCs do not demand) is skipped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from conformance.checks.scim import status_is
from conformance.housekeeping.tracking import ResourceTracker
from conformance.plugin.options import option_value
from conformance.target.auth import TokenSource
from conformance.target.client import TargetClient
from conformance.target.config import TargetConfig
from conformance.target.scim_client import DirectoryAdmin, ScimClient, unique_label

GENERIC_MARKER = "scim_generic"
GENERIC_PROFILE = "generic-scim"
OMNISSA_ONLY_REASON = "omnissa profile only"
IDS_SCIM_PATH = "/usergroup/scim/v2"
GENERIC_DOMAIN = "example.test"
LEGACY_TOKEN_PATH = "/SAAS/auth/oauthtoken"
LEGACY_DIRECTORIES = "/SAAS/jersey/manager/api/connectormanagement/directoryconfigs"
OTHER_DIRECTORY_TYPE = "application/vnd.vmware.horizon.manager.connector.management.directory.other+json"
FEATURE_NAMES = {"patch": "PATCH", "etag": "ETag", "sort": "sorting", "filter": "filtering", "bulk": "bulk"}


def pytest_configure(config: pytest.Config) -> None:
    """Declare the ``scim_generic`` marker."""
    config.addinivalue_line("markers", f"{GENERIC_MARKER}: an RFC 7643/7644 test that also runs under "
                                       f"--profile {GENERIC_PROFILE} (every other target test is skipped there)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under the generic-scim profile, skip every target test that is not SCIM-generic."""
    if option_value(config, "--profile") != GENERIC_PROFILE:
        return
    skip = pytest.mark.skip(reason=OMNISSA_ONLY_REASON)
    for item in items:
        if "target" in getattr(item, "fixturenames", ()) and item.get_closest_marker(GENERIC_MARKER) is None:
            item.add_marker(skip)


@dataclass(frozen=True)
class ScimNames:
    """Run-prefixed, collision-free names for the SCIM resources a test creates."""

    prefix: str
    domain: str

    def label(self, kind: str) -> str:
        """A bare label, e.g. ``ctk-1a2b3c4d-flt-9f8e7d`` (also a userName prefix for ``sw`` filters)."""
        return unique_label(self.prefix, kind)

    def user(self, kind: str = "user", label: str | None = None) -> str:
        """A userName in the session's domain."""
        return f"{label or self.label(kind)}@{self.domain}"


def _worker_tag() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"{worker}-" if worker else ""


def _generic(target: TargetConfig) -> bool:
    return target.profile == GENERIC_PROFILE


@pytest.fixture(scope="session")
def scim_base(target: TargetConfig) -> str:
    """The SCIM service root: ``<target>/usergroup/scim/v2``, or ``--scim-base`` under generic-scim."""
    if not _generic(target):
        return target.base_url + IDS_SCIM_PATH
    if not target.scim_base:
        pytest.skip(f"--scim-base is required by --profile {GENERIC_PROFILE}")
    return target.scim_base.rstrip("/")


@pytest.fixture(scope="session")
def directory_admin(client: TargetClient, admin: TokenSource, tracker: ResourceTracker) -> DirectoryAdmin:
    """Creates IDS directories and sync-client credentials as the admin client (omnissa profile)."""
    return DirectoryAdmin(client, admin, tracker)


@pytest.fixture(scope="session")
def scim_directory(target: TargetConfig, directory_admin: DirectoryAdmin) -> dict[str, Any]:
    """The session's PROVISIONED directory: run-prefixed name, one run-prefixed domain."""
    tag = target.resource_prefix + _worker_tag()
    response = directory_admin.create(f"{tag}scim", [f"{tag}example.test"])
    if response.status_code != 201:
        pytest.fail(f"setup: creating the SCIM directory answered {response.status_code}: {response.text[:300]}")
    return dict(response.json())


@pytest.fixture(scope="session")
def scim_domain(target: TargetConfig, request: pytest.FixtureRequest) -> str:
    """The domain after '@' in the session's userNames."""
    if _generic(target):
        return GENERIC_DOMAIN
    return str(request.getfixturevalue("scim_directory")["domains"][0])


@pytest.fixture(scope="session")
def scim_token(target: TargetConfig, request: pytest.FixtureRequest) -> str:
    """A sync-client token of the session's directory, or ``--bearer-token`` under generic-scim."""
    if _generic(target):
        if not target.bearer_token:
            pytest.skip(f"--profile {GENERIC_PROFILE} needs a bearer token (env CONFORMANCE_BEARER_TOKEN)")
        return target.bearer_token
    directory = request.getfixturevalue("scim_directory")
    response = request.getfixturevalue("directory_admin").generate_credentials(directory["id"])
    if response.status_code != 200 or not response.json().get("access_token"):
        pytest.fail(f"setup: generating the sync-client token answered {response.status_code}")
    return str(response.json()["access_token"])


@pytest.fixture(scope="session")
def scim_tracker(target: TargetConfig, client: TargetClient, scim_token: str,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[ResourceTracker]:
    """Registers the SCIM resources of the session and deletes them at the end with the SCIM token."""
    ledger = tmp_path_factory.getbasetemp() / f"ctk-{target.run_id}-{_worker_tag()}scim-ledger.jsonl"
    resources = ResourceTracker(target.resource_prefix, ledger, target=target.base_url)
    yield resources
    leftovers = resources.cleanup(client, scim_token) if resources.pending_count else []
    if leftovers:
        pytest.fail(f"could not remove {len(leftovers)} SCIM resources created by this run: "
                    + ", ".join(r.delete_path for r in leftovers), pytrace=False)


@pytest.fixture(scope="session")
def scim(client: TargetClient, scim_base: str, scim_token: str, scim_tracker: ResourceTracker) -> ScimClient:
    """The SCIM client of the session."""
    return ScimClient(client, scim_base, scim_token, scim_tracker)


@pytest.fixture(scope="session")
def scim_names(target: TargetConfig, scim_domain: str) -> ScimNames:
    """Names for the resources tests create (``scim_names.user("okta")``)."""
    return ScimNames(target.resource_prefix + _worker_tag(), scim_domain)


@pytest.fixture(scope="session")
def service_provider_config(scim: ScimClient) -> dict[str, Any]:
    """GET /ServiceProviderConfig (``{}`` when it cannot be read; SCIM-027 judges the endpoint itself)."""
    response = scim.get("/ServiceProviderConfig")
    try:
        body = response.json() if response.status_code == 200 else {}
    except ValueError:
        body = {}
    return body if isinstance(body, dict) else {}


@pytest.fixture
def scim_supports(service_provider_config: dict[str, Any]) -> Callable[[str], None]:
    """``scim_supports("patch")`` skips the test unless the ServiceProviderConfig claims the feature."""

    def need(feature: str) -> None:
        if not (service_provider_config.get(feature) or {}).get("supported"):
            name = FEATURE_NAMES.get(feature, feature)
            pytest.skip(f"server does not claim {name} support (ServiceProviderConfig.{feature}.supported=false)")

    return need


@pytest.fixture
def new_directory(target: TargetConfig, directory_admin: DirectoryAdmin) -> Callable[..., dict[str, Any]]:
    """``new_directory(directory_type="PROVISIONED")``: a fresh run-prefixed directory with its own domain."""

    def make(directory_type: str = "PROVISIONED") -> dict[str, Any]:
        label = unique_label(target.resource_prefix, "dir")
        response = directory_admin.create(label, [f"{label}.example.test"], directory_type)
        status_is("DIR-001", response, 201)
        return dict(response.json())

    return make


@pytest.fixture(scope="session")
def legacy_token(target: TargetConfig, client: TargetClient, admin: TokenSource) -> str:
    """An ``admin``-scoped token of the admin client from the legacy /SAAS/auth/oauthtoken endpoint."""
    basic = httpx.BasicAuth(target.client_id or "", target.client_secret or "")  # admin skipped when unset
    response = client.post(LEGACY_TOKEN_PATH, params={"grant_type": "client_credentials", "scope": "admin"},
                           auth=basic)
    if response.status_code != 200:
        pytest.fail(f"setup: {LEGACY_TOKEN_PATH} answered {response.status_code}")
    token = str(response.json()["access_token"])
    client.redactor.register(token)
    return token


@pytest.fixture(scope="module")
def legacy_directory(target: TargetConfig, client: TargetClient, legacy_token: str,
                     tracker: ResourceTracker) -> dict[str, Any]:
    """A directory of type Other created the seed 003 way, with one run-prefixed domain."""
    label = unique_label(target.resource_prefix + _worker_tag(), "legacy")
    body = {"type": "OTHER_DIRECTORY", "domains": [f"{label}.test"], "name": label}
    response = client.post(LEGACY_DIRECTORIES, token=legacy_token, content=json.dumps(body),
                           headers={"Content-Type": OTHER_DIRECTORY_TYPE, "Accept": "application/json"})
    status_is("LEGACY-008", response, 201)
    created = dict(response.json())
    tracker.add("legacy-directory", f"{LEGACY_DIRECTORIES}/{created['directoryId']}?asyncDelete=true")
    return {**created, "domains": created.get("domains") or body["domains"]}
