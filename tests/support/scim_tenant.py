"""Shared helpers of the SCIM unit tests (a tenant with directories and sync tokens), plus the discovery tests.

Other ``test_scim_*`` modules import ``Tenant`` and the constants from here.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from tests.support.core_app import bearer, make_client, sign

SCIM = "/usergroup/scim/v2"
DIRECTORIES = "/usergroup/broker/directories"
USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH_URN = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"
SCIM_JSON = "application/scim+json"


def ops(*operations: dict[str, Any]) -> dict[str, Any]:
    """A PatchOp message."""
    return {"schemas": [PATCH_URN], "Operations": list(operations)}


@dataclass
class Scim:
    """SCIM calls with one token; ``domain`` is the domain of its directory (admin: the first directory's)."""

    client: TestClient
    headers: dict[str, str]
    domain: str
    directory_id: str | None = None
    made: list[str] = field(default_factory=list)

    def call(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
             params: dict[str, Any] | None = None) -> httpx.Response:
        """One exchange; ``path`` is relative to the SCIM root."""
        return self.client.request(method, SCIM + path, json=body, params=params,
                                   headers={**self.headers, **(headers or {})})

    def name(self, label: str = "user") -> str:
        """A fresh userName in the token's domain."""
        return f"{label}-{secrets.token_hex(3)}@{self.domain}"

    def user(self, user_name: str | None = None, **attributes: Any) -> dict[str, Any]:
        """POST a User (asserted 201) and return it."""
        body = {"schemas": [USER_URN], "userName": user_name or self.name(), **attributes}
        response = self.call("POST", "/Users", body)
        assert 201 == response.status_code, response.text
        return dict(response.json())

    def group(self, display_name: str | None = None, members: list[str] = (), **attributes: Any) -> dict[str, Any]:
        """POST a Group with the given member ids (asserted 201) and return it."""
        body = {"schemas": [GROUP_URN], "displayName": display_name or f"group-{secrets.token_hex(3)}",
                "members": [{"value": member} for member in members], **attributes}
        response = self.call("POST", "/Groups", body)
        assert 201 == response.status_code, response.text
        return dict(response.json())

    def patch(self, path: str, *operations: dict[str, Any], headers: dict[str, str] | None = None) -> httpx.Response:
        """PATCH ``path`` with the operations."""
        return self.call("PATCH", path, ops(*operations), headers)

    def list(self, path: str = "/Users", **params: Any) -> dict[str, Any]:
        """GET a list (asserted 200) and return the ListResponse."""
        response = self.call("GET", path, params=params)
        assert 200 == response.status_code, response.text
        return dict(response.json())


class Tenant:
    """An emulator with helpers to create directories and their sync tokens."""

    def __init__(self, *faults: str) -> None:
        self.client = make_client(faults=faults)
        self.admin_headers = {**bearer(sign(self.client)), "Accept": "application/json"}

    def directory(self, directory_type: str = "PROVISIONED") -> dict[str, Any]:
        """A new directory with one domain."""
        name = "dir-" + secrets.token_hex(4)
        body = {"name": name, "domains": [f"{name}.test"], "type": directory_type}
        response = self.client.post(DIRECTORIES, json=body, headers=self.admin_headers)
        assert 201 == response.status_code, response.text
        return dict(response.json())

    def sync(self, directory: dict[str, Any] | None = None) -> Scim:
        """A SCIM client holding the sync token of ``directory`` (a new PROVISIONED one by default)."""
        directory = directory or self.directory()
        response = self.client.post(f"{DIRECTORIES}/{directory['id']}/sync-client",
                                    params={"action": "generate_credentials"},
                                    json={"generate_token": True, "token_ttl": 60}, headers=self.admin_headers)
        assert 200 == response.status_code, response.text
        headers = {**bearer(response.json()["access_token"]), "Accept": SCIM_JSON}
        return Scim(self.client, headers, directory["domains"][0], directory["id"])

    def admin(self, domain: str = "nowhere.test") -> Scim:
        """A SCIM client holding the bootstrap admin token."""
        return Scim(self.client, {**bearer(sign(self.client)), "Accept": SCIM_JSON}, domain)


@pytest.fixture(scope="module")
def tenant() -> Tenant:
    """One emulator for the discovery tests."""
    return Tenant()


@pytest.fixture(scope="module")
def scim(tenant: Tenant) -> Scim:
    """A sync-token SCIM client."""
    return tenant.sync()


def test_service_provider_config_announces_what_is_served(scim):
    """RFC 7643 §5: patch, filter (maxResults 1000), sort, etag supported; bulk and changePassword not."""
    body = scim.call("GET", "/ServiceProviderConfig").json()
    flags = {feature: body[feature]["supported"] for feature in ("patch", "bulk", "filter", "changePassword",
                                                                 "sort", "etag")}
    assert {"patch": True, "bulk": False, "filter": True, "changePassword": False, "sort": True,
            "etag": True} == flags
    assert (1000, "oauthbearertoken") == (body["filter"]["maxResults"], body["authenticationSchemes"][0]["type"])


def test_resource_types_and_their_ids(scim):
    """/ResourceTypes lists User (with the enterprise extension) and Group; /ResourceTypes/{id} answers each."""
    listed = scim.call("GET", "/ResourceTypes").json()
    endpoints = {item["id"]: item["endpoint"] for item in listed["Resources"]}
    assert {"User": "/Users", "Group": "/Groups"} == endpoints
    assert [200, 200, 404] == [scim.call("GET", f"/ResourceTypes/{name}").status_code
                               for name in ("User", "Group", "Pet")]


def test_schemas_declare_the_rules_the_service_applies(scim):
    """/Schemas/{urn}: userName is caseExact false and unique, password never returned, Group displayName unique."""
    user = scim.call("GET", f"/Schemas/{USER_URN}").json()
    group = scim.call("GET", f"/Schemas/{GROUP_URN}").json()
    attributes = {a["name"]: a for a in user["attributes"]}
    assert (False, "server", "never") == (attributes["userName"]["caseExact"], attributes["userName"]["uniqueness"],
                                          attributes["password"]["returned"])
    assert "server" == next(a["uniqueness"] for a in group["attributes"] if a["name"] == "displayName")
    assert 3 == scim.call("GET", "/Schemas").json()["totalResults"]
    assert 404 == scim.call("GET", "/Schemas/urn:example:nothing").status_code


def test_me_is_404_for_client_tokens(tenant, scim):
    """RFC 7644 §3.11 /Me aliases the User the token stands for; sync and admin tokens stand for none: 404."""
    for client in (scim, tenant.admin()):
        response = client.call("GET", "/Me")
        assert (404, "404", ERROR_URN) == (response.status_code, response.json()["status"],
                                           response.json()["schemas"][0])


def test_discovery_is_read_only(scim):
    """Writing to a discovery endpoint is 405 in the SCIM error dialect."""
    response = scim.call("PUT", "/ServiceProviderConfig", {})
    assert (405, SCIM_JSON) == (response.status_code, response.headers["content-type"])
