"""SCIM discovery (RFC 7644 §4, RFC 7643 §5-§7): what the server says it serves matches what it serves."""

from __future__ import annotations

import pytest

from conformance.checks import scim as check
from conformance.checks.core import require

pytestmark = pytest.mark.scim_generic

SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
SPC_FEATURES = ("patch", "bulk", "filter", "changePassword", "sort", "etag")
COMMON_ATTRIBUTES = {"schemas", "id", "externalid", "meta"}
CORE_SCHEMAS = {"User": "urn:ietf:params:scim:schemas:core:2.0:User",
                "Group": "urn:ietf:params:scim:schemas:core:2.0:Group"}


def discovery_items(requirement_id, response):
    """The entries of a discovery list: a ListResponse's Resources, or a bare JSON array."""
    check.status_is(requirement_id, response, 200)
    body = response.json()
    return body if isinstance(body, list) else check.listed(response, requirement_id)["Resources"]


@pytest.mark.requirement("SCIM-027")
def test_service_provider_config_describes_features(scim):
    """GET /ServiceProviderConfig answers its schema and, for every feature, a boolean ``supported``."""
    response = scim.get("/ServiceProviderConfig")
    body = check.json_object("SCIM-027", response)
    check.status_is("SCIM-027", response, 200)
    require("SCIM-027", SPC_SCHEMA in (body.get("schemas") or []), f"schemas lacks {SPC_SCHEMA}", response)
    for feature in SPC_FEATURES:
        supported = (body.get(feature) or {}).get("supported")
        require("SCIM-027", isinstance(supported, bool), f"{feature}.supported must be a boolean", response)
    require("SCIM-027", isinstance(body.get("authenticationSchemes"), list), "authenticationSchemes missing", response)


@pytest.mark.requirement("SCIM-028")
def test_resource_types_name_user_and_group_endpoints_that_answer(scim):
    """GET /ResourceTypes lists User and Group with their core schema, and each endpoint answers a list."""
    types = {item.get("name"): item for item in discovery_items("SCIM-028", scim.get("/ResourceTypes"))}
    for name, schema in CORE_SCHEMAS.items():
        require("SCIM-028", name in types, f"/ResourceTypes lacks {name}: {sorted(map(str, types))}")
        require("SCIM-028", schema == types[name].get("schema"), f"{name} schema is {types[name].get('schema')!r}")
        endpoint = str(types[name].get("endpoint") or "")
        check.listed(scim.get("/" + endpoint.lstrip("/"), count=1), "SCIM-028")


@pytest.mark.requirement("SCIM-029")
@pytest.mark.parametrize("kind", ["User", "Group"])
def test_schemas_declare_every_returned_attribute(scim, scim_names, kind):
    """Every attribute of a created User/Group is declared by /Schemas (core or a listed extension)."""
    schemas = {item.get("id"): item for item in discovery_items("SCIM-029", scim.get("/Schemas"))}
    require("SCIM-029", CORE_SCHEMAS[kind] in schemas, f"/Schemas lacks {CORE_SCHEMAS[kind]}")
    declared = {str(a.get("name", "")).lower() for a in schemas[CORE_SCHEMAS[kind]].get("attributes") or []}
    resource = sample(scim, scim_names, kind)
    undeclared = sorted(key for key in resource
                        if key.lower() not in declared | COMMON_ATTRIBUTES and key not in schemas)
    require("SCIM-029", [] == undeclared, f"{kind} attributes missing from /Schemas: {undeclared}")


def sample(scim, scim_names, kind):
    """A freshly created resource of ``kind`` with its attributes filled in, as GET returns it."""
    if kind == "User":
        created = check.created(scim.create_user(scim_names.user(), title="Sample", nickName="Sam"))
        return check.resource("SCIM-029", scim.get(f"/Users/{created['id']}"))
    member = check.created(scim.create_user(scim_names.user()))
    created = check.created(scim.create_group(scim_names.label("group"), [{"value": member["id"]}]))
    return check.resource("SCIM-029", scim.get(f"/Groups/{created['id']}"))
