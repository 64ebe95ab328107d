"""Where the IDS SCIM service puts users, and the seed 003 errors in their SCIM v2 form (omnissa profile).

An admin token places a User in the directory whose ``domains`` hold the domain after '@' in its userName;
no such directory, or a JIT one, answers 400 invalidValue with the messages of seed 003's Troubleshooting.
"""

from __future__ import annotations

import pytest

from conformance.checks import scim as check
from conformance.checks.core import require
from conformance.target.scim_client import unique_label, user_body

NOT_IN_DIRECTORY = "User domain name specified for the user resource doesn't belong to the directory."
JIT_REFUSED = "User creation is not supported for specified directory id."


def detail_says(requirement_id, response, sentence):
    """The SCIM error's detail carries seed 003's sentence (case ignored: the seed shows it upper-cased)."""
    detail = str(check.json_object(requirement_id, response).get("detail", ""))
    require(requirement_id, sentence.lower() in detail.lower(), f"detail {detail!r} lacks {sentence!r}", response)


@pytest.mark.requirement("SCIM-040")
def test_admin_token_places_user_by_domain(scim, scim_names, admin):
    """A User POSTed with an admin token in the session directory's domain lands there (its sync token sees it)."""
    response = scim.create("/Users", user_body(scim_names.user("placed")), token=admin.token())
    created = check.created(response, "SCIM-040")
    check.resource("SCIM-040", scim.get(f"/Users/{created['id']}"))


@pytest.mark.requirement("SCIM-038", "SCIM-025")
def test_domain_outside_every_directory_is_400_invalid_value(scim, target, admin):
    """An admin-token POST whose userName domain no directory owns answers 400 invalidValue (seed 003)."""
    orphan = f"{unique_label(target.resource_prefix, 'orphan')}@{target.resource_prefix}nowhere.test"
    response = scim.create("/Users", user_body(orphan), token=admin.token())
    check.scim_error("SCIM-038", response, 400, "invalidValue")
    detail_says("SCIM-038", response, NOT_IN_DIRECTORY)


@pytest.mark.requirement("SCIM-039", "SCIM-025")
def test_jit_directory_refuses_scim_users(scim, target, admin, directory_admin):
    """An admin-token POST into a JIT directory's domain answers 400 invalidValue (seed 003)."""
    domain = f"{unique_label(target.resource_prefix, 'jit')}.test"
    response = directory_admin.create(unique_label(target.resource_prefix, "jit"), [domain], "JIT")
    check.status_is("DIR-001", response, 201)
    refused = scim.create("/Users", user_body(f"{unique_label(target.resource_prefix, 'jit')}@{domain}"),
                          token=admin.token())
    check.scim_error("SCIM-039", refused, 400, "invalidValue")
    detail_says("SCIM-039", refused, JIT_REFUSED)


@pytest.mark.requirement("SCIM-037")
def test_deleted_user_leaves_its_groups(scim, scim_names):
    """After DELETE /Users/{id}, no Group lists the User among its members."""
    leaving = check.created(scim.create_user(scim_names.user("leaving")))
    staying = check.created(scim.create_user(scim_names.user("staying")))
    group = check.created(scim.create_group(scim_names.label("group"),
                                            [{"value": leaving["id"]}, {"value": staying["id"]}]))
    check.status_is("SCIM-007", scim.delete(f"/Users/{leaving['id']}"), 204)
    after = check.resource("SCIM-004", scim.get(f"/Groups/{group['id']}"))
    require("SCIM-037", {staying["id"]} == check.member_ids(after), f"members after delete: {after.get('members')!r}")
