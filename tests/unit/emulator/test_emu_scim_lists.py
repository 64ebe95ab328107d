"""SCIM list responses (RFC 7644 §3.4.2-§3.4.3): paging, sorting, attribute selection, POST /.search."""

from __future__ import annotations

import json

import pytest

from conformance.emulator.scim import store as rows
from tests.support.scim_tenant import SEARCH_URN, Tenant

TITLES = ["b", None, "a", "c", None]


@pytest.fixture(scope="module")
def crowd():
    """(scim client, [users]): five Users in creation order, some without a title."""
    scim = Tenant().sync()
    users = [scim.user(scim.name(f"u{n}"), **({"title": title} if title else {})) for n, title in enumerate(TITLES)]
    return scim, users


def ids(body):
    """The ids of a ListResponse's resources."""
    return [item["id"] for item in body["Resources"]]


def test_paging_windows_and_clamping(crowd):
    """startIndex is 1-based (below 1 reads as 1), a negative count as 0; pages follow creation order."""
    scim, users = crowd
    every = [u["id"] for u in users]
    pages = [scim.list(startIndex=start, count=2) for start in (1, 3, 5, 0, -7)]
    assert [every[0:2], every[2:4], every[4:5], every[0:2], every[0:2]] == [ids(p) for p in pages]
    assert [(1, 2, 5), (5, 1, 5)] == [(p["startIndex"], p["itemsPerPage"], p["totalResults"]) for p in pages[::2][:2]]
    none = scim.list(count=-3)
    assert (5, [], 0) == (none["totalResults"], none["Resources"], none["itemsPerPage"])


def test_count_is_capped_at_max_results():
    """filter.maxResults is 1000: count=5000 answers at most 1000 resources (and a default page is 100)."""
    tenant = Tenant()
    scim = tenant.sync()
    store = tenant.client.app.state.context.store
    now = rows.stamp(0)
    with store.tx() as db:
        for n in range(1005):
            attributes = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": f"bulk{n}@x"}
            db.execute("INSERT INTO scim_users (id, directory_id, name_key, created, last_modified, version, "
                       "resource) VALUES (?, ?, ?, ?, ?, 1, ?)", (f"id{n}", scim.directory_id, f"bulk{n}@x", now,
                                                                    now, json.dumps(attributes)))
    capped, default = scim.list(count=5000), scim.list()
    assert (1005, 1000, 100) == (capped["totalResults"], capped["itemsPerPage"], default["itemsPerPage"])


@pytest.mark.parametrize(("order", "expected"), [
    ("ascending", ["a", "b", "c", None, None]),
    ("descending", [None, None, "c", "b", "a"]),
])
def test_sort_by_a_non_indexed_attribute(crowd, order, expected):
    """sortBy title: missing values last when ascending, first when descending (RFC 7644 §3.4.2.3)."""
    scim, _ = crowd
    body = scim.list(sortBy="title", sortOrder=order)
    assert expected == [item.get("title") for item in body["Resources"]]


def test_sort_by_user_name_pages_continue(crowd):
    """sortBy=userName descending, paged by 2, gives one descending run."""
    scim, users = crowd
    names = [item["userName"] for start in (1, 3, 5)
             for item in scim.list(sortBy="userName", sortOrder="descending", startIndex=start, count=2)["Resources"]]
    assert sorted((u["userName"] for u in users), key=str.lower, reverse=True) == names


def test_bad_paging_and_sorting_parameters(crowd):
    """A non-integer startIndex or count, an unknown sortOrder: 400; a sortBy naming no attribute is ignored
    (RFC 7644 §3.4.2.3 defines no error): the default order."""
    scim, users = crowd
    for params in ({"startIndex": "one"}, {"count": "1.5"}, {"sortOrder": "sideways"}):
        assert 400 == scim.call("GET", "/Users", params=params).status_code
    assert [u["id"] for u in users] == ids(scim.list(sortBy="nosuchattribute"))


@pytest.mark.parametrize(("body", "scim_type"), [
    ({"startIndex": "1"}, "invalidValue"), ({"count": True}, "invalidValue"), ({"count": 2.5}, "invalidValue"),
    ({"attributes": "userName"}, "invalidValue"), ({"filter": 7}, "invalidValue"),
    ({"sortOrder": "up"}, "invalidValue"), ({"filter": "title zz 1"}, "invalidFilter"),
])
def test_search_request_types(crowd, body, scim_type):
    """POST /.search takes JSON integers, strings and arrays as the SearchRequest schema declares them."""
    response = crowd[0].call("POST", "/Users/.search", {"schemas": [SEARCH_URN], **body})
    assert (400, scim_type) == (response.status_code, response.json()["scimType"])


def test_attributes_and_excluded_attributes(crowd):
    """attributes=userName keeps id, schemas and userName; excludedAttributes=title drops title only (id is
    returned always); with both, attributes wins; names of no attribute are ignored."""
    scim, users = crowd
    user_id = users[0]["id"]
    only = scim.call("GET", f"/Users/{user_id}", params={"attributes": "userName"}).json()
    without = scim.call("GET", f"/Users/{user_id}", params={"excludedAttributes": "title,id"}).json()
    assert ["id", "schemas", "userName"] == sorted(only)
    assert ("title" not in without, user_id, users[0]["userName"]) == (True, without["id"], without["userName"])
    both = scim.call("GET", f"/Users/{user_id}", params={"attributes": "userName,title,0bad",
                                                         "excludedAttributes": "userName"}).json()
    assert ["id", "schemas", "title", "userName"] == sorted(both)


def test_groups_without_members_as_entra_asks(crowd):
    """``GET /Groups?excludedAttributes=members&filter=displayName eq`` (Entra) leaves members out."""
    scim, users = crowd
    group = scim.group(members=[users[0]["id"]])
    body = scim.list("/Groups", filter=f'displayName eq "{group["displayName"].upper()}"',
                     excludedAttributes="members")
    assert ([group["id"]], False) == (ids(body), "members" in body["Resources"][0])


def test_post_search_with_attribute_lists(crowd):
    """POST /Users/.search takes attributes as an array, count and sortBy like GET."""
    scim, _ = crowd
    body = {"schemas": [SEARCH_URN], "filter": "title pr", "sortBy": "title", "attributes": ["title"], "count": 2}
    found = scim.call("POST", "/Users/.search", body).json()
    assert (3, ["a", "b"], {"id", "schemas", "title"}) == (
        found["totalResults"], [r["title"] for r in found["Resources"]], set(found["Resources"][0]))
