"""The legacy OAuth 2.0 client representation (camelCase, space-separated strings; omnissa-api.md §7.1) and its
translation to and from the tenant's client resource (core ``oauth2_clients``, the IDS field names).

One client store serves both APIs, so a client created at /SAAS/jersey/manager/api/oauth2clients gets tokens from
/SAAS/auth/oauthtoken and /acs/token alike. Legacy-only fields (rememberAs, strData, tokenType, tokenLength,
internalSystemClient, inheritanceAllowed) are kept in ``legacy_client_fields``. The legacy API knows no rule sets:
its clients get none (IDS admin operations answer them 403; the legacy API only asks for scope ``admin``).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from conformance.emulator.legacy import errors

CLIENT_ID = re.compile(r"^[a-zA-Z0-9\-_.@]+$")
SECRET = re.compile(r"^[\x20-\x7E]+$")
SCOPES = ("admin", "user", "openid", "profile", "email")
GRANTS = ("authorization_code", "client_credentials", "password", "refresh_token")
INT32 = 2**31 - 1
DEFAULT_ACCESS_TTL = 180  # minutes; S7: "a time to live value of 3 hours by default"
DEFAULT_REFRESH_TTL = 525600  # minutes, the vendor's example value
TTLS = {"accessTokenTTL": ("access_token_ttl", 1), "refreshTokenTTL": ("refresh_token_ttl", 0),
        "refreshTokenIdleTTL": ("refresh_token_idle_ttl", 0)}
BOOLEANS = ("displayUserGrant", "internalSystemClient", "inheritanceAllowed")
KEPT = ("internalSystemClient", "inheritanceAllowed", "rememberAs", "strData", "tokenLength")
STRINGS = ("rememberAs", "strData")
MAX_STRING = 4096


def validated(body: Any) -> tuple[dict[str, Any], dict[str, Any], str | None]:
    """(client resource, legacy-only fields, secret or None) of a LegacyOAuth2ClientCreate body."""
    if not isinstance(body, dict):
        raise errors.body_invalid("a JSON object describing an OAuth2 client is required")
    client_id = body.get("clientId")
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= 256 or not CLIENT_ID.match(client_id):
        raise errors.field_invalid("clientId", "1 to 256 letters, digits, '.', '_', '-' or '@'")
    secret = body.get("secret")
    if "secret" in body and not (isinstance(secret, str) and len(secret) <= MAX_STRING and SECRET.match(secret)):
        raise errors.field_invalid("secret", f"1 to {MAX_STRING} printable ASCII characters")
    resource = {"id": str(uuid.uuid4()), "client_id": client_id, "scope": _words(body, "scope", SCOPES),
                "grant_types": _words(body, "authGrantTypes", GRANTS), "rule_set_names": [],
                "redirect_uris": _redirects(body.get("redirectUri", "")), "post_logout_redirect_uris": [],
                "rotate_secret": False, "primary_secret_auto_retires_at": 0}
    resource |= _ttls(body, "refresh_token" in resource["grant_types"])
    resource["display_user_grant"] = body.get("displayUserGrant") is True
    return resource, _legacy_fields(body), secret


def _words(body: dict[str, Any], field: str, allowed: tuple[str, ...]) -> list[str]:
    value = body.get(field)
    words = value.split(" ") if isinstance(value, str) else []
    if not words or any(word not in allowed for word in words):
        raise errors.field_invalid(field, f"space-separated values among {', '.join(allowed)}")
    return list(dict.fromkeys(words))


def _redirects(value: Any) -> list[str]:
    if not isinstance(value, str) or len(value) > MAX_STRING:
        raise errors.field_invalid("redirectUri", "a string of space- or comma-separated URIs")
    return [uri for uri in re.split(r"[\s,]+", value) if uri]


def _ttls(body: dict[str, Any], refresh: bool) -> dict[str, Any]:
    values: dict[str, Any] = {"access_token_ttl": DEFAULT_ACCESS_TTL}
    if refresh:
        values |= {"refresh_token_ttl": DEFAULT_REFRESH_TTL, "refresh_token_idle_ttl": DEFAULT_REFRESH_TTL}
    for field, (name, minimum) in TTLS.items():
        if field not in body:
            continue
        value = _integer(body[field])
        if value is None or not minimum <= value <= INT32:
            raise errors.field_invalid(field, f"an integer number of minutes, at least {minimum}")
        values[name] = value
    return values


def _integer(value: Any) -> int | None:
    """A JSON integer (JSON Schema counts ``32.0`` as one), or ``None`` for anything else."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None if isinstance(value, bool) or not isinstance(value, int) else value


def _legacy_fields(body: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {"tokenType": "Bearer"}
    if "tokenType" in body and body["tokenType"] != "Bearer":
        raise errors.field_invalid("tokenType", "Bearer")
    length = _integer(body.get("tokenLength", 0))
    if length is None or not -INT32 - 1 <= length <= INT32:
        raise errors.field_invalid("tokenLength", "an integer")
    for field in BOOLEANS:
        if field in body and not isinstance(body[field], bool):
            raise errors.field_invalid(field, "a boolean")
    for field in STRINGS:
        if field in body and not (isinstance(body[field], str) and len(body[field]) <= MAX_STRING):
            raise errors.field_invalid(field, f"a string of at most {MAX_STRING} characters")
    kept = {field: body[field] for field in KEPT if field in body}
    return fields | kept | ({"tokenLength": length} if "tokenLength" in body else {})


def legacy_view(resource: dict[str, Any], fields: dict[str, Any], href: str) -> dict[str, Any]:
    """The LegacyOAuth2Client of a stored client (never its secret)."""
    view: dict[str, Any] = {
        "clientId": resource["client_id"],
        "scope": " ".join(s for s in resource.get("scope") or () if s in SCOPES),
        "authGrantTypes": " ".join(g for g in resource.get("grant_types") or () if g in GRANTS),
        "tokenType": "Bearer", "displayUserGrant": bool(resource.get("display_user_grant", False)),
        **{field: fields[field] for field in KEPT if field in fields},
    }
    for field, (name, _) in TTLS.items():
        if isinstance(resource.get(name), int):
            view[field] = resource[name]
    if resource.get("redirect_uris"):
        view["redirectUri"] = " ".join(resource["redirect_uris"])
    if resource.get("id"):
        view["resourceUuid"] = resource["id"]
    return {key: value for key, value in view.items() if value != ""} | {"_links": {"self": {"href": href}}}


def summary(view: dict[str, Any]) -> dict[str, Any]:
    """The LegacyOAuth2ClientSummary of a legacy view."""
    keys = ("clientId", "scope", "rememberAs", "accessTokenTTL", "refreshTokenTTL", "refreshTokenIdleTTL",
            "displayUserGrant", "redirectUri", "_links")
    return {key: view[key] for key in keys if key in view} | {
        "grantTypes": view.get("authGrantTypes", ""), "internal": bool(view.get("internalSystemClient", False))}
