"""Field validation of OAuth 2.0 client bodies, exactly as S1 BrokerOAuth2ClientMedia / specs/oauth2-clients.yaml say.

client_id: 1-256 of ``[a-zA-Z0-9-_.@]``, immutable; secret: 1-4096 printable ASCII, never patchable; scope and
grant_types: non-empty enum arrays ("may not be emptied"); access_token_ttl >= 1, refresh TTLs >= 0 (int32 minutes; 0
means "not set": the server default applies, and on PATCH it clears the value); refresh_token_ttl and
refresh_token_idle_ttl are "mandatory if grant_types includes refresh_token" (they must be sent when a client gets
that grant: at create, or by the PATCH that adds it, and not 0, nor cleared while the grant stays) and the idle TTL
may not exceed the TTL (S1: "should be less than"; the vendor's own example uses equal values); redirect_uris
(absolute URIs, wildcards allowed) are "required if grant_types contain an authorization_code grant type";
rule_set_names is an enum array that may be emptied. Read-only fields (id, rotate_secret,
primary_secret_auto_retires_at, _links) and unknown fields are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from conformance.emulator.acs.errors import (
    BODY_INVALID,
    FIELD_NOT_PATCHABLE,
    admin_error,
    field_invalid,
    field_required,
)

SCOPES = ("admin", "user", "openid", "profile", "email")
GRANT_TYPES = ("password", "client_credentials", "refresh_token", "authorization_code", "token", "id_token")
RULE_SETS = ("TENANT_ADMIN", "IDP_AND_DIRECTORY_ADMIN", "READ_ONLY_TENANT_ADMIN")
INT32_MAX = 2**31 - 1
CLIENT_ID = re.compile(r"^[a-zA-Z0-9\-_.@]+$")
SECRET = re.compile(r"^[\x20-\x7E]+$")
ABSOLUTE_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S*$")
REFRESH_FIELDS = ("refresh_token_ttl", "refresh_token_idle_ttl")


def _enum_list(allowed: tuple[str, ...], min_items: int) -> Callable[[str, Any], list[str]]:
    def check(field: str, value: Any) -> list[str]:
        if not isinstance(value, list):
            raise field_invalid(field, "must be an array")
        if len(value) < min_items:
            raise field_invalid(field, "may not be empty")
        for item in value:
            if item not in allowed:
                raise field_invalid(field, f"each item must be one of {', '.join(allowed)}")
        return list(dict.fromkeys(value))
    return check


def _uri_list(field: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise field_invalid(field, "must be an array")
    for item in value:
        if not isinstance(item, str) or not ABSOLUTE_URI.match(item):
            raise field_invalid(field, "each item must be an absolute URI")
    return list(dict.fromkeys(value))


def integer(value: Any) -> int | None:
    """A JSON Schema integer (1 and 1.0 alike, never a boolean) as an int; None for anything else."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _minutes(minimum: int) -> Callable[[str, Any], int]:
    def check(field: str, value: Any) -> int:
        number = integer(value)
        if number is None or not minimum <= number <= INT32_MAX:
            raise field_invalid(field, f"must be an integer number of minutes from {minimum} to {INT32_MAX}")
        return number
    return check


PATCHABLE: dict[str, Callable[[str, Any], Any]] = {
    "scope": _enum_list(SCOPES, 1),
    "grant_types": _enum_list(GRANT_TYPES, 1),
    "access_token_ttl": _minutes(1),
    "refresh_token_ttl": _minutes(0),
    "refresh_token_idle_ttl": _minutes(0),
    "redirect_uris": _uri_list,
    "post_logout_redirect_uris": _uri_list,
    "rule_set_names": _enum_list(RULE_SETS, 0),
}


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise admin_error(400, BODY_INVALID)
    return body


def _secret(field: str, value: Any) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= 4096 or not SECRET.match(value):
        raise field_invalid(field, "must be 1 to 4096 printable ASCII characters")
    return value


def validate_create(body: Any) -> tuple[dict[str, Any], str | None]:
    """The validated fields of a create body, and the admin's secret (None: generate one)."""
    body = _object(body)
    for field in ("client_id", "scope", "grant_types"):
        if field not in body:
            raise field_required(field)
    client_id = body["client_id"]
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= 256 or not CLIENT_ID.match(client_id):
        raise field_invalid("client_id", "1 to 256 letters, digits, '.', '_', '-' or '@'")
    secret = _secret("secret", body["secret"]) if "secret" in body else None
    fields: dict[str, Any] = {"client_id": client_id}
    fields.update({name: check(name, body[name]) for name, check in PATCHABLE.items() if name in body})
    _refresh_fields_sent(fields["grant_types"], body)
    fields = {name: value for name, value in fields.items() if not (name in REFRESH_FIELDS and value == 0)}
    check_relations(fields)
    return fields, secret


def validate_patch(body: Any, current: dict[str, Any]) -> dict[str, Any]:
    """The resource after applying a PATCH body (absent fields kept, arrays replaced, TTL 0 clears)."""
    body = _object(body)
    if "client_id" in body and body["client_id"] != current.get("client_id"):
        raise admin_error(400, FIELD_NOT_PATCHABLE, field="client_id", detail=": it is immutable")
    if "secret" in body:
        raise admin_error(400, FIELD_NOT_PATCHABLE, field="secret",
                          detail=": rotate it with action=start-rotate-secret")
    changed = dict(current)
    for name, check in PATCHABLE.items():
        if name in body:
            changed[name] = check(name, body[name])
    if "refresh_token" not in (current.get("grant_types") or ()):
        _refresh_fields_sent(changed.get("grant_types") or [], {**current, **body})
    for name in REFRESH_FIELDS:
        if changed.get(name) == 0:
            del changed[name]
    check_relations(changed)
    return changed


def _refresh_fields_sent(grants: list[str], sent: dict[str, Any]) -> None:
    """A client getting the refresh_token grant must be given both refresh TTLs (S1: "mandatory")."""
    if "refresh_token" in grants:
        for name in REFRESH_FIELDS:
            if name not in sent:
                raise field_required(name, " when grant_types includes refresh_token")


def check_relations(resource: dict[str, Any]) -> None:
    """The cross-field rules of a complete (or complete-to-be) client."""
    grants = resource.get("grant_types") or []
    ttl, idle = resource.get("refresh_token_ttl"), resource.get("refresh_token_idle_ttl")
    if "refresh_token" in grants:  # "mandatory": 0 ("not set") neither at create nor cleared by a PATCH
        for name in REFRESH_FIELDS:
            if not resource.get(name):
                raise field_required(name, " when grant_types includes refresh_token")
    if ttl and idle and idle > ttl:
        raise field_invalid("refresh_token_idle_ttl", "may not exceed refresh_token_ttl")
    if "authorization_code" in grants and not resource.get("redirect_uris"):
        raise field_required("redirect_uris", " when grant_types includes authorization_code")
