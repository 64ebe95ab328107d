"""GET /acs/broker/oauth2-clients: 1-based pages of page_size clients with consistent totals."""

from __future__ import annotations

import math
import time

import pytest

from conformance.checks.core import require
from conformance.checks.legacy import admin_envelope
from conformance.checks.scim import json_object, status_is

TOTALS = ("totalCount", "pageNumber", "totalPages", "pageSize")
MAX_WALKS = 8
PAGES = 4
OWN_CLIENTS = 3


def page_of(response):
    """One list page: 200, an items array and integer totals (CLIENT-010). Returns the body."""
    status_is("CLIENT-010", response, 200)
    body = json_object("CLIENT-010", response)
    require("CLIENT-010", isinstance(body.get("items"), list), "the page has no items array", response)
    for name in TOTALS:
        value = body.get(name)
        require("CLIENT-010", isinstance(value, int) and not isinstance(value, bool) and value >= 0,
                f"{name} must be a non-negative integer, got {value!r}", response)
    return body


def walk(client_admin, page_size):
    """Every page as a body; walks again until two walks agree (other writers may change the list meanwhile)."""
    previous = None
    for attempt in range(MAX_WALKS):
        pages = [page_of(response) for response in client_admin.pages(page_size)]
        shape = [([item.get("client_id") for item in page["items"]], page["totalCount"]) for page in pages]
        if shape == previous:
            return pages
        previous = shape
        time.sleep(0.05 * attempt)
    pytest.skip(f"the client list changed during each of {MAX_WALKS} walks (other writers); paging not judged")


def page_size_for(client_admin):
    """About PAGES pages (at least 2 clients a page), so a walk is short and still crosses page boundaries."""
    total = page_of(client_admin.list(start_index=1, page_size=1))["totalCount"]
    return max(2, math.ceil(total / PAGES))


def pages_are_full(pages, page_size):
    """Every page but the last holds page_size items, the last at most that; pageSize echoes page_size;
    pageNumbers are consecutive; totalPages is ceil(totalCount / page_size)."""
    first = pages[0]
    require("CLIENT-010", math.ceil(first["totalCount"] / page_size) == first["totalPages"],
            f"totalPages {first['totalPages']} for totalCount {first['totalCount']} and page_size {page_size}")
    for index, page in enumerate(pages):
        size, last = len(page["items"]), index == len(pages) - 1
        require("CLIENT-010", page_size == page["pageSize"], f"page {index + 1}: pageSize {page['pageSize']}")
        require("CLIENT-010", first["pageNumber"] + index == page["pageNumber"],
                f"page {index + 1}: pageNumber {page['pageNumber']} after {first['pageNumber']} on page 1")
        require("CLIENT-010", size <= page_size and (last or size == page_size),
                f"page {index + 1} of {len(pages)} has {size} items for page_size {page_size}")


@pytest.mark.requirement("CLIENT-010")
def test_pages_hold_every_client_once(client_admin, new_client):
    """Pages 1..totalPages are full but the last, numbered consecutively, and together list totalCount distinct
    clients, the run's own among them."""
    own = {new_client().client_id for _ in range(OWN_CLIENTS)}
    page_size = page_size_for(client_admin)
    pages = walk(client_admin, page_size)
    pages_are_full(pages, page_size)
    listed = [item.get("client_id") for page in pages for item in page["items"]]
    duplicates = sorted({client_id for client_id in listed if listed.count(client_id) > 1})
    require("CLIENT-010", [] == duplicates, f"clients listed twice: {duplicates}")
    total = pages[0]["totalCount"]
    require("CLIENT-010", total == len(listed), f"the pages hold {len(listed)} clients, totalCount says {total}")
    missing = sorted(own - set(listed))
    require("CLIENT-010", [] == missing, f"own clients missing from the pages: {missing}")


@pytest.mark.requirement("CLIENT-010")
def test_start_index_defaults_to_the_first_page(client_admin, new_client):
    """Without start_index the list answers page 1 (pages start at 1): the same clients as start_index=1."""
    new_client()
    for _ in range(MAX_WALKS):  # retried only while other writers change totalCount in between
        default = page_of(client_admin.list(page_size=2))
        explicit = page_of(client_admin.list(start_index=1, page_size=2))
        if default["totalCount"] == explicit["totalCount"]:
            break
    require("CLIENT-010", [item.get("client_id") for item in explicit["items"]]
            == [item.get("client_id") for item in default["items"]], "the default page is not start_index=1")


@pytest.mark.requirement("CLIENT-011")
@pytest.mark.parametrize(("parameter", "value"), [("start_index", "0"), ("start_index", "-1"),
                                                  ("start_index", "first"), ("page_size", "0"),
                                                  ("page_size", "-5")])
def test_invalid_paging_parameters_are_400(client_admin, parameter, value):
    """start_index below 1 or not a number, and page_size below 1, answer 400 in the admin envelope."""
    admin_envelope("CLIENT-011", client_admin.list(**{parameter: value}), 400)
