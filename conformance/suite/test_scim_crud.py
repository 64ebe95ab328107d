"""SCIM resource lifecycle (RFC 7644 §3.3-§3.6): create, read, replace, patch, delete."""

from __future__ import annotations

import pytest

from conformance.checks import scim as check
from conformance.checks.core import require

pytestmark = pytest.mark.scim_generic


@pytest.fixture
def user(scim, scim_names):
    """A fresh User, created through the create check."""
    return check.created(scim.create_user(scim_names.user()))


@pytest.mark.requirement("SCIM-001", "SCIM-002", "SCIM-031")
def test_create_user_answers_201_with_location(scim, scim_names):
    """POST /Users answers 201 Created with the User, its URI in Location and meta.location, as scim+json."""
    user_name = scim_names.user()
    response = scim.create_user(user_name)
    body = check.created(response)
    check.location_is_meta_location(response)
    check.scim_media_type(response)
    require("SCIM-001", user_name == body.get("userName"), "the created User does not echo its userName", response)


@pytest.mark.requirement("SCIM-003")
def test_create_and_get_carry_the_etag(scim, scim_names, scim_supports):
    """With etag support claimed, 201 and 200 carry an ETag header matching meta.version."""
    scim_supports("etag")
    response = scim.create_user(scim_names.user())
    created_tag = check.etag_header(response)
    fetched = scim.get(f"/Users/{check.created(response)['id']}")
    require("SCIM-003", created_tag == check.etag_header(fetched), "an unchanged User changed its ETag", fetched)


@pytest.mark.requirement("SCIM-004", "SCIM-031")
def test_get_user_returns_it(scim, user):
    """GET /Users/{id} answers 200 with the same User, as scim+json."""
    response = scim.get(f"/Users/{user['id']}")
    fetched = check.resource("SCIM-004", response)
    check.scim_media_type(response)
    require("SCIM-004", user["userName"] == fetched.get("userName"), "GET returned another userName", response)


@pytest.mark.requirement("SCIM-005")
def test_put_replaces_the_user(scim, user):
    """PUT /Users/{id} with a changed name answers 200 with the whole, changed User; GET agrees."""
    replacement = {key: value for key, value in user.items() if key != "meta"}
    replacement["name"] = {"givenName": "Replaced", "familyName": "Person"}
    replaced = check.resource("SCIM-005", scim.put(f"/Users/{user['id']}", replacement))
    fetched = check.resource("SCIM-004", scim.get(f"/Users/{user['id']}"))
    for representation in (replaced, fetched):
        require("SCIM-005", "Replaced" == (representation.get("name") or {}).get("givenName"),
                f"name.givenName not replaced: {representation.get('name')!r}")


@pytest.mark.requirement("SCIM-006")
def test_patch_answers_200_or_204_and_applies(scim, user, scim_supports):
    """PATCH replace of displayName answers 200 with the User or 204, and GET shows the new value."""
    scim_supports("patch")
    response = scim.patch(f"/Users/{user['id']}", {"op": "replace", "path": "displayName", "value": "Patched Name"})
    check.patched(response)
    fetched = check.resource("SCIM-004", scim.get(f"/Users/{user['id']}"))
    require("SCIM-006", "Patched Name" == fetched.get("displayName"),
            f"displayName after PATCH is {fetched.get('displayName')!r}")


@pytest.mark.requirement("SCIM-007")
def test_delete_answers_204_then_404_everywhere(scim, user):
    """DELETE answers 204; then GET, PUT and DELETE answer 404 and the User leaves query results."""
    path = f"/Users/{user['id']}"
    check.status_is("SCIM-007", scim.delete(path), 204)
    check.scim_error("SCIM-007", scim.get(path), 404)
    replacement = {key: value for key, value in user.items() if key != "meta"}
    check.scim_error("SCIM-007", scim.put(path, replacement), 404)
    check.scim_error("SCIM-007", scim.delete(path), 404)
    found = check.listed_ids("SCIM-007", scim.get("/Users", filter=f'userName eq "{user["userName"]}"'))
    require("SCIM-007", [] == found, f"the deleted User is still listed: {found}")


@pytest.mark.requirement("SCIM-007")
def test_deleted_user_name_can_be_reused(scim, scim_names):
    """RFC 7644 §3.6: the deleted User is not considered in conflict calculation, so its userName is free."""
    user_name = scim_names.user()
    first = check.created(scim.create_user(user_name))
    check.status_is("SCIM-007", scim.delete(f"/Users/{first['id']}"), 204)
    again = scim.create_user(user_name)
    check.status_is("SCIM-007", again, 201)


@pytest.mark.requirement("SCIM-001", "SCIM-002", "SCIM-004", "SCIM-007")
def test_group_lifecycle(scim, scim_names, user):
    """A Group is created (201, Location) with a member, read back with it, and deleted (204, then 404)."""
    response = scim.create_group(scim_names.label("group"), [{"value": user["id"]}])
    group = check.created(response)
    check.location_is_meta_location(response)
    fetched = check.resource("SCIM-004", scim.get(f"/Groups/{group['id']}"))
    require("SCIM-004", {user["id"]} == check.member_ids(fetched), f"members: {fetched.get('members')!r}")
    check.status_is("SCIM-007", scim.delete(f"/Groups/{group['id']}"), 204)
    check.scim_error("SCIM-007", scim.get(f"/Groups/{group['id']}"), 404)


@pytest.mark.requirement("SCIM-041", "SCIM-025")
@pytest.mark.parametrize("endpoint", ["/Users", "/Groups"])
def test_unknown_id_is_a_scim_404(scim, endpoint):
    """GET of an id that never existed answers 404 with a SCIM Error whose status is the string "404"."""
    check.scim_error("SCIM-041", scim.get(f"{endpoint}/2819c223-7f76-453a-919d-413861904646"), 404)
