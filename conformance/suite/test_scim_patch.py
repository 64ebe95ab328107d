"""SCIM PATCH as RFC 7644 §3.5.2 defines it: add, replace, remove, path-less and valuePath operations."""

from __future__ import annotations

import pytest

from conformance.checks import scim as check
from conformance.checks.core import require

pytestmark = pytest.mark.scim_generic


@pytest.fixture(autouse=True)
def _patching(scim_supports):
    scim_supports("patch")


@pytest.fixture
def user(scim, scim_names):
    """A fresh User with a title, a work email and no nickName."""
    return check.created(scim.create_user(scim_names.user(), title="Engineer"))


def patch_and_read(scim, user, requirement_id, *operations):
    """Apply ``operations`` (judged as SCIM-006) and return the User as GET now shows it."""
    check.patched(scim.patch(f"/Users/{user['id']}", *operations))
    return check.resource(requirement_id, scim.get(f"/Users/{user['id']}"))


@pytest.mark.requirement("SCIM-018", "SCIM-006")
def test_add_sets_a_single_valued_attribute(scim, user):
    """add with path nickName sets it."""
    after = patch_and_read(scim, user, "SCIM-018", {"op": "add", "path": "nickName", "value": "Babs"})
    require("SCIM-018", "Babs" == after.get("nickName"), f"nickName is {after.get('nickName')!r}")


@pytest.mark.requirement("SCIM-018", "SCIM-006")
def test_add_appends_to_a_multi_valued_attribute(scim, user):
    """add with path emails appends the new value and keeps the work email."""
    home = {"value": "home@mail.example.test", "type": "home"}
    after = patch_and_read(scim, user, "SCIM-018", {"op": "add", "path": "emails", "value": [home]})
    values = sorted(str(email.get("value")) for email in after.get("emails") or [])
    require("SCIM-018", sorted([check.work_email(user), home["value"]]) == values, f"emails are {values}")


@pytest.mark.requirement("SCIM-018", "SCIM-006")
def test_replace_a_sub_attribute(scim, user):
    """replace with path name.familyName changes only that sub-attribute."""
    after = patch_and_read(scim, user, "SCIM-018", {"op": "replace", "path": "name.familyName", "value": "Jensen"})
    name = after.get("name") or {}
    require("SCIM-018", ("Given", "Jensen") == (name.get("givenName"), name.get("familyName")), f"name is {name!r}")


@pytest.mark.requirement("SCIM-018", "SCIM-006")
def test_remove_unassigns_a_single_valued_attribute(scim, user):
    """remove with path title leaves the User without a title."""
    after = patch_and_read(scim, user, "SCIM-018", {"op": "remove", "path": "title"})
    require("SCIM-018", after.get("title") in (None, ""), f"title is still {after.get('title')!r}")


@pytest.mark.requirement("SCIM-018", "SCIM-006")
def test_remove_with_a_value_filter(scim, user):
    """remove with path emails[type eq "home"] removes the home email and keeps the work email."""
    home = {"value": "home@mail.example.test", "type": "home"}
    patch_and_read(scim, user, "SCIM-018", {"op": "add", "path": "emails", "value": [home]})
    after = patch_and_read(scim, user, "SCIM-018", {"op": "remove", "path": 'emails[type eq "home"]'})
    values = [str(email.get("value")) for email in after.get("emails") or []]
    require("SCIM-018", [check.work_email(user)] == values, f"emails are {values}")


@pytest.mark.requirement("SCIM-019", "SCIM-006")
def test_pathless_replace_applies_the_value_object(scim, user):
    """replace without path and value {displayName, active: false} changes both attributes."""
    value = {"displayName": "No Path", "active": False}
    after = patch_and_read(scim, user, "SCIM-019", {"op": "replace", "value": value})
    require("SCIM-019", ("No Path", False) == (after.get("displayName"), after.get("active")),
            f"displayName/active are {after.get('displayName')!r}/{after.get('active')!r}")


@pytest.mark.requirement("SCIM-020", "SCIM-006")
def test_value_path_sub_attribute_replace(scim, user):
    """replace with path emails[type eq "work"].value changes the work email's value only."""
    operation = {"op": "replace", "path": 'emails[type eq "work"].value', "value": "moved@mail.example.test"}
    after = patch_and_read(scim, user, "SCIM-020", operation)
    require("SCIM-020", "moved@mail.example.test" == check.work_email(after), f"emails are {after.get('emails')!r}")


@pytest.mark.requirement("SCIM-006", "SCIM-018")
def test_operations_apply_in_order(scim, user):
    """Several operations in one request apply in order: the later replace wins over the earlier one."""
    after = patch_and_read(scim, user, "SCIM-018",
                           {"op": "replace", "path": "displayName", "value": "First"},
                           {"op": "add", "path": "nickName", "value": "Nick"},
                           {"op": "replace", "path": "displayName", "value": "Second"})
    require("SCIM-018", ("Second", "Nick") == (after.get("displayName"), after.get("nickName")),
            f"displayName/nickName are {after.get('displayName')!r}/{after.get('nickName')!r}")
