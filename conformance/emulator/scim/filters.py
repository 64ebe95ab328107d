"""Filters (RFC 7644 §3.4.2.2): parsed and evaluated by scim2-models, translated to SQL where an index can serve.

``translate`` walks the parsed filter and returns a WHERE fragment plus whether it is *exact*. Comparisons and
presence tests on the indexed columns (userName, displayName, externalId, id) translate exactly, with the same
semantics as scim2-models (case folded for caseExact=false attributes, a missing value matches only ``ne``);
``and``/``or``/``not`` combine them. A comparison with a missing value is NULL in SQL, which AND/OR already treat
as false; ``not`` turns it into 0 first. Plain ``column = ?`` atoms (and ``sw`` as a key range) keep the indexes
usable. Anything else (valuePath, other attributes) becomes ``1`` and makes the result inexact: the SQL then only
narrows the candidates and scim2-models' ``ScimFilter.match`` decides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from unicodedata import normalize

from scim2_models.path import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterNode,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)

from conformance.emulator.scim.models import GROUPS, USERS, Kind, fold

Folder = Callable[[str], str]

# attribute (lower case) -> (column, how its values are keyed: "key" = the kind's unique key, "fold", "raw";
# nullable?)
COLUMNS: dict[str, dict[str, tuple[str, str, bool]]] = {
    USERS.name: {"username": ("name_key", "key", False), "displayname": ("display_key", "fold", True),
                 "externalid": ("external_id", "raw", True), "id": ("id", "raw", False)},
    GROUPS.name: {"displayname": ("name_key", "key", False), "externalid": ("external_id", "raw", True),
                  "id": ("id", "raw", False)},
}
ALWAYS = Present(AttrPath("id"))
_OPS = {CompareOperator.eq: "=", CompareOperator.gt: ">", CompareOperator.ge: ">=",
        CompareOperator.lt: "<", CompareOperator.le: "<="}


@dataclass(frozen=True)
class Sql:
    """A WHERE fragment, its parameters, whether it selects exactly the filter's matches, and whether an index
    on the filtered column can narrow it (then that index beats the directory index)."""

    where: str
    params: tuple[Any, ...]
    exact: bool
    indexed: bool = False


TRUE_INEXACT = Sql("1", (), False)


def attribute(kind: Kind, attr_path: AttrPath) -> str | None:
    """The lower-case name of a plain core attribute (``userName``, ``urn:...:User:userName``), else None."""
    if attr_path.sub_attr is not None:
        return None
    if attr_path.uri is not None and attr_path.uri.lower() != kind.core_urn.lower():
        return None
    return attr_path.attr.lower()


def _column(kind: Kind, attr_path: AttrPath) -> tuple[str, str, bool] | None:
    name = attribute(kind, attr_path)
    return COLUMNS[kind.name].get(name) if name else None


def _atom(where: str, *params: Any, indexed: bool = False) -> Sql:
    """An exact comparison; NULL (a missing value) acts as false, which only ``not`` has to undo."""
    return Sql(where, params, True, indexed)


def _successor(prefix: str) -> str | None:
    """The least string above every string starting with ``prefix`` (code-point order, as SQLite compares UTF-8),
    or None when there is none to build (empty prefix, or one ending in U+10FFFF)."""
    if not prefix or prefix[-1] == "\U0010ffff":
        return None
    following = ord(prefix[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:  # surrogates cannot be stored; the next scalar value is U+E000
        following = 0xE000
    return prefix[:-1] + chr(following)


def _compare(column: str, nullable: bool, op: CompareOperator, value: str) -> Sql:
    if op is CompareOperator.ne:
        return Sql(f"COALESCE(({column} != ?), 1)" if nullable else f"({column} != ?)", (value,), True)
    if op is CompareOperator.co:
        return _atom(f"instr({column}, ?) > 0", value)
    if op is CompareOperator.sw:
        upper = _successor(value)
        if upper is None:
            return _atom(f"{column} >= ? AND substr({column}, 1, ?) = ?", value, len(value), value, indexed=True)
        return _atom(f"{column} >= ? AND {column} < ?", value, upper, indexed=True)
    if op is CompareOperator.ew:
        return _atom(f"substr({column}, ?) = ?", -len(value), value) if value else _atom(f"{column} IS NOT NULL")
    return _atom(f"{column} {_OPS[op]} ?", value, indexed=True)


def _comparison(kind: Kind, node: Comparison, key: Folder) -> Sql:
    found = _column(kind, node.attr_path)
    if found is None or not isinstance(node.value, str | type(None)):
        return TRUE_INEXACT
    column, how, nullable = found
    if node.value is None:
        where = {CompareOperator.eq: f"{column} IS NULL", CompareOperator.ne: f"{column} IS NOT NULL"}
        return Sql(where.get(node.op, "0"), (), True)
    value = key(node.value) if how == "key" else fold(node.value) if how == "fold" else normalize("NFC", node.value)
    return _compare(column, nullable, node.op, value)


def _logical(kind: Kind, node: LogicalExpr, key: Folder) -> Sql:
    parts = [translate(kind, term, key) for term in node.terms]
    exact = all(part.exact for part in parts)
    params = tuple(param for part in parts for param in part.params)
    if node.op is LogicalOperator.and_:
        kept = [part for part in parts if part.where != "1"]
        where = " AND ".join(f"({part.where})" for part in kept) or "1"
        return Sql(where, tuple(param for part in kept for param in part.params), exact,
                   any(part.indexed for part in kept))
    if any(part.where == "1" for part in parts):
        return Sql("1", (), exact)
    return Sql(" OR ".join(f"({part.where})" for part in parts), params, exact, all(part.indexed for part in parts))


def translate(kind: Kind, node: FilterNode, key: Folder) -> Sql:
    """The SQL of a parsed filter (see the module docstring); ``key`` makes the unique-name column's keys."""
    if isinstance(node, Comparison):
        return _comparison(kind, node, key)
    if isinstance(node, Present):
        found = _column(kind, node.attr_path)
        return TRUE_INEXACT if found is None else _atom(f"{found[0]} IS NOT NULL AND {found[0]} != ''")
    if isinstance(node, LogicalExpr):
        return _logical(kind, node, key)
    if isinstance(node, Not):
        inner = translate(kind, node.expr, key)
        return Sql(f"NOT COALESCE(({inner.where}), 0)", inner.params, True) if inner.exact else TRUE_INEXACT
    return TRUE_INEXACT


def without_contains(node: FilterNode) -> FilterNode:
    """The filter with every top-level ``co`` comparison replaced by "always true" (fault scim-filter-co-ignored)."""
    if isinstance(node, Comparison) and node.op is CompareOperator.co:
        return ALWAYS
    if isinstance(node, LogicalExpr):
        return LogicalExpr(op=node.op, terms=tuple(without_contains(term) for term in node.terms))
    if isinstance(node, Not):
        return Not(expr=without_contains(node.expr))
    return node


def mentions(node: FilterNode, name: str) -> bool:
    """Does the filter read the attribute ``name`` (e.g. a derived ``members`` or ``groups``)?"""
    if isinstance(node, LogicalExpr):
        return any(mentions(term, name) for term in node.terms)
    if isinstance(node, Not):
        return mentions(node.expr, name)
    if isinstance(node, Comparison | Present | ValuePath):
        return node.attr_path.attr.lower() == name.lower()
    return False


def bound(kind: Kind, node: FilterNode) -> Any:
    """A scim2-models filter bound to the kind's model, for ``match``."""
    return kind.scim_filter(node)
