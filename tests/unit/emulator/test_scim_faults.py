"""Each SCIM fault produces exactly its deviation (the same steps pass without it, see the other test_scim_* files)."""

from __future__ import annotations

from conformance.emulator.core.faults import REGISTRY
from tests.support.scim_tenant import USER_URN, Tenant


def faulty(name):
    """A sync-token client of an emulator started with one fault."""
    assert name in REGISTRY
    return Tenant(name).sync()


def test_every_scim_fault_names_scim_requirements():
    """The family declares 10-14 faults, each naming SCIM-NNN requirement IDs."""
    declared = [fault for fault in REGISTRY.values() if fault.family == "scim"]
    assert (True, True) == (10 <= len(declared) <= 14,
                            all(r.startswith("SCIM-") for fault in declared for r in fault.requirements))


def test_filter_co_ignored():
    """scim-filter-co-ignored: ``userName co`` matches everybody."""
    scim = faulty("scim-filter-co-ignored")
    scim.user(scim.name("alpha")), scim.user(scim.name("bravo"))
    assert 2 == scim.list(filter='userName co "alpha"')["totalResults"]


def test_paging_off_by_one():
    """scim-paging-off-by-one: startIndex=1 skips the first User."""
    scim = faulty("scim-paging-off-by-one")
    first, second = scim.user(), scim.user()
    assert [second["id"]] == [r["id"] for r in scim.list(startIndex=1, count=1)["Resources"]]
    assert first["id"] != second["id"]


def test_total_results_page_only():
    """scim-total-results-page-only: totalResults equals the page size."""
    scim = faulty("scim-total-results-page-only")
    scim.user(), scim.user(), scim.user()
    assert 1 == scim.list(count=1)["totalResults"]


def test_patch_remove_ignored():
    """scim-patch-remove-ignored: remove answers 200 and the title stays."""
    scim = faulty("scim-patch-remove-ignored")
    user = scim.user(title="Kept")
    response = scim.patch(f"/Users/{user['id']}", {"op": "remove", "path": "title"})
    assert (200, "Kept") == (response.status_code, response.json()["title"])


def test_etag_unchanged():
    """scim-etag-unchanged: a modification keeps the old ETag."""
    scim = faulty("scim-etag-unchanged")
    user = scim.user()
    response = scim.patch(f"/Users/{user['id']}", {"op": "add", "path": "title", "value": "New"})
    assert user["meta"]["version"] == response.headers["etag"]


def test_if_match_ignored():
    """scim-if-match-ignored: a stale If-Match still applies the change."""
    scim = faulty("scim-if-match-ignored")
    user = scim.user()
    response = scim.patch(f"/Users/{user['id']}", {"op": "add", "path": "title", "value": "New"},
                          headers={"If-Match": 'W/"999"'})
    assert 200 == response.status_code


def test_user_name_case_sensitive():
    """scim-username-case-sensitive: the upper-case spelling is a second User."""
    scim = faulty("scim-username-case-sensitive")
    user = scim.user()
    again = scim.call("POST", "/Users", {"schemas": [USER_URN], "userName": user["userName"].upper()})
    assert 201 == again.status_code


def test_deleted_user_readable():
    """scim-deleted-user-readable: after DELETE the User is still readable by id, but not listed."""
    scim = faulty("scim-deleted-user-readable")
    user = scim.user()
    scim.call("DELETE", f"/Users/{user['id']}")
    assert (200, 0) == (scim.call("GET", f"/Users/{user['id']}").status_code,
                        scim.list(filter=f'userName eq "{user["userName"]}"')["totalResults"])


def test_member_kept_on_user_delete():
    """scim-member-kept-on-user-delete: the deleted User stays among the Group's members."""
    scim = faulty("scim-member-kept-on-user-delete")
    user = scim.user()
    group = scim.group(members=[user["id"]])
    scim.call("DELETE", f"/Users/{user['id']}")
    assert [user["id"]] == [m["value"] for m in scim.call("GET", f"/Groups/{group['id']}").json()["members"]]


def test_entra_string_false_rejected():
    """scim-entra-string-false-rejected: ``"False"`` for active is 400 invalidValue."""
    scim = faulty("scim-entra-string-false-rejected")
    user = scim.user()
    response = scim.patch(f"/Users/{user['id']}", {"op": "Replace", "path": "active", "value": "False"})
    assert (400, "invalidValue") == (response.status_code, response.json()["scimType"])


def test_location_header_missing():
    """scim-location-header-missing: 201 without Location."""
    scim = faulty("scim-location-header-missing")
    response = scim.call("POST", "/Users", {"schemas": [USER_URN], "userName": scim.name()})
    assert (201, None) == (response.status_code, response.headers.get("location"))


def test_conflict_without_scim_type():
    """scim-conflict-without-scimtype: 409 with no scimType."""
    scim = faulty("scim-conflict-without-scimtype")
    user = scim.user()
    again = scim.call("POST", "/Users", {"schemas": [USER_URN], "userName": user["userName"]})
    assert (409, None) == (again.status_code, again.json().get("scimType"))


def test_excluded_attributes_ignored():
    """scim-excluded-attributes-ignored: excludedAttributes=title still returns the title."""
    scim = faulty("scim-excluded-attributes-ignored")
    user = scim.user(title="Shown")
    fetched = scim.call("GET", f"/Users/{user['id']}", params={"excludedAttributes": "title"}).json()
    assert "Shown" == fetched["title"]


def test_sort_order_ignored():
    """scim-sort-order-ignored: descending comes back ascending."""
    scim = faulty("scim-sort-order-ignored")
    names = sorted(scim.user()["userName"].lower() for _ in range(3))
    body = scim.list(sortBy="userName", sortOrder="descending")
    assert names == [r["userName"].lower() for r in body["Resources"]]
