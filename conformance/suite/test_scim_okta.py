"""The Okta SCIM 2.0 client's provisioning cycle, replayed (seed 003 Supported Features; Okta SCIM reference).

Okta creates users, looks them up with ``userName eq``, updates profiles with a full PUT, deactivates with a
path-less ``replace {"active": false}``, pushes groups and adds/removes members. All of it is RFC-valid, so it
also runs under the generic-scim profile, except Okta's rename body that repeats the read-only ``id``.
"""

from __future__ import annotations

import pytest

from conformance.checks import scim as check
from conformance.checks.core import require
from conformance.target.scim_client import USER_SCHEMA

OKTA_HEADERS = {"User-Agent": "Okta SCIM Client 1.0.0"}


def okta_user(user_name):
    """The body Okta POSTs for a new assignment (Okta SCIM 2.0 reference, "Create the user")."""
    local = user_name.split("@")[0]
    return {"schemas": [USER_SCHEMA], "userName": user_name, "name": {"givenName": "Okta", "familyName": local},
            "emails": [{"primary": True, "value": user_name, "type": "work"}], "displayName": f"Okta {local}",
            "locale": "en-US", "externalId": f"00u{local[-6:]}", "groups": [], "password": "1mJ!tmd9hL#2",
            "active": True}


@pytest.fixture
def okta_created(scim, scim_names):
    """A User created the way Okta creates one."""
    return check.created(scim.create("/Users", okta_user(scim_names.user("okta"))), "SCIM-033")


@pytest.mark.scim_generic
@pytest.mark.requirement("SCIM-033", "SCIM-001", "SCIM-011")
def test_okta_create_then_find_by_user_name(scim, okta_created, scim_supports):
    """Okta's existence check ``userName eq`` (startIndex=1&count=100) finds the User it created."""
    scim_supports("filter")
    response = scim.get("/Users", filter=f'userName eq "{okta_created["userName"]}"', startIndex=1, count=100)
    resources = check.listed(response, "SCIM-033")["Resources"]
    require("SCIM-033", [okta_created["id"]] == [r.get("id") for r in resources], "lookup missed the User", response)
    found = resources[0]
    for field in ("userName", "active"):
        require("SCIM-033", okta_created[field] == found.get(field), f"{field} differs in the lookup", response)
    require("SCIM-033", bool((found.get("emails") or [{}])[0].get("value")), "emails[0].value missing", response)


@pytest.mark.scim_generic
@pytest.mark.requirement("SCIM-033", "SCIM-005")
def test_okta_profile_update_is_a_full_put(scim, okta_created):
    """Okta reads the User, changes givenName and PUTs the whole object back; GET shows the change."""
    current = check.resource("SCIM-033", scim.get(f"/Users/{okta_created['id']}"))
    current = {key: value for key, value in current.items() if key not in ("meta", "groups")}
    current["name"] = {**current.get("name", {}), "givenName": "Updated"}
    check.resource("SCIM-005", scim.put(f"/Users/{okta_created['id']}", current, headers=OKTA_HEADERS))
    after = check.resource("SCIM-033", scim.get(f"/Users/{okta_created['id']}"))
    require("SCIM-033", "Updated" == (after.get("name") or {}).get("givenName"), f"name is {after.get('name')!r}")


@pytest.mark.scim_generic
@pytest.mark.requirement("SCIM-033", "SCIM-019")
def test_okta_deactivate_and_reactivate(scim, okta_created, scim_supports):
    """``replace`` without path and value ``{"active": false}`` deactivates; ``true`` reactivates."""
    scim_supports("patch")
    path = f"/Users/{okta_created['id']}"
    for active in (False, True):
        check.patched(scim.patch(path, {"op": "replace", "value": {"active": active}}, headers=OKTA_HEADERS),
                      "SCIM-033")
        after = check.resource("SCIM-033", scim.get(path))
        require("SCIM-033", active is after.get("active"), f"active is {after.get('active')!r}, expected {active}")


@pytest.mark.scim_generic
@pytest.mark.requirement("SCIM-033", "SCIM-021")
def test_okta_group_push_and_membership(scim, scim_names, okta_created, scim_supports):
    """Push a group with no members, add the User (with a rename), remove it by filter, push empty again."""
    scim_supports("patch")
    group = check.created(scim.create_group(scim_names.label("okta-group")), "SCIM-033")
    path = f"/Groups/{group['id']}"
    member = {"value": okta_created["id"], "display": okta_created["userName"]}
    renamed = scim_names.label("okta-renamed")
    check.patched(scim.patch(path, {"op": "replace", "value": {"displayName": renamed}},
                             {"op": "add", "path": "members", "value": [member]}), "SCIM-033")
    after = check.resource("SCIM-033", scim.get(path))
    require("SCIM-021", {okta_created["id"]} == check.member_ids(after), f"members: {after.get('members')!r}")
    require("SCIM-033", renamed == after.get("displayName"), f"displayName is {after.get('displayName')!r}")
    check.patched(scim.patch(path, {"op": "remove", "path": f'members[value eq "{okta_created["id"]}"]'}), "SCIM-021")
    require("SCIM-021", set() == check.member_ids(check.resource("SCIM-033", scim.get(path))), "member not removed")
    check.patched(scim.patch(path, {"op": "replace", "path": "members", "value": []}), "SCIM-033")


@pytest.mark.requirement("SCIM-033")
def test_okta_rename_repeats_the_group_id(scim, scim_names, scim_supports):
    """Okta sends every membership update with ``replace {"id": <own id>, "displayName": ...}``; it must work."""
    scim_supports("patch")
    group = check.created(scim.create_group(scim_names.label("okta-group")), "SCIM-033")
    renamed = scim_names.label("okta-renamed")
    operation = {"op": "replace", "value": {"id": group["id"], "displayName": renamed}}
    check.patched(scim.patch(f"/Groups/{group['id']}", operation), "SCIM-033")
    after = check.resource("SCIM-033", scim.get(f"/Groups/{group['id']}"))
    require("SCIM-033", (group["id"], renamed) == (after.get("id"), after.get("displayName")),
            f"id/displayName are {after.get('id')!r}/{after.get('displayName')!r}")
