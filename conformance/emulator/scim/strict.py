"""Request rules the contract (specs/scim.yaml) states and scim2-models leaves open, checked before validation.

scim2-models reads booleans leniently ("true", 1) and keeps unknown ``type`` values of multi-valued attributes
(they are extensible in RFC 7643); the service's contract declares JSON booleans and closed enumerations, unique
``schemas``, a non-empty userName, integer paging values and non-empty PATCH paths. PATCH values stay lenient
(they are "any JSON value", which is how Entra's ``"False"`` gets through); the enumerations are checked again on
the patched resource so that nothing outside them is ever stored or returned.
"""

from __future__ import annotations

import re
from typing import Any

from conformance.emulator.core.errors import ScimError
from conformance.emulator.scim.models import USERS, Kind

BOOLEANS: dict[str, tuple[str, ...]] = {
    USERS.name: ("active", "emails[].primary", "phoneNumbers[].primary", "ims[].primary", "photos[].primary",
                 "addresses[].primary"),
}
ENUMS: dict[str, dict[str, frozenset[str]]] = {
    USERS.name: {
        "emails[].type": frozenset({"work", "home", "other"}),
        "phoneNumbers[].type": frozenset({"work", "home", "mobile", "fax", "pager", "other"}),
        "ims[].type": frozenset({"aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"}),
        "photos[].type": frozenset({"photo", "thumbnail"}),
        "addresses[].type": frozenset({"work", "home", "other"}),
        "groups[].type": frozenset({"direct", "indirect"}),
    },
    "Group": {"members[].type": frozenset({"User", "Group"})},
}
STRINGS: dict[str, tuple[str, ...]] = {"Group": ("members[].$ref", "members[].display")}
REFERENCES: dict[str, tuple[str, ...]] = {
    USERS.name: ("groups[].$ref", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.manager.$ref"),
    "Group": ("members[].$ref",),
}
IF_MATCH = re.compile(r'^(\*|(W/)?"[^"]*"([ ]*,[ ]*(W/)?"[^"]*")*)$')
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")  # RFC 3986 §4.1


def _get(data: dict[str, Any], name: str) -> Any:
    """An attribute by name, ignoring case (RFC 7643 §2.1)."""
    lowered = name.lower()
    return next((value for key, value in data.items() if key.lower() == lowered), None)


def values(data: dict[str, Any], path: str) -> list[Any]:
    """The values at ``attr``, ``attr[].sub`` (every item of a multi-valued attribute) or ``<urn>.attr.sub``
    (inside an extension object); absent ones are skipped."""
    head, _, sub = path.partition("[].")
    if not sub:
        found: Any = data
        for name in _steps(path):
            found = _get(found, name) if isinstance(found, dict) else None
        return [] if found is None else [found]
    items = _get(data, head)
    return [value for item in items if isinstance(item, dict) and (value := _get(item, sub)) is not None] \
        if isinstance(items, list) else []


def _steps(path: str) -> list[str]:
    urn, dot, rest = path.rpartition(":")
    return [urn + dot + rest.split(".")[0], *rest.split(".")[1:]] if urn else path.split(".")


def _invalid(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def check_stored(kind: Kind, data: dict[str, Any]) -> None:
    """What may be stored: closed enumerations of ``type`` sub-attributes, URI references (400 invalidValue)."""
    for path, allowed in ENUMS.get(kind.name, {}).items():
        for value in values(data, path):
            if not isinstance(value, str) or value not in allowed:
                raise _invalid(f"{path.replace('[]', '')} must be one of {', '.join(sorted(allowed))}.")
    for path in REFERENCES.get(kind.name, ()):
        if any(isinstance(value, str) and not URI_REFERENCE.match(value) for value in values(data, path)):
            raise _invalid(f"{path.replace('[]', '')} must be a URI reference (RFC 3986).")


def _unique_schemas(body: dict[str, Any]) -> None:
    schemas = body.get("schemas")
    if isinstance(schemas, list) and len(schemas) != len({repr(item) for item in schemas}):
        raise ScimError(400, "'schemas' lists a schema URI twice.", "invalidSyntax")


def check_resource(kind: Kind, body: dict[str, Any]) -> None:
    """A POST/PUT body: unique schemas, JSON booleans, closed enumerations, string references, a userName."""
    _unique_schemas(body)
    for path in BOOLEANS.get(kind.name, ()):
        if any(not isinstance(value, bool) for value in values(body, path)):
            raise _invalid(f"{path.replace('[]', '')} must be a JSON boolean (true or false).")
    for path in STRINGS.get(kind.name, ()):
        if any(not isinstance(value, str) for value in values(body, path)):
            raise _invalid(f"{path.replace('[]', '')} must be a string.")
    check_stored(kind, body)
    user_name = body.get("userName")
    if kind is USERS and isinstance(user_name, str) and not user_name.strip():
        raise _invalid("userName must not be empty.")


def check_patch(body: dict[str, Any]) -> None:
    """A PatchOp body: unique schemas, and every ``path`` a non-empty string."""
    _unique_schemas(body)
    for operation in body.get("Operations") or []:
        if isinstance(operation, dict) and "path" in operation:
            path = operation["path"]
            if not isinstance(path, str) or not path.strip():
                raise ScimError(400, "A PATCH 'path' must be a non-empty attribute path.", "invalidPath")


def check_search(body: dict[str, Any]) -> None:
    """A SearchRequest body: unique schemas, integer paging values, string filter and sort, arrays of names."""
    _unique_schemas(body)
    for name in ("startIndex", "count"):
        if name in body and (isinstance(body[name], bool) or not isinstance(body[name], int)):
            raise _invalid(f"{name} must be an integer.")
    for name in ("filter", "sortBy", "sortOrder"):
        if name in body and not isinstance(body[name], str):
            raise _invalid(f"{name} must be a string.")
    for name in ("attributes", "excludedAttributes"):
        value = body.get(name)
        if name in body and not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
            raise _invalid(f"{name} must be an array of attribute names.")


def check_if_match(header: str | None) -> None:
    """If-Match must be ``*`` or a list of entity tags (RFC 9110 §13.1.1): 400 invalidSyntax otherwise."""
    if header is not None and not IF_MATCH.match(header.strip()):
        raise ScimError(400, "If-Match must be * or a comma-separated list of entity tags.", "invalidSyntax")
