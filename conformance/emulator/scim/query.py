"""Queries (RFC 7644 §3.4.2, §3.4.3): GET with parameters or POST /.search; filter, sort, page, project.

The request is validated by scim2-models' ``SearchRequest`` (startIndex below 1 reads as 1, a negative count as 0,
filter syntax and attributes, sortBy). A filter the SQL translation serves exactly, with a sort on an indexed
column (or none), is counted and paged by SQLite; any other query evaluates its candidates with scim2-models.
The default order is creation order (stable across pages, whatever count and startIndex are).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

import scim2_models as sm
from pydantic import ValidationError
from starlette.requests import Request

from conformance.emulator.core.context import Context
from conformance.emulator.core.errors import ScimError
from conformance.emulator.scim import faults, render, strict
from conformance.emulator.scim.filters import Sql, bound, mentions, translate, without_contains
from conformance.emulator.scim.models import GROUPS, SEARCH_URN, USERS, Kind, guarded, require_object, require_schemas
from conformance.emulator.scim.store import scope_sql
from conformance.emulator.scim.writes import name_key

LIST_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
MAX_RESULTS = 1000
DEFAULT_COUNT = 100
MAX_FILTER_LENGTH = 2000
MAX_START = 2**62
UNIQUE_COLUMNS = ("name_key", "id")
QUERY_KEYS = ("filter", "sortBy", "sortOrder", "startIndex", "count")
SORT_COLUMNS: dict[str, dict[str, str]] = {
    USERS.name: {"username": "name_key", "displayname": "display_key"},
    GROUPS.name: {"displayname": "name_key"},
}
COMMON_SORTS = {"externalid": "external_id", "id": "id", "meta.created": "created",
                "meta.lastmodified": "last_modified"}


@dataclass(frozen=True)
class Search:
    """A validated query: the scim2-models SearchRequest plus the response parameters."""

    request: Any
    parameters: Any


def from_query(ctx: Context, kind: Kind, request: Request) -> Search:
    """The query of ``GET /Users`` or ``GET /Groups``."""
    query = request.query_params
    return _search(ctx, kind, {key: query[key] for key in QUERY_KEYS if key in query},
                   query.get("attributes"), query.get("excludedAttributes"))


def from_body(ctx: Context, kind: Kind, body: Any) -> Search:
    """The SearchRequest of ``POST /.search`` (RFC 7644 §3.4.3)."""
    payload = require_object(body, "SearchRequest message")
    require_schemas(payload, SEARCH_URN)
    strict.check_search(payload)
    request = {key: value for key, value in payload.items() if key in (*QUERY_KEYS, "schemas")}  # others ignored
    return _search(ctx, kind, request, payload.get("attributes"), payload.get("excludedAttributes"))


def _search(ctx: Context, kind: Kind, payload: dict[str, Any], attributes: Any, excluded: Any) -> Search:
    expression = payload.get("filter")
    if isinstance(expression, str) and len(expression) > MAX_FILTER_LENGTH:
        raise ScimError(400, f"The filter is longer than {MAX_FILTER_LENGTH} characters.", "invalidFilter")
    if isinstance(expression, str) and not expression.strip():  # ``filter=`` asks for no filtering
        payload = {key: value for key, value in payload.items() if key != "filter"}
    if "sortBy" in payload and not _sortable(kind, payload["sortBy"]):
        payload = {key: value for key, value in payload.items() if key != "sortBy"}
    request = guarded(lambda: kind.search_request.model_validate(payload, scim_ctx=sm.Context.SEARCH_REQUEST))
    return Search(request, render.response_parameters(ctx, kind, attributes, excluded))


def _sortable(kind: Kind, sort_by: Any) -> bool:
    """Does sortBy name an attribute the resources can be sorted on? RFC 7644 §3.4.2.3 defines no error for one
    that does not: such a query is answered in the default order."""
    try:
        kind.search_request.model_validate({"sortBy": sort_by}, scim_ctx=sm.Context.SEARCH_REQUEST)
    except (ValidationError, sm.SCIMException):
        return False
    return True


def _sort_column(kind: Kind, sort_by: Any) -> str | None:
    name = str(sort_by)
    if name.lower().startswith(kind.core_urn.lower() + ":"):
        name = name[len(kind.core_urn) + 1:]
    return {**COMMON_SORTS, **SORT_COLUMNS[kind.name]}.get(name.lower())


def _descending(ctx: Context, search: Search) -> bool:
    return (search.request.sort_order == sm.SearchRequest.SortOrder.descending
            and not ctx.faults.on(faults.SORT_ORDER_IGNORED))


def _order_by(ctx: Context, kind: Kind, search: Search) -> str | None:
    """The ORDER BY of the query, or None when the sort needs scim2-models."""
    if search.request.sort_by is None:
        return "seq"
    column = _sort_column(kind, search.request.sort_by)
    if column is None:
        return None
    if column in UNIQUE_COLUMNS:  # never NULL, never tied: the index gives the order
        return f"{column} DESC" if _descending(ctx, search) else column
    if _descending(ctx, search):
        return f"({column} IS NULL) DESC, {column} DESC, seq"
    return f"({column} IS NULL), {column}, seq"


def _window(ctx: Context, search: Search) -> tuple[int, int, int]:
    """(startIndex, offset, count) of the requested page."""
    start = min(search.request.start_index or 1, MAX_START)
    count = DEFAULT_COUNT if search.request.count is None else min(search.request.count, MAX_RESULTS)
    offset = start if ctx.faults.on(faults.PAGING_OFF_BY_ONE) else start - 1
    return start, offset, count


def _filter_sql(ctx: Context, kind: Kind, node: Any) -> Sql:
    if node is None:
        return Sql("1", (), True)
    return translate(kind, node, lambda value: name_key(ctx, kind, value))


def _in_python(ctx: Context, kind: Kind, db: sqlite3.Connection, rows: list[sqlite3.Row], node: Any,
               search: Search, scope: str | None, base: str) -> list[sqlite3.Row]:
    """Rows matching the filter (scim2-models ``match``), in the requested order (``SearchRequest.sort``)."""
    if node is None and search.request.sort_by is None:
        return rows
    needs_related = node is not None and mentions(node, kind.related)
    entries = render.related(db, kind, [row["id"] for row in rows], scope) if needs_related else {}
    scim_filter = bound(kind, node) if node is not None else None
    pairs = []
    for row in rows:
        model = render.model_of(kind, render.full(kind, row, entries.get(row["id"], []), base))
        if scim_filter is None or scim_filter.match(model):
            pairs.append((row, model))
    if search.request.sort_by is not None:
        def key(pair: tuple[sqlite3.Row, Any]) -> tuple[bool, Any]:
            value = search.request.sort_value(pair[1])
            return value is None, value if value is not None else ""
        pairs.sort(key=key, reverse=_descending(ctx, search))
    return [row for row, _ in pairs]


def _where(ctx: Context, sql: Sql, scope: str | None, hint: bool) -> tuple[str, tuple[Any, ...]]:
    scope_where, scope_params = scope_sql(scope, hint=hint)
    hidden = "deleted = 0 AND " if ctx.faults.on(faults.DELETED_USER_READABLE) else ""  # only that fault flags rows
    return f"{hidden}{scope_where} AND ({sql.where})", (*scope_params, *sql.params)


_COUNTS: dict[tuple[Any, ...], int] = {}
_CURSORS: dict[tuple[Any, ...], int] = {}
CURSOR_STATES = 256


def _in_sql(ctx: Context, db: sqlite3.Connection, kind: Kind, sql: Sql, order: str, scope: str | None,
            window: tuple[int, int]) -> tuple[int, list[sqlite3.Row]]:
    """Count and page in SQLite; the page query skips the directory index when a unique sort column orders it.

    Per database state (``total_changes``: any write invalidates) the count and the ``seq`` ending each page served
    in creation order are remembered, so a sequential walk reads ``seq > ?`` instead of stepping over OFFSET rows:
    the last page of 100k users costs what the first does (bench/README.md, paging).
    """
    where, params = _where(ctx, sql, scope, sql.indexed)
    state = (id(db), db.total_changes, kind.table, where, tuple(params))
    if state not in _COUNTS:
        if len(_COUNTS) > CURSOR_STATES:
            _COUNTS.clear()
            _CURSORS.clear()
        _COUNTS[state] = db.execute(f"SELECT COUNT(*) FROM {kind.table} WHERE {where}", params).fetchone()[0]
    count, offset = window
    after = _CURSORS.get((state, offset)) if order == "seq" else None
    if after is None:
        where, params = _where(ctx, sql, scope, sql.indexed or order.split()[0] in UNIQUE_COLUMNS)
        page = db.execute(f"SELECT * FROM {kind.table} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                          (*params, *window)).fetchall()
    else:
        page = db.execute(f"SELECT * FROM {kind.table} WHERE ({where}) AND seq > ? ORDER BY seq LIMIT ?",
                          (*params, after, count)).fetchall()
    if order == "seq" and page:
        _CURSORS[(state, offset + len(page))] = page[-1]["seq"]
    return _COUNTS[state], page


def run(ctx: Context, kind: Kind, search: Search, scope: str | None, base: str) -> dict[str, Any]:
    """The ListResponse of a query over the resources visible in ``scope``."""
    node = search.request.filter.ast if search.request.filter is not None else None
    if node is not None and ctx.faults.on(faults.FILTER_CO_IGNORED):
        node = without_contains(node)
    sql, order = _filter_sql(ctx, kind, node), _order_by(ctx, kind, search)
    start, offset, count = _window(ctx, search)
    with ctx.store.read() as db:
        if sql.exact and order is not None:
            total, page = _in_sql(ctx, db, kind, sql, order, scope, (count, offset))
        else:
            where, params = _where(ctx, sql, scope, sql.indexed)
            candidates = db.execute(f"SELECT * FROM {kind.table} WHERE {where} ORDER BY seq", params).fetchall()
            matched = _in_python(ctx, kind, db, candidates, None if sql.exact else node, search, scope, base)
            total, page = len(matched), matched[offset:offset + count]
        entries = render.related(db, kind, [row["id"] for row in page], scope)
    resources = [render.project(kind, render.full(kind, row, entries.get(row["id"], []), base), search.parameters)
                 for row in page]
    if ctx.faults.on(faults.TOTAL_RESULTS_PAGE_ONLY):
        total = len(resources)
    return {"schemas": [LIST_URN], "totalResults": total, "itemsPerPage": len(resources), "startIndex": start,
            "Resources": resources}
