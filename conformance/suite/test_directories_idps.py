"""Identity providers (/federation/broker/identity-providers): create, defaults, conflicts, rename, delete."""

from __future__ import annotations

import json

import pytest

from conformance.checks import scim as check
from conformance.checks.core import require
from conformance.checks.legacy import admin_envelope
from conformance.target.scim_client import JSON_HEADERS, unique_label

IDPS = "/federation/broker/identity-providers"
OIDC_SECRET = "ctk-oidc-client-secret-never-returned"


def oidc_idp(name, directory_id):
    """An OIDC IdP body without auth_type_list (the service defaults it)."""
    return {"idp_name": name, "idp_type": "OIDC", "idp_source_type": "OKTA", "directory_list": [{"id": directory_id}],
            "oidc_profile": {"client_id": "ctk-oidc-client", "client_secret": OIDC_SECRET,
                             "configuration_url": "https://idp.example.test/.well-known/openid-configuration"}}


def create(client, admin, tracker, body):
    """POST the IdP, registering any success for cleanup."""
    client.redactor.register(OIDC_SECRET)
    response = client.post(IDPS, token=admin.token(), json=body, headers=JSON_HEADERS)
    if response.is_success:
        tracker.add("identity-provider", f"{IDPS}/{response.json().get('id')}")
    return response


@pytest.fixture
def idp(client, admin, tracker, target, new_directory):
    """A fresh OIDC IdP of a fresh directory, as created."""
    response = create(client, admin, tracker, oidc_idp(unique_label(target.resource_prefix, "idp"),
                                                       new_directory()["id"]))
    check.status_is("IDP-001", response, 201)
    return check.json_object("IDP-001", response)


@pytest.mark.requirement("IDP-001")
def test_create_answers_201_without_the_secret(client, admin, idp):
    """POST answers 201 with the IdP; neither it nor GET ever shows the OIDC client_secret."""
    fetched = client.get(f"{IDPS}/{idp['id']}", token=admin.token(), headers=JSON_HEADERS)
    check.status_is("IDP-001", fetched, 200)
    for representation in (idp, check.json_object("IDP-001", fetched)):
        require("IDP-001", OIDC_SECRET not in json.dumps(representation), "the OIDC client_secret was returned")
        require("IDP-001", "client_secret" not in (representation.get("oidc_profile") or {}),
                "oidc_profile carries client_secret", fetched)


@pytest.mark.requirement("IDP-002")
def test_auth_type_list_is_defaulted(idp):
    """An IdP created without auth_type_list comes back with at least one auth type (name and id)."""
    auth_types = idp.get("auth_type_list") or []
    require("IDP-002", len(auth_types) >= 1, "auth_type_list was not defaulted")
    require("IDP-002", all(item.get("auth_method_name") and item.get("id") for item in auth_types),
            f"defaulted auth types lack auth_method_name or id: {auth_types!r}")


@pytest.mark.requirement("IDP-003")
def test_duplicate_name_is_409(client, admin, tracker, idp):
    """A second IdP with the same idp_name answers 409 in the admin envelope."""
    response = create(client, admin, tracker, oidc_idp(idp["idp_name"], idp["directory_list"][0]["id"]))
    admin_envelope("IDP-003", response, 409)


@pytest.mark.requirement("IDP-004")
def test_rename_shows_in_the_list(client, admin, idp):
    """PATCH idp_name answers 200; the list shows the new name, the type and the directory ids."""
    renamed = idp["idp_name"] + "-renamed"
    response = client.patch(f"{IDPS}/{idp['id']}", token=admin.token(), json={"idp_name": renamed},
                            headers=JSON_HEADERS)
    check.status_is("IDP-004", response, 200)
    listing = client.get(IDPS, token=admin.token(), headers=JSON_HEADERS)
    items = {item.get("id"): item for item in check.json_object("IDP-004", listing).get("items") or []}
    entry = items.get(idp["id"]) or {}
    require("IDP-004", (renamed, "OIDC") == (entry.get("idp_name"), entry.get("idp_type")),
            f"list entry is {entry!r}", listing)
    require("IDP-004", [idp["directory_list"][0]["id"]] == entry.get("directory_ids"),
            f"directory_ids are {entry.get('directory_ids')!r}", listing)


@pytest.mark.requirement("IDP-005")
def test_delete_answers_204_then_404(client, admin, tracker, idp):
    """DELETE answers 204; GET then answers 404 in the admin envelope."""
    path = f"{IDPS}/{idp['id']}"
    check.status_is("IDP-005", client.delete(path, token=admin.token(), headers=JSON_HEADERS), 204)
    tracker.forget(path)
    admin_envelope("IDP-005", client.get(path, token=admin.token(), headers=JSON_HEADERS), 404)
