"""Directories (/usergroup/broker/directories): create, read, list, patch, conflicts, delete."""

from __future__ import annotations

import uuid

import pytest

from conformance.checks import scim as check
from conformance.checks.core import require
from conformance.checks.legacy import admin_envelope
from conformance.target.scim_client import DIRECTORIES, JSON_HEADERS, unique_label, user_body


@pytest.fixture
def directory(new_directory):
    """A fresh PROVISIONED directory."""
    return new_directory()


def read(client, admin, directory_id, requirement_id="DIR-001", status=200):
    """GET the directory, judged as ``requirement_id``."""
    response = client.get(f"{DIRECTORIES}/{directory_id}", token=admin.token(), headers=JSON_HEADERS)
    check.status_is(requirement_id, response, status)
    return response


@pytest.mark.requirement("DIR-001")
def test_create_answers_201_and_reads_back(client, admin, tracker, target):
    """POST answers 201 with id, name, domains and type; GET returns the same directory."""
    name = unique_label(target.resource_prefix, "dir")
    body = {"name": name, "domains": [f"{name}.example.test"], "type": "PROVISIONED", "source": "OKTA"}
    response = client.post(DIRECTORIES, token=admin.token(), json=body, headers=JSON_HEADERS)
    created = check.json_object("DIR-001", response)
    check.status_is("DIR-001", response, 201)
    tracker.add("directory", f"{DIRECTORIES}/{created.get('id')}")
    fetched = read(client, admin, created.get("id")).json()
    for field in ("name", "domains", "type", "source"):
        require("DIR-001", body[field] == created.get(field) == fetched.get(field),
                f"{field}: sent {body[field]!r}, created {created.get(field)!r}, read {fetched.get(field)!r}", response)


@pytest.mark.requirement("DIR-002")
def test_list_contains_it_without_default_domain(client, admin, directory):
    """GET /directories lists the directory, and no item carries default_domain."""
    patch = {"default_domain": directory["domains"][0]}
    check.status_is("DIR-003", client.patch(f"{DIRECTORIES}/{directory['id']}", token=admin.token(), json=patch,
                                            headers=JSON_HEADERS), 200)
    response = client.get(DIRECTORIES, token=admin.token(), headers=JSON_HEADERS)
    check.status_is("DIR-002", response, 200)
    items = check.json_object("DIR-002", response).get("items") or []
    require("DIR-002", directory["id"] in [item.get("id") for item in items], "the directory is not listed", response)
    leaking = [item.get("id") for item in items if "default_domain" in item]
    require("DIR-002", [] == leaking, f"list items carry default_domain: {leaking}", response)


@pytest.mark.requirement("DIR-003")
def test_patch_replaces_fields_and_arrays_wholesale(client, admin, directory):
    """PATCH with a new name and a one-element domains list replaces both; the old domain is gone."""
    new_name = directory["name"] + "-renamed"
    new_domains = [directory["domains"][0].replace(".example.test", ".renamed.test")]
    response = client.patch(f"{DIRECTORIES}/{directory['id']}", token=admin.token(),
                            json={"name": new_name, "domains": new_domains}, headers=JSON_HEADERS)
    check.status_is("DIR-003", response, 200)
    fetched = read(client, admin, directory["id"], "DIR-003").json()
    require("DIR-003", (new_name, new_domains) == (fetched.get("name"), fetched.get("domains")),
            f"after PATCH name/domains are {fetched.get('name')!r}/{fetched.get('domains')!r}", response)


@pytest.mark.requirement("DIR-004")
@pytest.mark.parametrize("clash", ["name", "domain"])
def test_duplicate_name_or_domain_is_409(client, admin, tracker, directory, target, clash):
    """A second directory reusing the name, or one of the domains, answers 409 in the admin envelope."""
    other = unique_label(target.resource_prefix, "dir")
    body = {"name": directory["name"] if clash == "name" else other, "type": "PROVISIONED",
            "domains": directory["domains"] if clash == "domain" else [f"{other}.example.test"]}
    response = client.post(DIRECTORIES, token=admin.token(), json=body, headers=JSON_HEADERS)
    if response.is_success:
        tracker.add("directory", f"{DIRECTORIES}/{response.json().get('id')}")
    admin_envelope("DIR-004", response, 409)


@pytest.mark.requirement("DIR-005")
def test_delete_answers_202_then_the_directory_is_going(client, admin, tracker, directory):
    """DELETE answers 202 with no body; the directory then reads 404 (or 200 with delete_in_progress true)."""
    path = f"{DIRECTORIES}/{directory['id']}"
    response = client.delete(path, token=admin.token(), headers=JSON_HEADERS)
    check.status_is("DIR-005", response, 202)
    require("DIR-005", b"" == response.content, "a 202 delete must not return a body", response)
    tracker.forget(path)
    after = client.get(path, token=admin.token(), headers=JSON_HEADERS)
    going = after.status_code == 404 or (after.status_code == 200 and after.json().get("delete_in_progress") is True)
    require("DIR-005", going, f"after delete the directory answers {after.status_code}", after)


@pytest.mark.requirement("DIR-006")
def test_delete_removes_the_directory_users(client, admin, scim, target, directory, directory_admin):
    """A User provisioned into a directory is gone (SCIM 404) once the directory is deleted."""
    token = directory_admin.generate_credentials(directory["id"]).json()["access_token"]
    user_name = f"{unique_label(target.resource_prefix, 'gone')}@{directory['domains'][0]}"
    created = check.created(scim.create("/Users", user_body(user_name), token=token))
    check.status_is("DIR-005", client.delete(f"{DIRECTORIES}/{directory['id']}", token=admin.token()), 202)
    check.scim_error("DIR-006", scim.request("GET", f"/Users/{created['id']}", token=admin.token()), 404)


@pytest.mark.requirement("DIR-013")
def test_unknown_directory_is_404(client, admin):
    """GET of a directory id that never existed answers 404 in the admin envelope."""
    response = client.get(f"{DIRECTORIES}/{uuid.uuid4()}", token=admin.token(), headers=JSON_HEADERS)
    admin_envelope("DIR-013", response, 404)


@pytest.mark.requirement("DIR-014")
@pytest.mark.parametrize("body", [{"domains": ["no-name.test"]}, {"name": "ctk-bad type", "type": "WEIRD"},
                                  {"name": "bad/name!", "domains": []}], ids=["no-name", "bad-type", "bad-name"])
def test_invalid_definition_is_400(client, admin, tracker, body):
    """A directory without a name, with an unknown type or with forbidden name characters answers 400."""
    response = client.post(DIRECTORIES, token=admin.token(), json=body, headers=JSON_HEADERS)
    if response.is_success:
        tracker.add("directory", f"{DIRECTORIES}/{response.json().get('id')}")
    admin_envelope("DIR-014", response, 400)
