"""SCIM Users and Groups: create/read/replace/delete, errors, ETags, uniqueness, placement and token scope."""

from __future__ import annotations

import pytest

from tests.support.scim_tenant import DIRECTORIES, ERROR_URN, GROUP_URN, SCIM_JSON, USER_URN, Tenant

NOT_IN_DIRECTORY = "user domain name specified for the user resource doesn't belong to the directory."
JIT_REFUSED = "user creation is not supported for specified directory id."


@pytest.fixture(scope="module")
def tenant():
    """One emulator for the module."""
    return Tenant()


@pytest.fixture(scope="module")
def scim(tenant):
    """A sync-token client."""
    return tenant.sync()


def error(response):
    """(status, scimType) of a SCIM error response, checking its schema and string status."""
    body = response.json()
    assert (ERROR_URN, str(response.status_code), SCIM_JSON) == (
        body["schemas"][0], body["status"], response.headers["content-type"])
    return response.status_code, body.get("scimType")


def test_create_answers_201_with_location_and_etag(scim):
    """201, Location = meta.location, ETag = meta.version (weak); the password is never returned."""
    response = scim.call("POST", "/Users", {"schemas": [USER_URN], "userName": scim.name(), "password": "s3cret!",
                                            "groups": [], "locale": "en-US"})
    body = response.json()
    assert (201, body["meta"]["location"], body["meta"]["version"]) == (
        response.status_code, response.headers["location"], response.headers["etag"])
    assert (True, False) == (body["meta"]["version"].startswith('W/"'), "password" in body)


def test_entra_bodies_are_accepted(scim):
    """Entra sends meta.resourceType, the enterprise extension, and its ADSCIM Group schema URN."""
    enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    user = scim.call("POST", "/Users", {"schemas": [USER_URN, enterprise], "userName": scim.name(),
                                        "meta": {"resourceType": "User"}, enterprise: {"department": "R&D"}})
    adscim = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
    group = scim.call("POST", "/Groups", {"schemas": [GROUP_URN, adscim], "displayName": "entra-group",
                                          "externalId": "e-1", "meta": {"resourceType": "Group"}})
    assert (201, "R&D", 201, [GROUP_URN]) == (user.status_code, user.json()[enterprise]["department"],
                                              group.status_code, group.json()["schemas"])


@pytest.mark.parametrize(("body", "expected"), [
    ({"userName": "x@y.test"}, (400, "invalidValue")),
    ({"schemas": ["urn:example:other"], "userName": "x@y.test"}, (400, "invalidSyntax")),
    ({"schemas": [USER_URN], "name": {"givenName": "No"}}, (400, "invalidValue")),
    ({"schemas": [USER_URN], "userName": 7}, (400, "invalidValue")),
    (["not", "an", "object"], (400, "invalidSyntax")),
])
def test_invalid_user_bodies(scim, body, expected):
    """Missing schemas or userName, a wrong schema, unknown or mistyped attributes: 400 with a scimType."""
    assert expected == error(scim.call("POST", "/Users", body))


def test_unknown_attributes_are_ignored(scim):
    """Attributes (and extension schemas) the service does not declare are dropped, neither stored nor returned."""
    body = {"schemas": [USER_URN, "urn:example:ext"], "userName": scim.name(), "shoeSize": 42,
            "urn:example:ext": {"a": 1}}
    created = scim.call("POST", "/Users", body).json()
    fetched = scim.call("GET", f"/Users/{created['id']}").json()
    assert ([USER_URN], False, False) == (fetched["schemas"], "shoeSize" in fetched, "urn:example:ext" in fetched)


def test_malformed_json_is_invalid_syntax(scim):
    """A body that is not JSON: 400 invalidSyntax."""
    response = scim.client.post("/usergroup/scim/v2/Users", content=b"{nope",
                                headers={**scim.headers, "Content-Type": SCIM_JSON})
    assert (400, "invalidSyntax") == error(response)


def test_user_name_is_unique_ignoring_case(scim):
    """RFC 7643 §4.1.1 (caseExact false, uniqueness server): 409 uniqueness, on create and on rename."""
    first, second = scim.user(), scim.user()
    again = scim.call("POST", "/Users", {"schemas": [USER_URN], "userName": first["userName"].upper()})
    renamed = scim.patch(f"/Users/{second['id']}", {"op": "replace", "path": "userName",
                                                     "value": first["userName"].title()})
    assert [(409, "uniqueness"), (409, "uniqueness")] == [error(again), error(renamed)]


def test_group_display_name_is_unique_ignoring_case(scim):
    """A second Group named like an existing one (any case) is 409 uniqueness, as /Schemas declares."""
    group = scim.group()
    again = scim.call("POST", "/Groups", {"schemas": [GROUP_URN], "displayName": group["displayName"].upper()})
    assert (409, "uniqueness") == error(again)


def test_etags_move_and_guard_writes(scim):
    """Each change moves the ETag; a stale If-Match is 412 for PUT, PATCH and DELETE; ``*`` always matches."""
    user = scim.user(title="One")
    path, stale = f"/Users/{user['id']}", user["meta"]["version"]
    body = {"schemas": [USER_URN], "userName": user["userName"], "title": "Two"}
    fresh = scim.call("PUT", path, body, {"If-Match": stale}).headers["etag"]
    refused = [scim.call("PUT", path, body, {"If-Match": stale}),
               scim.patch(path, {"op": "replace", "path": "title", "value": "x"}, headers={"If-Match": stale}),
               scim.call("DELETE", path, headers={"If-Match": stale})]
    assert (True, [(412, None)] * 3) == (fresh != stale, [error(r) for r in refused])
    assert 200 == scim.patch(path, {"op": "replace", "path": "title", "value": "y"},
                             headers={"If-Match": "*"}).status_code


def test_if_none_match_answers_304(scim):
    """GET with the current ETag in If-None-Match: 304 with the ETag and no body; an old one: 200."""
    user = scim.user()
    current = scim.call("GET", f"/Users/{user['id']}", headers={"If-None-Match": user["meta"]["version"]})
    other = scim.call("GET", f"/Users/{user['id']}", headers={"If-None-Match": 'W/"0"'})
    assert (304, user["meta"]["version"], b"", 200) == (current.status_code, current.headers["etag"],
                                                        current.content, other.status_code)


def test_put_keeps_read_only_and_no_op_keeps_version(scim):
    """PUT ignores id/meta in the body; a PUT that changes nothing keeps the version."""
    user = scim.user(title="Same")
    body = {**{k: v for k, v in user.items() if k != "meta"}, "id": "ignored"}
    response = scim.call("PUT", f"/Users/{user['id']}", body)
    assert (200, user["id"], user["meta"]["version"]) == (response.status_code, response.json()["id"],
                                                          response.headers["etag"])


def test_delete_is_404_afterwards_and_frees_the_name(scim):
    """DELETE 204; GET/PUT/PATCH/DELETE then 404; the userName can be used again."""
    user = scim.user()
    path = f"/Users/{user['id']}"
    assert 204 == scim.call("DELETE", path).status_code
    after = [scim.call("GET", path), scim.call("PUT", path, {"schemas": [USER_URN], "userName": user["userName"]}),
             scim.patch(path, {"op": "remove", "path": "title"}), scim.call("DELETE", path)]
    assert [(404, None)] * 4 == [error(r) for r in after]
    assert user["userName"] == scim.user(user["userName"])["userName"]


def test_memberships_show_on_users_and_go_with_them(scim):
    """A User lists its groups (read-only); joining moves its ETag; deleting it empties the Group's members."""
    leaving, staying = scim.user(), scim.user()
    group = scim.group(members=[leaving["id"], staying["id"]])
    fetched = scim.call("GET", f"/Users/{leaving['id']}").json()
    assert ([group["id"]], True) == ([g["value"] for g in fetched["groups"]],
                                     fetched["meta"]["version"] != leaving["meta"]["version"])
    scim.call("DELETE", f"/Users/{leaving['id']}")
    after = scim.call("GET", f"/Groups/{group['id']}").json()
    assert ([staying["id"]], True) == ([m["value"] for m in after["members"]],
                                       after["meta"]["version"] != group["meta"]["version"])


def test_sync_tokens_see_only_their_directory(tenant, scim):
    """Another directory's sync token gets 404 for this directory's User and does not list it; an admin sees it;
    it cannot make it a member of its own Group."""
    user = scim.user()
    other = tenant.sync()
    assert (404, 0) == (other.call("GET", f"/Users/{user['id']}").status_code,
                        other.list(filter=f'userName eq "{user["userName"]}"')["totalResults"])
    assert 200 == tenant.admin().call("GET", f"/Users/{user['id']}").status_code
    refused = other.call("POST", "/Groups", {"schemas": [GROUP_URN], "displayName": "cross",
                                             "members": [{"value": user["id"]}]})
    assert (400, "invalidValue") == error(refused)


def test_placement_follows_the_user_name_domain(tenant, scim):
    """Sync token: a foreign domain is refused; admin token: placed by domain, unknown domain or JIT refused."""
    foreign = scim.call("POST", "/Users", {"schemas": [USER_URN], "userName": "x@elsewhere.test"})
    admin = tenant.admin()
    placed = admin.call("POST", "/Users", {"schemas": [USER_URN], "userName": scim.name("placed")})
    orphan = admin.call("POST", "/Users", {"schemas": [USER_URN], "userName": "x@no-directory.test"})
    jit = tenant.directory("JIT")
    refused = admin.call("POST", "/Users", {"schemas": [USER_URN], "userName": f"x@{jit['domains'][0]}"})
    assert [(400, "invalidValue")] * 3 == [error(r) for r in (foreign, orphan, refused)]
    assert (NOT_IN_DIRECTORY, JIT_REFUSED) == (orphan.json()["detail"][:len(NOT_IN_DIRECTORY)].lower(),
                                               refused.json()["detail"][:len(JIT_REFUSED)].lower())
    assert 200 == scim.call("GET", f"/Users/{placed.json()['id']}").status_code


def test_deleting_the_directory_removes_its_users_and_groups(tenant):
    """The directory-deleted hook drops the directory's Users and Groups in the same transaction; a tenant Group
    (created with an admin token) loses them as members and gets a new version."""
    scim, admin = tenant.sync(), tenant.admin()
    user, group = scim.user(), scim.group()
    tenant_group = admin.group(members=[user["id"]])
    assert 202 == tenant.client.delete(f"{DIRECTORIES}/{scim.directory_id}", headers=tenant.admin_headers).status_code
    assert [404, 404] == [admin.call("GET", f"/Users/{user['id']}").status_code,
                          admin.call("GET", f"/Groups/{group['id']}").status_code]
    after = admin.call("GET", f"/Groups/{tenant_group['id']}").json()
    assert (None, True) == (after.get("members"), after["meta"]["version"] != tenant_group["meta"]["version"])


@pytest.mark.parametrize(("body", "expected"), [
    ({"active": "true"}, (400, "invalidValue")),
    ({"emails": [{"value": "a@b.test", "primary": 1}]}, (400, "invalidValue")),
    ({"emails": [{"value": "a@b.test", "type": "pager"}]}, (400, "invalidValue")),
    ({"addresses": [{"locality": "X", "type": "moon"}]}, (400, "invalidValue")),
    ({"userName": " "}, (400, "invalidValue")),
    ({"schemas": [USER_URN, USER_URN]}, (400, "invalidSyntax")),
])
def test_contract_types_are_enforced_on_create(scim, body, expected):
    """JSON booleans, closed type enumerations, unique schemas and a non-empty userName (specs/scim.yaml)."""
    assert expected == error(scim.call("POST", "/Users", {"schemas": [USER_URN], "userName": scim.name(), **body}))


def test_group_member_references_are_checked(scim):
    """members[].type is User or Group and members[].$ref a string, on POST/PUT Groups."""
    user = scim.user()
    bad = [{"value": user["id"], "type": "Robot"}, {"value": user["id"], "$ref": 5}]
    assert [(400, "invalidValue")] * 2 == [
        error(scim.call("POST", "/Groups", {"schemas": [GROUP_URN], "displayName": f"g{n}", "members": [member]}))
        for n, member in enumerate(bad)]


def test_patch_cannot_store_an_unknown_type(scim):
    """PATCH values are lenient, but the result must still fit the enumerations: 400 invalidValue."""
    user = scim.user()
    response = scim.patch(f"/Users/{user['id']}", {"op": "add", "path": "emails",
                                                    "value": [{"value": "x@y.test", "type": "weird"}]})
    assert (400, "invalidValue") == error(response)


def test_if_match_must_be_entity_tags(scim):
    """An If-Match that is neither * nor entity tags is 400 invalidSyntax (not a silent 412)."""
    user = scim.user()
    response = scim.patch(f"/Users/{user['id']}", {"op": "add", "path": "title", "value": "x"},
                          headers={"If-Match": "not-a-tag"})
    assert (400, "invalidSyntax") == error(response)
