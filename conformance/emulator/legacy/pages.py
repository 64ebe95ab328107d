"""Listing SCIM 1.1 resources: filter, sort, and page with startIndex/count.

S4 ResourcesOfUserResource: "totalResults int64, startIndex int64, itemsPerPage int32, Resources (capital R)";
clients page with ``startIndex += itemsPerPage`` until totalResults is reached (omnissa-api.md §7.2), so
itemsPerPage is the number of resources in this page (RFC 7644 §3.4.2). startIndex is 1-based (values below 1
count as 1) and count defaults to 20 (S6); a negative count counts as 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from conformance.emulator.core.context import Context
from conformance.emulator.legacy import errors, faults
from conformance.emulator.legacy.filters import Predicate, parse, values_of

CORE_SCHEMA = "urn:scim:schemas:core:1.0"
DEFAULT_COUNT = 20
MAX_COUNT = 1000
INTEGER = re.compile(r"^[-+]?[0-9]{1,64}$")
MAX_START = 2**31 - 1
KNOWN = frozenset({"filter", "startIndex", "count", "sortBy", "sortOrder", "attributes"})


@dataclass(frozen=True)
class Query:
    """The list parameters of one request."""

    predicate: Predicate | None
    start: int
    count: int
    sort_by: str | None
    descending: bool


def query(request: Request, blind: frozenset[str] = frozenset()) -> Query:
    """Validated list parameters (400 ``request.parameter.invalid`` / ``scim.filter.invalid``). A blank filter or
    sortBy counts as absent; sortBy on an attribute no resource has keeps the creation order; ``attributes`` is
    accepted and ignored (full resources are returned)."""
    params = request.query_params
    for name in KNOWN:
        if len(params.getlist(name)) > 1:
            raise errors.parameter_invalid(name, "given more than once")
    text = params.get("filter", "")
    predicate = parse(text, blind) if text.strip() else None
    start = min(max(_integer(params, "startIndex", 1), 1), MAX_START)
    count = min(max(_integer(params, "count", DEFAULT_COUNT), 0), MAX_COUNT)
    order = params.get("sortOrder", "ascending")
    if order not in ("ascending", "descending"):
        raise errors.parameter_invalid("sortOrder", "ascending or descending")
    return Query(predicate, start, count, params.get("sortBy", "").strip() or None, order == "descending")


def _integer(params: Any, name: str, default: int) -> int:
    value = params.get(name)
    if value is None:
        return default
    if not INTEGER.match(value.strip()):
        raise errors.parameter_invalid(name, "an integer")
    return int(value)


def page(ctx: Context, resources: list[dict[str, Any]], q: Query) -> dict[str, Any]:
    """The list response for ``resources`` (already in creation order)."""
    matching = [item for item in resources if q.predicate is None or q.predicate(item)]
    if q.sort_by:
        matching.sort(key=lambda item: _sort_key(item, str(q.sort_by)), reverse=q.descending)
    selected = matching[q.start - 1:q.start - 1 + q.count]
    per_page = len(matching) if ctx.faults.on(faults.ITEMS_PER_PAGE_TOTAL) else len(selected)
    key = "resources" if ctx.faults.on(faults.LOWERCASE_RESOURCES) else "Resources"
    return {"schemas": [CORE_SCHEMA], "totalResults": len(matching), "itemsPerPage": per_page,
            "startIndex": q.start, key: selected}


def _sort_key(item: dict[str, Any], attribute: str) -> tuple[int, str]:
    values = [value for value in values_of(item, attribute) if value is not None]
    if not values:
        return (1, "")
    value = values[0]
    return (0, value.lower() if isinstance(value, str) else f"{value!r:>32}")
