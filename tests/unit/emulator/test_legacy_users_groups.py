"""Legacy SCIM 1.1 users (seed 004) and groups: creation rules, seed 003's refusals, filters, paging, faults."""

from __future__ import annotations

import copy
import uuid

import pytest

from tests.support.core_app import bearer, make_client, sign

USERS = "/SAAS/jersey/manager/api/scim/Users"
GROUPS = "/SAAS/jersey/manager/api/scim/Groups"
DIRECTORIES = "/SAAS/jersey/manager/api/connectormanagement/directoryconfigs"
VENDOR = "application/vnd.vmware.horizon.manager.connector.management.directory"
WORKSPACE = "urn:scim:schemas:extension:workspace:1.0"
DOMAIN = "okta.test"


class Api:
    """A TestClient with an admin token and a directory of type Other owning ``okta.test``."""

    def __init__(self, *faults: str) -> None:
        self.http = make_client(faults=faults)
        self.headers = bearer(sign(self.http))
        self.directory = self.directory_of("OTHER_DIRECTORY", "Okta", DOMAIN)

    def directory_of(self, kind: str, name: str, domain: str) -> dict:
        content_type = f"{VENDOR}.other+json" if kind == "OTHER_DIRECTORY" else f"{VENDOR}.jit+json"
        response = self.http.post(DIRECTORIES, headers={**self.headers, "Content-Type": content_type},
                                  json={"type": kind, "name": name, "domains": [domain]})
        assert 201 == response.status_code, response.text
        return response.json()

    def create(self, body: dict):
        return self.http.post(USERS, headers=self.headers, json=body)

    def get(self, path: str, **params):
        return self.http.get(path, headers=self.headers, params=params)


def user(name: str = "cuser1", domain: str = DOMAIN) -> dict:
    """Seed 004's request body."""
    return {"schemas": ["urn:scim:schemas:core:1.0", WORKSPACE], "userName": name,
            "name": {"givenName": "firstName", "familyName": "lastName"}, "displayName": "firstName lastName",
            "emails": [{"value": f"{name}@{domain}"}], "externalId": str(uuid.uuid4()),
            WORKSPACE: {"internalUserType": "PROVISIONED", "domain": domain}}


def without(path: tuple[str, ...]) -> dict:
    body = user()
    holder = body
    for key in path[:-1]:
        holder = holder[key]
    del holder[path[-1]]
    return body


@pytest.fixture
def api():
    return Api()


@pytest.fixture(scope="module")
def shared_api():
    """One emulator for tests whose requests are all refused (they create nothing)."""
    return Api()


def test_seed_004_user_is_created(api):
    """LEGACY-004/014: 201, the seed's response shape, Location and ETag."""
    response = api.create(user())
    body = response.json()
    assert (201, "PROVISIONED", DOMAIN, "1", True, []) == (
        response.status_code, body[WORKSPACE]["internalUserType"], body[WORKSPACE]["domain"],
        body[WORKSPACE]["userStatus"], body["active"], body["groups"])
    assert (True, body["meta"]["version"]) == (response.headers["location"].endswith(f"{USERS}/{body['id']}"),
                                               response.headers["etag"])
    assert body == api.get(f"{USERS}/{body['id']}").json()


@pytest.mark.parametrize(("path", "named"), [
    (("userName",), "userName"), (("name", "givenName"), "name.givenName"), (("name", "familyName"), "name.familyName"),
    (("emails",), "emails"), ((WORKSPACE, "internalUserType"), "internalUserType"), ((WORKSPACE, "domain"), "domain"),
    (("externalId",), "externalId")])
def test_each_required_attribute_is_named_when_missing(shared_api, path, named):
    """LEGACY-005/011: "Required user attributes: [x] are missing." in the admin envelope."""
    response = shared_api.create(without(path))
    error = response.json()["errors"][0]
    assert (400, "user.required.attributes.missing", f"Required user attributes: [{named}] are missing.") == (
        response.status_code, error["code"], error["message"])


def test_two_emails_and_wrong_types_are_400(api):
    """Seed 004: "emails (containing one and only one email address)"; wrongly typed or null attributes and a body
    without schemas are 400 too."""
    two = user() | {"emails": [{"value": "a@okta.test"}, {"value": "b@okta.test"}]}
    typed = user() | {"active": "yes"}
    null = user() | {"displayName": None}
    no_schemas = {key: value for key, value in user().items() if key != "schemas"}
    not_object = api.http.post(USERS, headers={**api.headers, "Content-Type": "application/json"}, content=b"[1]")
    assert [400] * 5 == [api.create(body).status_code for body in (two, typed, null, no_schemas)] + [
        not_object.status_code]


def test_jit_directory_refuses_users(api):
    """LEGACY-009: a JIT directory's domain -> "User creation is not supported for specified directory id." """
    api.directory_of("JIT_DIRECTORY", "Jit", "jit.test")
    response = api.create(user("j", "jit.test"))
    assert (400, "User creation is not supported for specified directory id.") == (
        response.status_code, response.json()["errors"][0]["message"])


def test_domain_of_no_directory_is_refused(api):
    """LEGACY-010: "User domain name specified for the user resource doesn't belong to the directory." """
    response = api.create(user("n", "nowhere.test"))
    assert (400, True) == (response.status_code,
                           "doesn't belong to the directory" in response.json()["errors"][0]["message"])


def test_domain_matches_case_insensitively_and_username_is_unique_per_domain(api):
    """OKTA.COM in seed 003 vs okta.com in Okta's mapping: domains compare without case; a userName twice -> 409."""
    first = api.create(user("dup", "OKTA.test"))
    second = api.create(user("DUP"))
    assert (201, 409, "user.already.exists") == (first.status_code, second.status_code,
                                                 second.json()["errors"][0]["code"])


def test_filters_find_users(api):
    """LEGACY-006: externalId eq; userName eq/sw/co (case-insensitive); and/or; bad filter -> 400."""
    created = [api.create(user(f"f{n}")).json() for n in range(3)]
    found = {f: [u["id"] for u in api.get(USERS, filter=f).json()["Resources"]] for f in (
        f'externalId eq "{created[1]["externalId"]}"', 'UserName eq "F2"', 'userName sw "f" and emails co "f0@"',
        'userName eq "f0" or userName eq "f1"', f'{WORKSPACE}:domain eq "{DOMAIN}"')}
    assert [[created[1]["id"]], [created[2]["id"]], [created[0]["id"]], [created[0]["id"], created[1]["id"]],
            [u["id"] for u in created]] == list(found.values())
    assert [400, 400] == [api.get(USERS, filter="userName xx 1").status_code,
                          api.get(USERS, filter='userName eq "open').status_code]


def test_paging_with_start_index_and_count(api):
    """LEGACY-012: startIndex is 1-based, itemsPerPage counts this page, Resources with a capital R."""
    ids = [api.create(user(f"p{n}")).json()["id"] for n in range(5)]
    pages = [api.get(USERS, startIndex=start, count=2).json() for start in (1, 3, 5)]
    assert [(5, 2, 1), (5, 2, 3), (5, 1, 5)] == [(p["totalResults"], p["itemsPerPage"], p["startIndex"])
                                                 for p in pages]
    assert ids == [u["id"] for p in pages for u in p["Resources"]]
    assert [400, 400] == [api.get(USERS, count="two").status_code, api.get(USERS, sortOrder="up").status_code]


def test_sort_by_user_name_descending(api):
    """sortBy/sortOrder order the whole result before paging."""
    for name in ("b", "c", "a"):
        api.create(user(name))
    names = [u["userName"] for u in api.get(USERS, sortBy="userName", sortOrder="descending").json()["Resources"]]
    assert ["c", "b", "a"] == names


def test_patch_is_partial_and_keeps_required_attributes(api):
    """SCIM 1.1 PATCH: attributes present replace (name merges); blanking a required one is 400; domain is fixed."""
    created = api.create(user()).json()
    path = f"{USERS}/{created['id']}"
    patched = api.http.patch(path, headers=api.headers, json={"name": {"givenName": "New"}, "active": False})
    body = patched.json()
    assert (200, "New", "lastName", "2") == (patched.status_code, body["name"]["givenName"],
                                             body["name"]["familyName"], body[WORKSPACE]["userStatus"])
    removal = api.http.patch(path, headers=api.headers, json={"externalId": ""})
    moving = api.http.patch(path, headers=api.headers, json={WORKSPACE: {"domain": "other.test"}})
    assert [400, 400] == [removal.status_code, moving.status_code]


def test_delete_then_404_and_unknown_ids(api):
    """LEGACY-007: DELETE 204, then GET/DELETE 404 in the admin envelope."""
    path = f"{USERS}/{api.create(user()).json()['id']}"
    assert 204 == api.http.delete(path, headers=api.headers).status_code
    assert [404, 404] == [api.get(path).status_code, api.http.delete(path, headers=api.headers).status_code]
    assert "user.not.found" == api.get(path).json()["errors"][0]["code"]


def test_groups_lifecycle(api):
    """Groups: 201 with members, the member's groups list it, 409 for a duplicate name, delete 204 then 404."""
    member = api.create(user()).json()
    body = {"schemas": ["urn:scim:schemas:core:1.0"], "displayName": "Team", "members": [{"value": member["id"]}]}
    created = api.http.post(GROUPS, headers=api.headers, json=body)
    group = created.json()
    assert (201, [member["id"]], "System Domain") == (created.status_code, [m["value"] for m in group["members"]],
                                                      group[WORKSPACE]["domain"])
    assert [group["id"]] == [g["value"] for g in api.get(f"{USERS}/{member['id']}").json()["groups"]]
    duplicate = api.http.post(GROUPS, headers=api.headers, json=body | {"displayName": "team"})
    stranger = api.http.post(GROUPS, headers=api.headers, json=body | {"displayName": "x", "members": [{"value": "n"}]})
    nameless = api.http.post(GROUPS, headers=api.headers, json=body | {"displayName": "y", "members": [{}]})
    assert [409, 400, 201] == [duplicate.status_code, stranger.status_code, nameless.status_code]
    assert [group["id"]] == [g["id"] for g in api.get(GROUPS, filter='displayName eq "TEAM"').json()["Resources"]]
    path = f"{GROUPS}/{group['id']}"
    assert [204, 404] == [api.http.delete(path, headers=api.headers).status_code, api.get(path).status_code]


def test_deleting_the_directory_deletes_its_users(api):
    """A directory's users go with it (Access deletes a directory's users)."""
    path = f"{USERS}/{api.create(user()).json()['id']}"
    deleted = api.http.delete(f"{DIRECTORIES}/{api.directory['directoryId']}", headers=api.headers)
    assert (204, 404) == (deleted.status_code, api.get(path).status_code)


@pytest.mark.parametrize(("fault", "request_kind", "expected"), [
    ("legacy-family-name-optional", "no-family-name", 201),
    ("legacy-domain-check-skipped", "no-directory", 201),
    ("legacy-jit-accepts-users", "jit", 201),
])
def test_creation_faults(fault, request_kind, expected):
    """Each creation fault lets through exactly the request its requirement refuses."""
    api = Api(fault)
    api.directory_of("JIT_DIRECTORY", "Jit", "jit.test")
    bodies = {"no-family-name": without(("name", "familyName")), "no-directory": user("n", "nowhere.test"),
              "jit": user("j", "jit.test")}
    assert expected == api.create(bodies[request_kind]).status_code


def test_fault_external_id_filter_blind():
    """legacy-external-id-filter-blind: externalId eq finds nothing, userName eq still works."""
    api = Api("legacy-external-id-filter-blind")
    created = api.create(user()).json()
    by_external = api.get(USERS, filter=f'externalId eq "{created["externalId"]}"').json()["totalResults"]
    by_name = api.get(USERS, filter='userName eq "cuser1"').json()["totalResults"]
    assert (0, 1) == (by_external, by_name)


def test_fault_delete_keeps_user():
    """legacy-delete-keeps-user: DELETE answers 204 but GET still finds the user."""
    api = Api("legacy-delete-keeps-user")
    path = f"{USERS}/{api.create(user()).json()['id']}"
    assert (204, 200) == (api.http.delete(path, headers=api.headers).status_code, api.get(path).status_code)


def test_fault_list_shape():
    """legacy-lowercase-resources and legacy-items-per-page-total break the list shape of LEGACY-012."""
    lower, total = Api("legacy-lowercase-resources"), Api("legacy-items-per-page-total")
    for api in (lower, total):
        for n in range(3):
            api.create(user(f"u{n}"))
    lower_page, total_page = lower.get(USERS, count=1).json(), total.get(USERS, count=1).json()
    assert (True, False, 3) == ("resources" in lower_page, "Resources" in lower_page, total_page["itemsPerPage"])


def test_fault_location_missing():
    """legacy-location-missing: the 201 has no Location header."""
    response = Api("legacy-location-missing").create(copy.deepcopy(user()))
    assert (201, None) == (response.status_code, response.headers.get("location"))


def test_list_parameters_are_lenient_where_the_spec_is(api):
    """Blank filter/sortBy count as absent; huge or negative startIndex/count are clamped (the spec bounds none)."""
    api.create(user())
    responses = [api.get(USERS, filter="", sortBy=""), api.get(USERS, startIndex=10**20, count=10**20),
                 api.get(USERS, startIndex=-5, count=-5), api.get(USERS, sortBy="no.such", attributes="x,y")]
    assert [(200, 1), (200, 0), (200, 0), (200, 1)] == [(r.status_code, len(r.json()["Resources"]))
                                                        for r in responses]
