"""SCIM 1.1 users of Access with the workspace extension: validation of request bodies and the returned resource.

Seed 004: "It allows to create the provisioned users in the other directory when InternalUserType is specified as
PROVISIONED and domain is specified, which is used to infer the directory. The required attributes are: userName,
name.givenName, name.familyName, emails (containing one and only one email address), internalUserType, domain and
externalId." The 201 body carries the three schemas, ``meta`` (created, lastModified, location, version),
``groups: []``, ``active: true``, the ``User`` role and the extension with ``userStatus: "1"``.
"""

from __future__ import annotations

from typing import Any

from conformance.emulator.core.context import Context
from conformance.emulator.legacy import errors, faults
from conformance.emulator.legacy.store import etag, timestamp

CORE = "urn:scim:schemas:core:1.0"
WORKSPACE = "urn:scim:schemas:extension:workspace:1.0"
ENTERPRISE = "urn:scim:schemas:extension:enterprise:1.0"
ENTERPRISE_STRINGS = ("employeeNumber", "organization")
MANAGER_STRINGS = ("managerId", "displayName")
PROVISIONED = "PROVISIONED"
USER_ROLE = {"value": "c071da06-84c0-46d3-944b-dd8853cec3fc", "display": "User"}
STRINGS = ("userName", "externalId", "displayName", "nickName", "title", "userType", "locale", "preferredLanguage",
           "timeZone", "password")
NAME_PARTS = ("givenName", "familyName", "middleName", "formatted", "honorificPrefix", "honorificSuffix")
MULTI = ("emails", "phoneNumbers", "roles")
MULTI_PARTS = {"value": str, "display": str, "type": str, "primary": bool}
WORKSPACE_STRINGS = ("internalUserType", "domain", "userPrincipalName", "distinguishedName")
WORKSPACE_WRITABLE = ("userPrincipalName", "distinguishedName")
KEPT = ("userName", "externalId", "name", "displayName", "nickName", "title", "userType", "locale",
        "preferredLanguage", "timeZone", "active", "emails", "phoneNumbers", ENTERPRISE)
REQUIRED = (("userName",), ("name", "givenName"), ("name", "familyName"), ("emails",),
            (WORKSPACE, "internalUserType"), (WORKSPACE, "domain"), ("externalId",))
MAX_STRING = 1024


def check_types(body: Any, creating: bool) -> dict[str, Any]:
    """The body as a dict whose attributes have their SCIM 1.1 types (400 ``request.field.invalid``); null is no
    value of any attribute. ``schemas`` (with the core schema) is required on create."""
    if not isinstance(body, dict):
        raise errors.body_invalid("a JSON object (SCIM 1.1 user) is required")
    if creating or "schemas" in body:
        schemas = body.get("schemas")
        if not (isinstance(schemas, list) and CORE in schemas and all(isinstance(s, str) for s in schemas)):
            raise errors.field_invalid("schemas", f"a list of schema URNs containing {CORE}")
    for field in STRINGS:
        _string(body, field, field)
    _object(body, "name", NAME_PARTS)
    if "active" in body and not isinstance(body["active"], bool):
        raise errors.field_invalid("active", "a boolean")
    for field in MULTI:
        _multi(body, field)
    _object(body, WORKSPACE, WORKSPACE_STRINGS)
    _object(body, ENTERPRISE, ENTERPRISE_STRINGS)
    if isinstance(body.get(ENTERPRISE), dict):
        _object(body[ENTERPRISE], "manager", MANAGER_STRINGS)
    return body


def _string(holder: dict[str, Any], key: str, field: str) -> None:
    if key in holder and not (isinstance(holder[key], str) and len(holder[key]) <= MAX_STRING):
        raise errors.field_invalid(field, f"a string of at most {MAX_STRING} characters")


def _object(body: dict[str, Any], field: str, parts: tuple[str, ...]) -> None:
    if field not in body:
        return
    if not isinstance(body[field], dict):
        raise errors.field_invalid(field, "an object")
    for part in parts:
        _string(body[field], part, f"{field}.{part}")


def _multi(body: dict[str, Any], field: str) -> None:
    if field not in body:
        return
    value = body[field]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise errors.field_invalid(field, "a list of objects")
    for item in value:
        for part, kind in MULTI_PARTS.items():
            if part in item and not isinstance(item[part], kind):
                raise errors.field_invalid(f"{field}.{part}", f"a {kind.__name__}")


def missing_attributes(ctx: Context, body: dict[str, Any]) -> list[str]:
    """Seed 004's required attributes absent (or blank) in ``body``, named as the seed names them."""
    required = [path for path in REQUIRED
                if not (path == ("name", "familyName") and ctx.faults.on(faults.FAMILY_NAME_OPTIONAL))]
    return [".".join(path) if path[0] == "name" else path[-1] for path in required if _blank(_at(body, path))]


def _at(body: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = body
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _blank(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def check_emails(emails: Any) -> None:
    """Seed 004: "emails (containing one and only one email address)"."""
    if not isinstance(emails, list) or len(emails) != 1 or _blank(emails[0].get("value")):
        raise errors.field_invalid("emails", "must contain one and only one email address")


def clean_emails(emails: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The email entries with their SCIM 1.1 sub-attributes only."""
    return [{key: value for key, value in email.items() if key in MULTI_PARTS} for email in emails]


def new_resource(body: dict[str, Any], domain: str, userstore_id: str | None) -> dict[str, Any]:
    """The stored part of a new PROVISIONED user (no id, meta or groups)."""
    resource = {field: body[field] for field in KEPT if field in body}
    resource["emails"] = clean_emails(body["emails"])
    resource.setdefault("active", True)
    resource["roles"] = [dict(USER_ROLE)]
    extension = {key: body[WORKSPACE][key] for key in WORKSPACE_WRITABLE if key in body[WORKSPACE]}
    extension |= {"internalUserType": PROVISIONED, "domain": domain}
    if userstore_id:
        extension["userStoreUuid"] = userstore_id
    resource[WORKSPACE] = extension
    return resource


def render(stored: dict[str, Any], user_id: str, created: float, modified: float, location: str,
           groups: list[dict[str, str]]) -> dict[str, Any]:
    """The user as returned (seed 004's 201 body)."""
    extension = dict(stored.get(WORKSPACE) or {})
    extension["userStatus"] = "1" if stored.get("active", True) else "2"
    resource = {"schemas": [WORKSPACE, CORE, ENTERPRISE], "id": user_id, **stored, "groups": groups,
                WORKSPACE: extension}
    resource["meta"] = {"created": timestamp(created), "lastModified": timestamp(modified), "location": location,
                        "version": etag(resource)}
    return resource
