"""SCIM PATCH (RFC 7644 §3.5.2) as the RFC defines it and as Okta and Microsoft Entra ID send it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.scim_tenant import ERROR_URN, PATCH_URN, Tenant

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


@pytest.fixture(scope="module")
def scim():
    """A sync-token client of a fresh emulator."""
    return Tenant().sync()


@pytest.fixture
def user(scim):
    """A User with a title and a work email."""
    return scim.user(title="Engineer", emails=[{"value": "w@mail.example.test", "type": "work", "primary": True}])


def patched(scim, user, *operations):
    """Apply the operations (asserted 200) and return the User as GET shows it."""
    response = scim.patch(f"/Users/{user['id']}", *operations)
    assert 200 == response.status_code, response.text
    return scim.call("GET", f"/Users/{user['id']}").json()


def error(response):
    """(status, scimType) of an error response."""
    return response.status_code, response.json().get("scimType")


def test_okta_deactivates_with_a_pathless_replace(scim, user):
    """Okta: ``{"op":"replace","value":{"active":false}}``, then true again."""
    assert False is patched(scim, user, {"op": "replace", "value": {"active": False}})["active"]
    assert True is patched(scim, user, {"op": "replace", "value": {"active": True}})["active"]


def test_entra_capitalised_ops_and_string_false(scim, user):
    """Entra: Add/Replace/Remove in capitals, and ``"False"`` read as the boolean false."""
    after = patched(scim, user, {"op": "Add", "path": "nickName", "value": "Babs"},
                    {"op": "Replace", "path": "active", "value": "False"}, {"op": "Remove", "path": "title"})
    assert ("Babs", False, None) == (after.get("nickName"), after.get("active"), after.get("title"))


def test_value_path_sub_attribute_replace_and_create(scim, user):
    """``emails[type eq "work"].value`` replaces that value; a valuePath matching nothing creates the entry
    (as Entra expects for phoneNumbers[type eq "work"].value)."""
    after = patched(scim, user, {"op": "replace", "path": 'emails[type eq "work"].value', "value": "n@mail.test"},
                    {"op": "replace", "path": 'phoneNumbers[type eq "work"].value', "value": "555"})
    assert ([("n@mail.test", "work")], [("555", "work")]) == (
        [(e["value"], e["type"]) for e in after["emails"]], [(p["value"], p["type"]) for p in after["phoneNumbers"]])


def test_pathless_value_with_dotted_and_urn_keys(scim, user):
    """Entra (aadOptscim062020): a path-less replace whose keys are ``name.givenName`` and extension URNs."""
    after = patched(scim, user, {"op": "replace", "value": {"name.givenName": "Given",
                                                            f"{ENTERPRISE}:employeeNumber": "42"}})
    assert ("Given", "42") == (after["name"]["givenName"], after[ENTERPRISE]["employeeNumber"])


def test_add_appends_and_remove_by_filter(scim, user):
    """add on emails appends; remove with ``emails[type eq "home"]`` removes only the matching entry."""
    patched(scim, user, {"op": "add", "path": "emails", "value": [{"value": "h@mail.test", "type": "home"}]})
    after = patched(scim, user, {"op": "remove", "path": 'emails[type eq "home"]'})
    assert ["w@mail.example.test"] == [e["value"] for e in after["emails"]]


@pytest.mark.parametrize(("operation", "expected"), [
    ({"op": "remove"}, (400, "noTarget")),
    ({"op": "remove", "path": "nosuchattribute"}, (400, "invalidPath")),
    ({"op": "replace", "path": "", "value": "x"}, (400, "invalidPath")),
    ({"op": "replace", "path": 'emails[type eq "work"', "value": "x"}, (400, "invalidPath")),
    ({"op": "replace", "path": "id", "value": "other"}, (400, "mutability")),
    ({"op": "replace", "path": "meta.created", "value": "2020-01-01T00:00:00Z"}, (400, "mutability")),
    ({"op": "add", "path": "groups", "value": [{"value": "x"}]}, (400, "mutability")),
    ({"op": "replace", "value": {"id": "someone-else"}}, (400, "mutability")),
    ({"op": "remove", "path": "userName"}, (400, "mutability")),
    ({"op": "move", "path": "title"}, (400, "invalidValue")),
    ({"op": "replace", "path": "active", "value": {"deep": 1}}, (400, "invalidValue")),
])
def test_bad_operations(scim, user, operation, expected):
    """RFC 7644 §3.12 scimTypes: noTarget, invalidPath, mutability (readOnly or required), invalidValue."""
    assert expected == error(scim.patch(f"/Users/{user['id']}", operation))


def test_bad_messages(scim, user):
    """No Operations, an empty list, or no PatchOp schema: 400."""
    path = f"/Users/{user['id']}"
    assert [(400, "invalidValue"), (400, "invalidValue"), (400, "invalidValue"), (400, "invalidSyntax")] == [
        error(scim.call("PATCH", path, body)) for body in (
            {"schemas": [PATCH_URN]}, {"schemas": [PATCH_URN], "Operations": []},
            {"Operations": [{"op": "add", "path": "title", "value": "x"}]},
            {"schemas": ["urn:x"], "Operations": [{"op": "add", "path": "title", "value": "x"}]})]


def test_operations_are_all_or_nothing(scim, user):
    """A failing second operation leaves the first one unapplied."""
    response = scim.patch(f"/Users/{user['id']}", {"op": "replace", "path": "title", "value": "Changed"},
                          {"op": "replace", "path": "id", "value": "x"})
    assert (400, "Engineer") == (response.status_code, scim.call("GET", f"/Users/{user['id']}").json()["title"])


def test_no_op_patch_keeps_the_etag(scim, user):
    """Replacing a value with itself changes nothing, so the version stays."""
    response = scim.patch(f"/Users/{user['id']}", {"op": "replace", "path": "title", "value": "Engineer"})
    assert user["meta"]["version"] == response.headers["etag"]


def test_renaming_the_user_name_outside_the_directory_is_refused(scim, user):
    """A new userName must stay in the directory's domains (seed 003): 400 invalidValue."""
    response = scim.patch(f"/Users/{user['id']}", {"op": "replace", "path": "userName", "value": "x@elsewhere.test"})
    assert (400, "invalidValue") == error(response)


def test_group_membership_the_okta_and_entra_ways(scim):
    """Okta add + ``members[value eq]`` remove + ``replace members []``; Entra ``Remove`` with a value list."""
    one, two, three = (scim.user()["id"] for _ in range(3))
    group = scim.group()
    path = f"/Groups/{group['id']}"
    scim.patch(path, {"op": "add", "path": "members", "value": [{"value": one}, {"value": two}, {"value": three}]})
    scim.patch(path, {"op": "remove", "path": f'members[value eq "{one}"]'})
    scim.patch(path, {"op": "Remove", "path": "members", "value": [{"value": two}]})
    members = [m["value"] for m in scim.call("GET", path).json().get("members", [])]
    scim.patch(path, {"op": "replace", "path": "members", "value": []})
    assert ([three], None) == (members, scim.call("GET", path).json().get("members"))


def test_okta_rename_repeating_the_group_id(scim):
    """Okta sends ``replace {"id": <own id>, "displayName": ...}``: the unchanged id is accepted."""
    group = scim.group()
    response = scim.patch(f"/Groups/{group['id']}", {"op": "replace",
                                                     "value": {"id": group["id"], "displayName": "Renamed"}})
    assert (200, "Renamed", group["id"]) == (response.status_code, response.json()["displayName"],
                                              response.json()["id"])


def test_unknown_members_and_empty_names_are_refused(scim):
    """A member id that is no User or Group, or an emptied displayName: 400 invalidValue."""
    group = scim.group()
    unknown = scim.patch(f"/Groups/{group['id']}", {"op": "add", "path": "members", "value": [{"value": "nope"}]})
    emptied = scim.patch(f"/Groups/{group['id']}", {"op": "replace", "path": "displayName", "value": " "})
    assert [(400, "invalidValue"), (400, "invalidValue")] == [error(unknown), error(emptied)]


ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=60)
PATH_LIKE = st.one_of(ANY_TEXT, st.from_regex(r"[a-zA-Z:.\[\] \"=]{0,40}", fullmatch=True),
                      st.sampled_from(['emails[type eq "work"].value', "name.givenName", "members[value eq ",
                                       "urn:ietf:params:scim:schemas:core:2.0:User:title", "emails[", "]", ""]))
VALUES = st.one_of(st.none(), st.text(max_size=10), st.booleans(), st.integers(), st.lists(st.text(max_size=5)))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=PATH_LIKE, op=st.sampled_from(["add", "replace", "remove", "Replace", "REMOVE", "move"]), value=VALUES)
def test_any_patch_path_is_applied_or_refused_in_the_scim_dialect(scim, user, path, op, value):
    """Issue 8: an arbitrary string as a PATCH path (and any value) is applied or refused with a SCIM Error
    (RFC 7644 §3.12: invalidPath, invalidValue, noTarget, ...), never a 5xx and never a non-SCIM body."""
    operation = {"op": op, "path": path} | ({} if value is None else {"value": value})
    response = scim.patch(f"/Users/{user['id']}", operation)
    if response.status_code >= 400:
        assert (True, [ERROR_URN]) == (response.status_code in (400, 409), response.json()["schemas"])
    else:
        assert 200 == response.status_code


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(expression=ANY_TEXT)
def test_any_filter_string_is_answered_or_refused_in_the_scim_dialect(scim, expression):
    """Issue 8: an arbitrary string as ``filter`` gets a ListResponse or a 400 SCIM Error (``invalidFilter``), never
    a 5xx."""
    response = scim.call("GET", "/Users", params={"filter": expression, "count": 1})
    expected = (200, None) if response.status_code == 200 else (400, "invalidFilter")
    assert expected == (response.status_code, response.json().get("scimType"))
