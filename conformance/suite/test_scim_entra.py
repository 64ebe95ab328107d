"""Microsoft Entra ID's provisioning client, replayed (Entra SCIM tutorial and known-issues pages).

Entra's RFC-valid shapes (valuePath replace, path-less replace) also run under generic-scim; its non-RFC habits
(capitalised ops, ``"False"`` as a string, removing members by value) are Omnissa tolerance requirements.
"""

from __future__ import annotations

import pytest

from conformance.checks import scim as check
from conformance.checks.core import require
from conformance.target.scim_client import USER_SCHEMA


@pytest.fixture(autouse=True)
def _patching(scim_supports):
    scim_supports("patch")


@pytest.fixture
def entra_user(scim, scim_names):
    """A User created with Entra's body (work email, name.formatted, externalId)."""
    user_name = scim_names.user("entra")
    local = user_name.split("@")[0]
    body = {"schemas": [USER_SCHEMA], "externalId": local, "userName": user_name, "active": True,
            "emails": [{"primary": True, "type": "work", "value": f"{local}@mail.example.test"}],
            "name": {"formatted": "Entra Person", "familyName": "Person", "givenName": "Entra"}, "title": "Tester"}
    return check.created(scim.create("/Users", body))


def read(scim, user, requirement_id):
    """The User as GET shows it now."""
    return check.resource(requirement_id, scim.get(f"/Users/{user['id']}"))


@pytest.mark.scim_generic
@pytest.mark.requirement("SCIM-020")
def test_entra_replaces_the_work_email_by_value_path(scim, entra_user):
    """Entra's "Patch User - Replace Attributes": ``emails[type eq "work"].value`` plus name.familyName."""
    email = {"op": "replace", "path": 'emails[type eq "work"].value', "value": "new@mail.example.test"}
    family_name = {"op": "replace", "path": "name.familyName", "value": "Renamed"}
    check.patched(scim.patch(f"/Users/{entra_user['id']}", email, family_name))
    after = read(scim, entra_user, "SCIM-020")
    require("SCIM-020", "new@mail.example.test" == check.work_email(after), f"emails: {after.get('emails')!r}")
    require("SCIM-020", "Renamed" == (after.get("name") or {}).get("familyName"), f"name: {after.get('name')!r}")


@pytest.mark.scim_generic
@pytest.mark.requirement("SCIM-019")
def test_entra_pathless_update(scim, entra_user):
    """Entra (aadOptscim062020) collapses updates into a path-less replace of several attributes."""
    value = {"displayName": "Entra Display", "active": False, "title": "Lead"}
    check.patched(scim.patch(f"/Users/{entra_user['id']}", {"op": "replace", "value": value}))
    after = read(scim, entra_user, "SCIM-019")
    got = {key: after.get(key) for key in value}
    require("SCIM-019", value == got, f"after the path-less replace: {got!r}")


@pytest.mark.requirement("SCIM-034")
def test_entra_capitalised_ops(scim, entra_user):
    """``Add``, ``Replace`` and ``Remove`` (capitalised, as Entra sends them) act like add, replace, remove."""
    check.patched(scim.patch(f"/Users/{entra_user['id']}",
                             {"op": "Add", "path": "nickName", "value": "Babs"},
                             {"op": "Replace", "path": "displayName", "value": "Capital"},
                             {"op": "Remove", "path": "title"}), "SCIM-034")
    after = read(scim, entra_user, "SCIM-034")
    got = (after.get("nickName"), after.get("displayName"), after.get("title"))
    require("SCIM-034", ("Babs", "Capital", None) == got, f"nickName/displayName/title are {got!r}")


@pytest.mark.requirement("SCIM-035", "SCIM-034")
def test_entra_disables_with_the_string_false(scim, entra_user):
    """``{"op":"Replace","path":"active","value":"False"}`` deactivates the User (active is the boolean false)."""
    check.patched(scim.patch(f"/Users/{entra_user['id']}", {"op": "Replace", "path": "active", "value": "False"}),
                  "SCIM-035")
    after = read(scim, entra_user, "SCIM-035")
    require("SCIM-035", after.get("active") is False, f"active is {after.get('active')!r}, expected false")


@pytest.mark.requirement("SCIM-036", "SCIM-034")
def test_entra_adds_and_removes_members_by_value(scim, scim_names, entra_user):
    """Entra adds members with ``Add`` and removes them with ``Remove`` + value list; the other member stays."""
    other = check.created(scim.create_user(scim_names.user("entra")))
    group = check.created(scim.create_group(scim_names.label("entra-group")))
    path = f"/Groups/{group['id']}"
    members = [{"$ref": None, "value": entra_user["id"]}, {"$ref": None, "value": other["id"]}]
    check.patched(scim.patch(path, {"op": "Add", "path": "members", "value": members}), "SCIM-034")
    check.patched(scim.patch(path, {"op": "Remove", "path": "members", "value": [{"value": entra_user["id"]}]}),
                  "SCIM-036")
    after = check.resource("SCIM-036", scim.get(path))
    require("SCIM-036", {other["id"]} == check.member_ids(after), f"members: {after.get('members')!r}")


@pytest.mark.requirement("SCIM-034")
def test_entra_renames_a_group(scim, scim_names):
    """Entra renames groups with ``{"op":"Replace","path":"displayName",...}`` (expecting 204 or 200)."""
    group = check.created(scim.create_group(scim_names.label("entra-group")))
    renamed = scim_names.label("entra-renamed")
    check.patched(scim.patch(f"/Groups/{group['id']}", {"op": "Replace", "path": "displayName", "value": renamed}),
                  "SCIM-034")
    after = check.resource("SCIM-034", scim.get(f"/Groups/{group['id']}"))
    require("SCIM-034", renamed == after.get("displayName"), f"displayName is {after.get('displayName')!r}")
