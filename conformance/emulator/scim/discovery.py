"""Discovery (RFC 7644 §4; RFC 7643 §5-§7): /ServiceProviderConfig, /ResourceTypes, /Schemas, built from the
same scim2-models the service validates with, so what is announced is what is served: PATCH, filtering
(maxResults), sorting and ETags supported; bulk and changePassword not. Plus /Me, which no client token has.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import scim2_models as sm
from starlette.requests import Request
from starlette.responses import Response

from conformance.emulator.core.calls import scim_call
from conformance.emulator.core.context import context
from conformance.emulator.core.errors import Dialect, ScimError
from conformance.emulator.core.tokens import authenticate, base_url
from conformance.emulator.scim.models import GROUPS, USERS, EnterpriseUser, User
from conformance.emulator.scim.query import LIST_URN, MAX_RESULTS
from conformance.emulator.scim.render import SCIM_ROOT

ME_NOT_A_USER = ("The access token does not stand for a SCIM User: client-credentials and directory sync tokens "
                 "belong to OAuth 2.0 clients, so /Me has no resource to alias (RFC 7644 §3.11).")


@cache
def _config() -> dict[str, Any]:
    scheme = sm.AuthenticationScheme(
        type=sm.AuthenticationScheme.Type.oauthbearertoken, name="OAuth Bearer Token", primary=True,
        description="An access token from /acs/token (admin client) or a directory's sync-client token.",
        spec_uri="https://www.rfc-editor.org/rfc/rfc6750")
    config = sm.ServiceProviderConfig(
        patch=sm.Patch(supported=True), bulk=sm.Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=sm.Filter(supported=True, max_results=MAX_RESULTS), change_password=sm.ChangePassword(supported=False),
        sort=sm.Sort(supported=True), etag=sm.ETag(supported=True), authentication_schemes=[scheme])
    return dict(config.model_dump())


@cache
def _schemas() -> tuple[dict[str, Any], ...]:
    user, enterprise, group = (model.to_schema().model_dump() for model in (User, EnterpriseUser, sm.Group))
    for attribute in group["attributes"]:
        if attribute["name"] == "displayName":
            attribute["uniqueness"] = "server"  # the service refuses a second Group with the same displayName
    return user, enterprise, group


@cache
def _resource_types() -> tuple[dict[str, Any], ...]:
    return tuple(sm.ResourceType.from_resource(kind.model).model_dump() for kind in (USERS, GROUPS))


def _located(document: dict[str, Any], resource_type: str, url: str) -> dict[str, Any]:
    return {**document, "meta": {"resourceType": resource_type, "location": url}}


def _listed(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schemas": [LIST_URN], "totalResults": len(resources), "itemsPerPage": len(resources), "startIndex": 1,
            "Resources": resources}


def _root(request: Request) -> str:
    return base_url(request) + SCIM_ROOT


async def service_provider_config(request: Request) -> Response:
    """GET /ServiceProviderConfig."""
    call = await scim_call(request, "scim.yaml#getServiceProviderConfig")
    url = _root(request) + "/ServiceProviderConfig"
    return call.respond(_located(_config(), "ServiceProviderConfig", url), headers={"Content-Location": url})


def _resource_type_docs(request: Request) -> list[dict[str, Any]]:
    root = _root(request)
    return [_located(doc, "ResourceType", f"{root}/ResourceTypes/{doc['id']}") for doc in _resource_types()]


def _schema_docs(request: Request) -> list[dict[str, Any]]:
    root = _root(request)
    return [_located(doc, "Schema", f"{root}/Schemas/{doc['id']}") for doc in _schemas()]


async def resource_types(request: Request) -> Response:
    """GET /ResourceTypes: User and Group."""
    call = await scim_call(request, "scim.yaml#getResourceTypes")
    return call.respond(_listed(_resource_type_docs(request)))


async def resource_type(request: Request) -> Response:
    """GET /ResourceTypes/{id}."""
    call = await scim_call(request, "scim.yaml#getResourceType")
    wanted = request.path_params["id"].lower()
    found = [doc for doc in _resource_type_docs(request) if str(doc["id"]).lower() == wanted]
    if not found:
        raise ScimError(404, f"No resource type {request.path_params['id']!r}.")
    return call.respond(found[0])


async def schemas(request: Request) -> Response:
    """GET /Schemas: the core User, the enterprise User extension and the core Group."""
    call = await scim_call(request, "scim.yaml#getSchemas")
    return call.respond(_listed(_schema_docs(request)))


async def schema(request: Request) -> Response:
    """GET /Schemas/{id} (the schema URN)."""
    call = await scim_call(request, "scim.yaml#getSchema")
    wanted = request.path_params["id"].lower()
    found = [doc for doc in _schema_docs(request) if str(doc["id"]).lower() == wanted]
    if not found:
        raise ScimError(404, f"No schema {request.path_params['id']!r}.")
    return call.respond(found[0])


async def me(request: Request) -> Response:
    """GET /Me: 404, since no token of this service stands for a User (see ``ME_NOT_A_USER``)."""
    await scim_call(request, "scim.yaml#getMe")
    raise ScimError(404, ME_NOT_A_USER)


async def root_search(request: Request) -> Response:
    """POST /.search at the service root: not offered. RFC 7644 §3.12: "501 (Not Implemented): Service provider does
    not support the request operation"; searches go to /Users/.search and /Groups/.search."""
    authenticate(context(request), request, Dialect.SCIM)
    raise ScimError(501, "Searching several resource types at once (POST /.search at the root) is not supported; "
                         "use /Users/.search or /Groups/.search.")
