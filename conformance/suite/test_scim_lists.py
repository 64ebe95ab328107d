"""SCIM list responses (RFC 7644 §3.4.2-§3.4.3): paging, sorting, attribute selection, POST /.search."""

from __future__ import annotations

import pytest

from conformance.checks import scim as check
from conformance.checks.core import require
from conformance.target.scim_client import SEARCH_SCHEMA

pytestmark = pytest.mark.scim_generic

CROWD_SIZE = 25
PAGE_SIZE = 7


@pytest.fixture(scope="module")
def crowd(scim, scim_names, service_provider_config):
    """``(label, ids)`` of 25 Users sharing a label, so ``userName sw "<label>"`` selects exactly them."""
    if not (service_provider_config.get("filter") or {}).get("supported"):
        pytest.skip("server does not claim filtering support (ServiceProviderConfig.filter.supported=false)")
    label = scim_names.label("page")
    ids = [check.created(scim.create_user(scim_names.user(label=f"{label}-{n:02d}")))["id"]
           for n in range(CROWD_SIZE)]
    return label, ids


def page(scim, label, start, **params):
    """One page of the crowd (``startIndex=start``, ``count=7``)."""
    return scim.get("/Users", filter=f'userName sw "{label}"', startIndex=start, count=PAGE_SIZE, **params)


@pytest.mark.requirement("SCIM-015", "SCIM-014")
def test_paging_visits_every_user_once(scim, crowd):
    """Pages of 7 from startIndex 1, 8, 15, 22 return all 25 Users once each, with totalResults 25 every time."""
    label, ids = crowd
    seen: list[str] = []
    for start in range(1, CROWD_SIZE + 1, PAGE_SIZE):
        response = page(scim, label, start)
        body = check.paged(response)
        require("SCIM-015", CROWD_SIZE == body["totalResults"], f"totalResults {body['totalResults']!r}", response)
        require("SCIM-014", start == body["startIndex"], f"startIndex {body['startIndex']!r}", response)
        require("SCIM-014", len(body["Resources"]) == body["itemsPerPage"] <= PAGE_SIZE,
                f"itemsPerPage {body['itemsPerPage']!r} for {len(body['Resources'])} resources", response)
        seen.extend(str(item["id"]) for item in body["Resources"])
    duplicates = sorted({i for i in seen if seen.count(i) > 1})
    require("SCIM-015", [] == duplicates, f"Users returned on two pages: {duplicates}")
    require("SCIM-015", sorted(ids) == sorted(seen), f"missing from the pages: {sorted(set(ids) - set(seen))}")


@pytest.mark.requirement("SCIM-014")
def test_count_zero_returns_only_the_total(scim, crowd):
    """count=0: "no resource results are to be returned except for totalResults" (RFC 7644 §3.4.2.4)."""
    label, _ = crowd
    response = scim.get("/Users", filter=f'userName sw "{label}"', count=0)
    body = check.listed(response)
    require("SCIM-014", CROWD_SIZE == body["totalResults"], f"totalResults {body['totalResults']!r}", response)
    require("SCIM-014", [] == body["Resources"], f"{len(body['Resources'])} resources for count=0", response)


@pytest.mark.requirement("SCIM-016")
@pytest.mark.parametrize(("order", "reverse"), [(None, False), ("ascending", False), ("descending", True)])
def test_sort_by_user_name(scim, crowd, scim_supports, order, reverse):
    """sortBy=userName orders the crowd ascending by default and descending on request."""
    scim_supports("sort")
    label, _ = crowd
    params = {"sortBy": "userName", **({"sortOrder": order} if order else {})}
    response = scim.get("/Users", filter=f'userName sw "{label}"', count=100, **params)
    names = [str(item.get("userName")).lower() for item in check.listed(response, "SCIM-016")["Resources"]]
    require("SCIM-016", sorted(names, reverse=reverse) == names, f"{order or 'default'} order broken: {names}",
            response)


@pytest.mark.requirement("SCIM-016")
def test_sorted_pages_continue_each_other(scim, crowd, scim_supports):
    """With sortBy, consecutive pages continue the same order (page 2 starts after page 1 ends)."""
    scim_supports("sort")
    label, _ = crowd
    first = check.listed(page(scim, label, 1, sortBy="userName"), "SCIM-016")["Resources"]
    second = check.listed(page(scim, label, 1 + PAGE_SIZE, sortBy="userName"), "SCIM-016")["Resources"]
    names = [str(item.get("userName")).lower() for item in first + second]
    require("SCIM-016", sorted(names) == names and len(set(names)) == len(names),
            f"pages 1-2 are not one ascending run: {names}")


@pytest.mark.requirement("SCIM-017")
def test_attributes_selects_what_is_returned(scim, scim_names):
    """GET /Users/{id}?attributes=userName returns id and userName but not name, emails or displayName."""
    user = check.created(scim.create_user(scim_names.user()))
    response = scim.get(f"/Users/{user['id']}", attributes="userName")
    body = check.resource("SCIM-017", response)
    require("SCIM-017", user["userName"] == body.get("userName"), "userName missing", response)
    extra = sorted({"name", "emails", "displayName"} & set(body))
    require("SCIM-017", [] == extra, f"attributes=userName still returned {extra}", response)


@pytest.mark.requirement("SCIM-017")
def test_excluded_attributes_removes_them(scim, scim_names):
    """GET /Users?excludedAttributes=emails returns the Users without emails but with id and userName."""
    user = check.created(scim.create_user(scim_names.user()))
    response = scim.get("/Users", filter=f'userName eq "{user["userName"]}"', excludedAttributes="emails")
    resources = check.listed(response, "SCIM-017")["Resources"]
    require("SCIM-017", 1 == len(resources), f"expected the one User, got {len(resources)}", response)
    require("SCIM-017", "emails" not in resources[0], "excludedAttributes=emails still returned emails", response)
    require("SCIM-017", user["id"] == resources[0].get("id"), "id is returned always, yet missing", response)


@pytest.mark.requirement("SCIM-032")
def test_post_search_matches_get(scim, crowd):
    """POST /Users/.search with a SearchRequest returns the same Users as the GET filter."""
    label, ids = crowd
    body = {"schemas": [SEARCH_SCHEMA], "filter": f'userName sw "{label}"', "startIndex": 1, "count": 100}
    response = scim.request("POST", "/Users/.search", body)
    found = check.listed_ids("SCIM-032", response)
    require("SCIM-032", sorted(ids) == sorted(found), f"/.search found {len(found)} of {len(ids)} Users", response)
