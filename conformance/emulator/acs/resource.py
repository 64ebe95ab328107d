"""The vendor resource of an OAuth 2.0 client (S1 BrokerOAuth2ClientMedia) as stored and as rendered.

Stored: ``id`` (uuid), ``client_id``, ``scope``, ``grant_types``, ``access_token_ttl`` (minutes),
``refresh_token_ttl``/``refresh_token_idle_ttl`` (minutes; absent when unset), ``redirect_uris``,
``post_logout_redirect_uris``, ``rule_set_names``, ``rotate_secret``, ``primary_secret_auto_retires_at`` (epoch
seconds, 0 outside a rotation). Rendered: the same plus ``_links.self`` on the host the client addressed; never
``secret`` (S1: "stored secret will not be returned in get/update API responses").
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from starlette.requests import Request

from conformance.emulator.core.clients import ClientRecord
from conformance.emulator.core.store import dumps
from conformance.emulator.core.tokens import base_url

COLLECTION = "/acs/broker/oauth2-clients"
DEFAULT_ACCESS_TOKEN_TTL = 360  # minutes: the vendor's example token lives 21599 s (S1 OAuth2Token.expires_in)
DEFAULT_REFRESH_TOKEN_TTL = 525600  # minutes (one year, the vendor's example), for clients created without one
DEFAULT_GRANT_TYPES = ("client_credentials",)


def new_resource(fields: dict[str, Any]) -> dict[str, Any]:
    """A complete resource from validated create fields (defaults for the optional ones)."""
    resource: dict[str, Any] = {
        "id": str(uuid.uuid4()), "client_id": fields["client_id"], "scope": fields["scope"],
        "grant_types": fields["grant_types"], "access_token_ttl": DEFAULT_ACCESS_TOKEN_TTL,
        "redirect_uris": [], "post_logout_redirect_uris": [], "rule_set_names": [],
        "rotate_secret": False, "primary_secret_auto_retires_at": 0,
    }
    resource.update({name: value for name, value in fields.items() if name not in ("client_id", "secret")})
    return resource


def self_href(request: Request, client_id: str) -> str:
    """The absolute URL of one client."""
    return f"{base_url(request)}{COLLECTION}/{quote(client_id, safe='')}"


def render(request: Request, resource: dict[str, Any]) -> dict[str, Any]:
    """The resource as GET/PATCH answer it: stored fields plus ``_links``, no secret."""
    shown = {name: value for name, value in resource.items() if name != "secret"}
    shown["_links"] = {"self": {"href": self_href(request, str(resource["client_id"]))}}
    return shown


def summary(request: Request, resource: dict[str, Any]) -> dict[str, Any]:
    """A list item (S1 BrokerOAuth2ClientSummary: client_id, scope, _links)."""
    client_id = str(resource["client_id"])
    return {"client_id": client_id, "scope": list(resource.get("scope") or []),
            "_links": {"self": {"href": self_href(request, client_id)}}}


def save(db: Any, client_id: str, resource: dict[str, Any]) -> None:
    """Store a changed resource inside an open transaction."""
    db.execute("UPDATE oauth2_clients SET resource = ? WHERE client_id = ?", (dumps(resource), client_id))


def grant_types(client: ClientRecord) -> list[str]:
    """The client's grant types (directory sync clients may store none: client_credentials)."""
    return list(client.resource.get("grant_types") or DEFAULT_GRANT_TYPES)


def scopes(client: ClientRecord) -> list[str]:
    """The scopes the client may request."""
    return [str(scope) for scope in client.resource.get("scope") or ()]


def access_token_ttl(client: ClientRecord) -> int:
    """Access-token lifetime in minutes (a sync client's ``token_ttl`` when it has no access_token_ttl)."""
    resource = client.resource
    value = resource.get("access_token_ttl") or resource.get("token_ttl") or DEFAULT_ACCESS_TOKEN_TTL
    return max(int(value), 1)


def refresh_ttls(client: ClientRecord) -> tuple[int, int]:
    """(refresh_token_ttl, refresh_token_idle_ttl) in minutes, defaults where unset."""
    ttl = int(client.resource.get("refresh_token_ttl") or DEFAULT_REFRESH_TOKEN_TTL)
    return ttl, int(client.resource.get("refresh_token_idle_ttl") or ttl)
