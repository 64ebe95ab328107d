"""SCIM 1.1 filters of the legacy /scim endpoints (S4/S6: "operators eq, co, sw, gt, ge, lt, le"; plus ``pr``,
``and``, ``or`` and parentheses of SCIM 1.1 §3.2.2.2).

``parse(text)`` returns a predicate over a resource (a JSON dict). Attribute names are case-insensitive; a
multi-valued attribute matches when one of its values does (``emails`` compares the ``value`` sub-attribute).
String comparison ignores case except for ``id`` and ``externalId`` (case-exact, as RFC 7643 defines them).
Real filters: ``userName eq "x"``, ``externalId eq "<uuid>"``, ``Username co "domain"`` (omnissa-api.md §7.2).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from conformance.emulator.legacy import errors

Predicate = Callable[[dict[str, Any]], bool]
MAX_FILTER_LENGTH = 2048
OPERATORS = ("eq", "co", "sw", "gt", "ge", "lt", "le")
CASE_EXACT = frozenset({"id", "externalid"})
ATTRIBUTE = re.compile(r"^(urn:[A-Za-z0-9.:_-]+:)?[A-Za-z][A-Za-z0-9_$-]*(\.[A-Za-z][A-Za-z0-9_$-]*)?$")
TOKEN = re.compile(r'\s*(\(|\)|"(?:[^"\\]|\\.)*"|[^\s()"]+)')


class FilterError(ValueError):
    """The filter text is not a SCIM 1.1 filter."""


def parse(text: str, blind: frozenset[str] = frozenset()) -> Predicate:
    """A predicate for ``text``; 400 ``scim.filter.invalid`` for anything malformed. Attributes in ``blind``
    (lower case) never match (fault injection)."""
    try:
        if len(text) > MAX_FILTER_LENGTH:
            raise FilterError(f"longer than {MAX_FILTER_LENGTH} characters")
        parser = _Parser(_tokens(text), blind)
        predicate = parser.expression()
        if parser.position != len(parser.tokens):
            raise FilterError(f"unexpected {parser.tokens[parser.position]!r}")
        return predicate
    except FilterError as exc:
        raise errors.legacy_error(400, errors.FILTER_INVALID, detail=str(exc)) from None


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:
            if text[position:].strip():
                raise FilterError("unterminated string")
            break
        tokens.append(match.group(1))
        position = match.end()
    if not tokens:
        raise FilterError("empty filter")
    return tokens


class _Parser:
    def __init__(self, tokens: list[str], blind: frozenset[str]) -> None:
        self.tokens, self.position, self.blind = tokens, 0, blind

    def _next(self) -> str:
        if self.position >= len(self.tokens):
            raise FilterError("unexpected end of filter")
        token = self.tokens[self.position]
        self.position += 1
        return token

    def _peek_word(self) -> str:
        return self.tokens[self.position].lower() if self.position < len(self.tokens) else ""

    def expression(self) -> Predicate:
        terms = [self.conjunction()]
        while self._peek_word() == "or":
            self.position += 1
            terms.append(self.conjunction())
        return terms[0] if len(terms) == 1 else (lambda item: any(term(item) for term in terms))

    def conjunction(self) -> Predicate:
        terms = [self.primary()]
        while self._peek_word() == "and":
            self.position += 1
            terms.append(self.primary())
        return terms[0] if len(terms) == 1 else (lambda item: all(term(item) for term in terms))

    def primary(self) -> Predicate:
        token = self._next()
        if token == "(":
            inner = self.expression()
            if self._next() != ")":
                raise FilterError("missing )")
            return inner
        if not ATTRIBUTE.match(token):
            raise FilterError(f"{token!r} is not an attribute name")
        operator = self._next().lower()
        if operator == "pr":
            return lambda item: any(value not in (None, "", [], {}) for value in values_of(item, token))
        if operator not in OPERATORS:
            raise FilterError(f"unsupported operator {operator!r}")
        return self._comparison(token, operator, _literal(self._next()))

    def _comparison(self, attribute: str, operator: str, expected: Any) -> Predicate:
        if attribute.lower() in self.blind:
            return lambda item: False
        exact = attribute.lower() in CASE_EXACT
        return lambda item: any(_compare(value, operator, expected, exact) for value in values_of(item, attribute))


def _literal(token: str) -> Any:
    if token.startswith('"'):
        try:
            return json.loads(token)
        except ValueError:
            raise FilterError(f"bad string {token}") from None
    lowered = token.lower()
    if lowered in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[lowered]
    try:
        return float(token) if any(c in token for c in ".eE") else int(token)
    except ValueError:
        raise FilterError(f"{token!r} is not a value") from None


def values_of(item: dict[str, Any], attribute: str) -> list[Any]:
    """The values of an attribute path in a resource (case-insensitive; multi-valued -> their ``value``s)."""
    current: list[Any] = [item]
    schema, _, path = attribute.rpartition(":") if attribute.lower().startswith("urn:") else ("", "", attribute)
    if schema:
        current = [_get(item, schema)]
    for part in path.split("."):
        found = []
        for value in current:
            for element in value if isinstance(value, list) else [value]:
                if isinstance(element, dict):
                    found.append(_get(element, part))
        current = found
    flat = [e for value in current for e in (value if isinstance(value, list) else [value])]
    return [e.get("value") if isinstance(e, dict) else e for e in flat]


def _get(item: dict[str, Any], name: str) -> Any:
    lowered = name.lower()
    return next((value for key, value in item.items() if key.lower() == lowered), None)


def _compare(actual: Any, operator: str, expected: Any, exact: bool) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool) or expected is None:
        return operator == "eq" and actual == expected
    if isinstance(actual, str) and isinstance(expected, str):
        left, right = (actual, expected) if exact else (actual.lower(), expected.lower())
        return {"eq": left == right, "co": right in left, "sw": left.startswith(right), "gt": left > right,
                "ge": left >= right, "lt": left < right, "le": left <= right}[operator]
    if isinstance(actual, int | float) and isinstance(expected, int | float):
        return {"eq": actual == expected, "gt": actual > expected, "ge": actual >= expected,
                "lt": actual < expected, "le": actual <= expected}.get(operator, False)
    return False
