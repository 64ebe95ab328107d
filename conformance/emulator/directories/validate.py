"""Field rules of a directory (specs/directories.yaml BrokerDirectoryMedia / BrokerDirectoryPatch).

Every rule raises a 400 ``request.field.invalid`` naming the field; unknown and read-only fields are ignored.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from conformance.emulator.directories.errors import invalid, required

NAME = re.compile(r"^[\w -]+$")  # letters in any language, digits, space, '-' and '_'
NAME_MAX = 128
DOMAINS_MAX = 30
DEFAULT_DOMAIN_MAX = 100
SOURCES = ("AZURE", "PING", "OKTA", "ACCESS", "GENERIC")
TYPES = ("PROVISIONED", "JIT")
ATTRIBUTES = ("attemptDecodeExternalIdAsMSGuid",)


def name(value: Any, field: str = "name", maximum: int = NAME_MAX) -> str:
    """A unique-name field: 1..maximum characters of letters, digits, space, '-' and '_'."""
    if not isinstance(value, str):
        raise invalid(field, "must be a string")
    if not 1 <= len(value) <= maximum:
        raise invalid(field, f"must have 1 to {maximum} characters")
    if not NAME.fullmatch(value):
        raise invalid(field, "may contain letters, digits, space, '-' and '_' only")
    return value


def domains(value: Any) -> list[str]:
    """At most 30 distinct (ignoring case) non-empty domain names."""
    if not isinstance(value, list):
        raise invalid("domains", "must be an array of strings")
    if len(value) > DOMAINS_MAX:
        raise invalid("domains", f"may hold at most {DOMAINS_MAX} domains")
    if not all(isinstance(item, str) and item for item in value):
        raise invalid("domains", "every domain must be a non-empty string")
    if len({item.lower() for item in value}) != len(value):
        raise invalid("domains", "domains must be unique (ignoring case)")
    return list(value)


def default_domain(value: Any, domain_list: list[str]) -> str:
    """One of ``domain_list`` (ignoring case), at most 100 characters; "" means none."""
    if not isinstance(value, str):
        raise invalid("default_domain", "must be a string")
    if len(value) > DEFAULT_DOMAIN_MAX:
        raise invalid("default_domain", f"must have at most {DEFAULT_DOMAIN_MAX} characters")
    if value and value.lower() not in {domain.lower() for domain in domain_list}:
        raise invalid("default_domain", "must be one of domains")
    return value


def enum(field: str, value: Any, allowed: tuple[str, ...]) -> str:
    """One of ``allowed``."""
    if value not in allowed:
        raise invalid(field, "must be one of " + ", ".join(allowed))
    return str(value)


def attributes(value: Any) -> dict[str, bool]:
    """The DirectoryAttributes object (known boolean keys only)."""
    if not isinstance(value, dict):
        raise invalid("attributes", "must be an object")
    for key in ATTRIBUTES:
        if key in value and not isinstance(value[key], bool):
            raise invalid(f"attributes.{key}", "must be a boolean")
    return {key: value[key] for key in ATTRIBUTES if key in value}


def new_directory(body: dict[str, Any]) -> dict[str, Any]:
    """The stored resource of a directory to create (without id)."""
    if "name" not in body:
        raise required("name")
    resource: dict[str, Any] = {"name": name(body["name"]), "domains": domains(body.get("domains", [])),
                                "type": enum("type", body.get("type", "PROVISIONED"), TYPES),
                                "delete_in_progress": False}
    _optional_fields(resource, body)
    return resource


def patched(current: dict[str, Any], body: dict[str, Any], merge_arrays: bool = False) -> dict[str, Any]:
    """``current`` with the PATCH body applied: fields replaced, arrays replaced wholesale, "" / {} clear."""
    if "type" in body and body["type"] != current.get("type"):
        raise invalid("type", "the directory type cannot be changed")
    resource = dict(current)
    if "name" in body:
        resource["name"] = name(body["name"])
    if "domains" in body:
        given = domains(body["domains"])
        if merge_arrays:  # fault directory-patch-merges-arrays
            given = [*current.get("domains", []), *(d for d in given if d.lower() not in _lowered(current))]
        resource["domains"] = given
    _optional_fields(resource, body)
    kept = resource.get("default_domain")
    if kept and kept.lower() not in _lowered(resource):
        raise invalid("default_domain", f"{kept} would no longer be one of domains; change or clear default_domain")
    return resource


def _lowered(resource: dict[str, Any]) -> set[str]:
    return {domain.lower() for domain in resource.get("domains", [])}


def _optional_fields(resource: dict[str, Any], body: dict[str, Any]) -> None:
    if "default_domain" in body:
        _set_or_clear(resource, "default_domain", default_domain(body["default_domain"], resource["domains"]))
    if "source" in body:
        resource["source"] = enum("source", body["source"], SOURCES)
    if "attributes" in body:
        _set_or_clear(resource, "attributes", attributes(body["attributes"]))


def _set_or_clear(resource: dict[str, Any], field: str, value: Any) -> None:
    if value in ("", {}):
        resource.pop(field, None)
    else:
        resource[field] = value


def directory_id(value: str) -> str | None:
    """The canonical form of a path id, or None when it is not a UUID (such ids never exist)."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None

