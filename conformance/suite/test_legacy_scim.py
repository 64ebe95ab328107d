"""Legacy Access SCIM 1.1 users: seed 004's provisioned-user flow and seed 003's three error cases."""

from __future__ import annotations

import copy
import json
import uuid

import pytest

from conformance.checks import scim as check
from conformance.checks.core import require
from conformance.checks.legacy import admin_envelope, legacy_page, message_mentions
from conformance.target.scim_client import unique_label

USERS = "/SAAS/jersey/manager/api/scim/Users"
DIRECTORIES = "/SAAS/jersey/manager/api/connectormanagement/directoryconfigs"
JIT_TYPE = "application/vnd.vmware.horizon.manager.connector.management.directory.jit+json"
WORKSPACE = "urn:scim:schemas:extension:workspace:1.0"
JSON = {"Content-Type": "application/json", "Accept": "application/json"}
# seed 004: "userName, name.givenName, name.familyName, emails (...), internalUserType, domain and externalId"
REQUIRED = {
    "userName": ("userName",), "givenName": ("name", "givenName"), "familyName": ("name", "familyName"),
    "emails": ("emails",), "internalUserType": (WORKSPACE, "internalUserType"), "domain": (WORKSPACE, "domain"),
    "externalId": ("externalId",)}


def provisioned_user(user_name, domain):
    """Seed 004's request body for a PROVISIONED user of the directory owning ``domain``."""
    return {"schemas": ["urn:scim:schemas:core:1.0", WORKSPACE], "userName": user_name,
            "name": {"givenName": "firstName", "familyName": "lastName"}, "displayName": "firstName lastName",
            "emails": [{"value": f"{user_name}@{domain}"}], "externalId": str(uuid.uuid4()),
            WORKSPACE: {"internalUserType": "PROVISIONED", "domain": domain}}


def post_user(client, tracker, token, body):
    """POST a legacy user, registering any success for cleanup."""
    response = client.post(USERS, token=token, content=json.dumps(body), headers=JSON)
    if response.is_success and isinstance(response.json(), dict) and response.json().get("id"):
        tracker.add("legacy-user", f"{USERS}/{response.json()['id']}")
    return response


@pytest.fixture
def new_user(client, tracker, target, legacy_token, legacy_directory):
    """``new_user(label=None)``: create a provisioned user (judged as LEGACY-004) and return the response."""

    def make(label=None):
        body = provisioned_user(label or unique_label(target.resource_prefix, "lu"), legacy_directory["domains"][0])
        response = post_user(client, tracker, legacy_token, body)
        check.status_is("LEGACY-004", response, 201)
        return response

    return make


@pytest.mark.requirement("LEGACY-004", "LEGACY-014")
def test_create_provisioned_user(new_user, legacy_directory):
    """Seed 004's body answers 201 with the user (id, internalUserType PROVISIONED, domain) and a Location."""
    response = new_user()
    body = check.json_object("LEGACY-004", response)
    workspace = body.get(WORKSPACE) or {}
    require("LEGACY-004", bool(body.get("id")), "no id", response)
    got = (workspace.get("internalUserType"), workspace.get("domain"))
    expected = ("PROVISIONED", legacy_directory["domains"][0])
    require("LEGACY-004", expected == got, f"workspace extension {workspace!r}", response)
    require("LEGACY-014", str(response.headers.get("location", "")).endswith(f"{USERS}/{body.get('id')}"),
            f"Location is {response.headers.get('location')!r}", response)


@pytest.mark.requirement("LEGACY-005", "LEGACY-011", "LEGACY-013")
@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_each_required_attribute(client, tracker, target, legacy_token, legacy_directory, missing):
    """Without any one required attribute the user is refused: 400, envelope naming the attribute as missing."""
    body = provisioned_user(unique_label(target.resource_prefix, "lu"), legacy_directory["domains"][0])
    *parents, leaf = REQUIRED[missing]
    holder = body
    for key in parents:
        holder = holder[key]
    del holder[leaf]
    response = post_user(client, tracker, legacy_token, body)
    admin_envelope("LEGACY-005", response, 400)
    message_mentions("LEGACY-011", response, 400, "are missing")
    message_mentions("LEGACY-011", response, 400, missing)


@pytest.mark.requirement("LEGACY-005")
def test_two_emails_are_refused(client, tracker, target, legacy_token, legacy_directory):
    """emails must contain "one and only one email address": two answer 400."""
    body = provisioned_user(unique_label(target.resource_prefix, "lu"), legacy_directory["domains"][0])
    body = copy.deepcopy(body) | {"emails": body["emails"] + [{"value": "second@mail.example.test"}]}
    admin_envelope("LEGACY-005", post_user(client, tracker, legacy_token, body), 400)


@pytest.mark.requirement("LEGACY-006")
def test_filter_by_external_id_finds_the_user(client, legacy_token, new_user):
    """``filter=externalId eq "<id>"`` returns exactly the created user."""
    created = new_user().json()
    response = client.get(USERS, token=legacy_token, params={"filter": f'externalId eq "{created["externalId"]}"'})
    found = [item.get("id") for item in legacy_page(response)["Resources"]]
    require("LEGACY-006", [created["id"]] == found, f"externalId filter found {found}", response)


@pytest.mark.requirement("LEGACY-007", "LEGACY-013")
def test_delete_answers_204_then_404(client, tracker, legacy_token, new_user):
    """DELETE answers 204; GET then answers 404 in the admin envelope."""
    path = f"{USERS}/{new_user().json()['id']}"
    check.status_is("LEGACY-007", client.delete(path, token=legacy_token), 204)
    tracker.forget(path)
    admin_envelope("LEGACY-007", client.get(path, token=legacy_token), 404)


@pytest.mark.requirement("LEGACY-009")
def test_jit_directory_refuses_users(client, tracker, target, legacy_token):
    """A user in a JIT directory's domain: "User creation is not supported for specified directory id." """
    label = unique_label(target.resource_prefix, "legacy-jit")
    body = {"name": label, "domains": [f"{label}.test"]}
    jit = client.post(DIRECTORIES, token=legacy_token, content=json.dumps(body),
                      headers={"Content-Type": JIT_TYPE, "Accept": "application/json"})
    check.status_is("LEGACY-009", jit, 201)
    tracker.add("legacy-directory", f"{DIRECTORIES}/{jit.json()['directoryId']}?asyncDelete=true")
    response = post_user(client, tracker, legacy_token, provisioned_user(label, f"{label}.test"))
    message_mentions("LEGACY-009", response, 400, "User creation is not supported for specified directory id.")


@pytest.mark.requirement("LEGACY-010")
def test_domain_of_no_directory_is_refused(client, tracker, target, legacy_token):
    """A domain no directory owns: "User domain name specified for the user resource doesn't belong to the
    directory." """
    label = unique_label(target.resource_prefix, "lu")
    response = post_user(client, tracker, legacy_token, provisioned_user(label, f"{label}.nowhere.test"))
    message_mentions("LEGACY-010", response, 400, "doesn't belong to the directory")


@pytest.mark.requirement("LEGACY-012")
def test_paging_with_start_index_and_count(client, target, legacy_token, new_user):
    """Paging ``userName sw`` results two at a time (startIndex += itemsPerPage) visits the 5 users once each."""
    label = unique_label(target.resource_prefix, "lp")
    ids = sorted(new_user(f"{label}-{n}").json()["id"] for n in range(5))
    seen, start = [], 1
    while start <= len(ids):
        params = {"filter": f'userName sw "{label}"', "startIndex": start, "count": 2}
        body = legacy_page(client.get(USERS, token=legacy_token, params=params))
        require("LEGACY-012", len(ids) == body["totalResults"], f"totalResults {body['totalResults']!r}")
        require("LEGACY-012", body["itemsPerPage"] > 0, "itemsPerPage 0 before the end of the results")
        seen += [item.get("id") for item in body["Resources"]]
        start += body["itemsPerPage"]
    require("LEGACY-012", ids == sorted(seen), f"pages returned {sorted(seen)}, expected {ids}")
