"""The OpenAPI contracts and data tables under specs/ are valid, loadable and consistent with each other."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from openapi_spec_validator import OpenAPIV31SpecValidator

from conformance.paths import specs_dir

SPEC_FILES = sorted(path.name for path in specs_dir().glob("*.yaml"))
METHODS = ("get", "put", "post", "patch", "delete")
ADMIN_PREFIXES = ("/acs/broker/", "/usergroup/broker/", "/federation/broker/", "/SAAS/jersey/")
ERROR_SCHEMAS = {"AdminError": "admin-error", "OAuth2Error": "oauth2-error", "ScimError": "scim-error"}
EXPECTED_OPERATION_IDS = {
    "token.yaml": {"getAccessToken", "revoke", "getJwkKeys", "getOIDCConfiguration", "getUserInfo"},
    "oauth2-clients.yaml": {
        "getAllOAuth2ClientSummaries", "createNewOAuth2Client", "getOAuth2ClientById", "patchOAuth2ClientById",
        "deleteOAuth2ClientById", "rotateSecretForOAuth2ClientById"},
    "directories.yaml": {
        "getAllDirectories", "createNewDirectory", "getDirectoryById", "patchDirectoryById", "deleteDirectoryById",
        "getDirectorySyncClientById", "generateCredentialsForSyncClient", "getAllIdentityProviders",
        "createNewIdentityProvider", "getIdentityProviderById", "patchIdentityProviderById",
        "deleteIdentityProviderById"},
    "scim.yaml": {
        "searchGroups", "createGroup", "getGroup", "putGroup", "patchGroup", "deleteGroup", "postGroupsSearch",
        "getMe", "getUserSearch", "createUser", "getUser", "putUser", "patchUser", "deleteUser", "postUserSearch",
        "getServiceProviderConfig", "getResourceTypes", "getResourceType", "getSchemas", "getSchema"},
    "legacy-access.yaml": {
        "legacyGetToken", "legacyListUsers", "legacyCreateUser", "legacyGetUser", "legacyPatchUser",
        "legacyDeleteUser", "legacyListGroups", "legacyCreateGroup", "legacyGetGroup", "legacyDeleteGroup",
        "legacyListDirectoryConfigs", "legacyCreateDirectoryConfig", "legacyDeleteDirectoryConfig",
        "legacyListOAuth2Clients", "legacyCreateOAuth2Client", "legacyGetOAuth2Client", "legacyDeleteOAuth2Client"},
}


@cache
def load_spec(name: str) -> dict[str, Any]:
    """The parsed YAML document of one spec file."""
    return yaml.safe_load((specs_dir() / name).read_text(encoding="utf-8"))


def load_table(name: str) -> dict[str, Any]:
    """The parsed TOML of one data table under specs/."""
    return tomllib.loads((specs_dir() / name).read_text(encoding="utf-8"))


def operations(name: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path, operation) for every operation of one spec."""
    for path, item in load_spec(name)["paths"].items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` (one level is all the specs use)."""
    if "$ref" not in node:
        return node
    target: Any = spec
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target[part]
    return target


def operation_index() -> dict[str, tuple[str, str]]:
    """`file#operationId` -> (METHOD, path) over every spec."""
    return {f"{name}#{op['operationId']}": (method, path)
            for name in SPEC_FILES for method, path, op in operations(name)}


def expected_rule(phase: str, request: str, accept: str) -> tuple[int, str, bool]:
    """(status, response_type, deprecation) the BRIEF's MIME rules give for one combination."""
    if phase == "legacy":
        refused = 415 if request == "json" else 406 if accept == "json" else 0
        return (refused, "", False) if refused else (200, "vendor", False)
    if phase == "json":
        refused = 415 if request == "vendor" else 406 if accept == "vendor" else 0
        return (refused, "", False) if refused else (200, "json", False)
    response = accept if accept in ("vendor", "json") else "vendor" if request == "vendor" else "json"
    return 200, response, "vendor" in (request, accept)


def test_every_family_has_a_spec() -> None:
    """Each API family of the BRIEF has its OpenAPI file under specs/."""
    assert sorted(EXPECTED_OPERATION_IDS) == SPEC_FILES


@pytest.mark.parametrize("name", SPEC_FILES)
def test_spec_is_valid_openapi_31(name: str) -> None:
    """The document is OpenAPI 3.1 and passes openapi-spec-validator's 3.1 validator."""
    spec = load_spec(name)
    OpenAPIV31SpecValidator(spec).validate()
    assert spec["openapi"].startswith("3.1")


@pytest.mark.parametrize("name", SPEC_FILES)
def test_spec_loads_in_schemathesis(name: str) -> None:
    """schemathesis.openapi.from_path loads the file and every operation resolves without error."""
    schema = schemathesis.openapi.from_path(str(specs_dir() / name))
    labels = [result.ok().label for result in schema.get_all_operations()]
    assert len(list(operations(name))) == len(labels)


@pytest.mark.parametrize("name", SPEC_FILES)
def test_spec_has_the_agreed_operation_ids(name: str) -> None:
    """The operationIds are the vendor's (or the agreed legacy names), each used once."""
    ids = [op["operationId"] for _, _, op in operations(name)]
    assert (EXPECTED_OPERATION_IDS[name], len(ids)) == (set(ids), len(set(ids)))


@pytest.mark.parametrize("name", SPEC_FILES)
def test_spec_credits_the_vendor_documentation(name: str) -> None:
    """info.description carries the CC BY 4.0 attribution of the vendor facts."""
    credit = "Derived from facts in the Omnissa API documentation, euc-dev/ws1-identity-services-api, CC BY 4.0"
    assert credit in load_spec(name)["info"]["description"]


@pytest.mark.parametrize("name", SPEC_FILES)
def test_inline_error_schemas_equal_the_json_schema_files(name: str) -> None:
    """Error schemas in components are identical to specs/schemas/*.schema.json (minus $schema and $id)."""
    components = load_spec(name)["components"]["schemas"]
    for component, file_stem in ERROR_SCHEMAS.items():
        if component in components:
            data = json.loads((specs_dir() / "schemas" / f"{file_stem}.schema.json").read_text(encoding="utf-8"))
            expected = {key: value for key, value in data.items() if key not in ("$schema", "$id")}
            assert expected == components[component]


@pytest.mark.parametrize("name", SPEC_FILES)
def test_every_operation_declares_444_without_content(name: str) -> None:
    """'The API ... returns HTTP 444 (No Response) (with no response body)' on a Host mismatch (seed 000)."""
    spec = load_spec(name)
    for _, _, op in operations(name):
        assert "content" not in resolve(spec, op["responses"]["444"])


def error_schema_refs(name: str, prefixes: tuple[str, ...]) -> Iterator[tuple[str, str, set[str]]]:
    """(operation label, status, schema refs of its body) for every 4xx except 444 of the matching operations."""
    spec = load_spec(name)
    for method, path, op in operations(name):
        if not path.startswith(prefixes):
            continue
        for status, response in op["responses"].items():
            if status.startswith("4") and status != "444":
                content = resolve(spec, response).get("content", {})
                yield f"{method} {path}", status, {media["schema"].get("$ref", "") for media in content.values()}


@pytest.mark.parametrize("name", SPEC_FILES)
def test_admin_error_responses_reference_the_envelope(name: str) -> None:
    """Admin (and legacy jersey) errors are the admin envelope, application/json only (BRIEF decisions)."""
    for label, status, refs in error_schema_refs(name, ADMIN_PREFIXES):
        assert ({"#/components/schemas/AdminError"}, label, status) == (refs, label, status)


@pytest.mark.parametrize(("name", "prefix", "component"), [
    ("token.yaml", "/acs/", "OAuth2Error"),
    ("legacy-access.yaml", "/SAAS/auth/", "OAuth2Error"),
    ("scim.yaml", "/usergroup/scim/v2/", "ScimError"),
])
def test_token_and_scim_errors_use_their_dialect(name: str, prefix: str, component: str) -> None:
    """Token endpoints answer RFC 6749 §5.2 errors; SCIM endpoints answer RFC 7644 §3.12 errors."""
    for label, status, refs in error_schema_refs(name, (prefix,)):
        assert ({f"#/components/schemas/{component}"}, label, status) == (refs, label, status)


@pytest.mark.parametrize("name", SPEC_FILES)
def test_bearer_security_is_http_bearer(name: str) -> None:
    """Every security scheme an operation uses is `http` (so schemathesis' ignored_auth check probes it)."""
    spec = load_spec(name)
    schemes = spec["components"]["securitySchemes"]
    for _, _, op in operations(name):
        for requirement in op.get("security", []):
            assert all(schemes[scheme]["type"] == "http" for scheme in requirement)


@pytest.mark.parametrize("name", SPEC_FILES)
def test_links_target_existing_operations_and_parameters(name: str) -> None:
    """Every OpenAPI link names an operation of the same file and one of its path parameters."""
    spec = load_spec(name)
    by_id = {op["operationId"]: (path, op) for _, path, op in operations(name)}
    for _, _, op in operations(name):
        for response in op["responses"].values():
            for link in resolve(spec, response).get("links", {}).values():
                path, _ = by_id[link["operationId"]]
                assert all(f"{{{param}}}" in path for param in link["parameters"])


@pytest.mark.parametrize("table", ["access-policy.toml", "mime-phases.toml"])
def test_table_operations_exist_in_the_specs(table: str) -> None:
    """Each row's `file#operationId` exists in the specs with the row's method and path template."""
    index = operation_index()
    for row in load_table(table)["operation"]:
        assert (row["id"], (row["method"], row["path"])) == (row["id"], index.get(row["id"]))


def test_access_policy_covers_every_bearer_protected_ids_operation() -> None:
    """One row per oauth2-clients, directories/sync-client/IdP and SCIM v2 operation, with known rule sets."""
    table = load_table("access-policy.toml")
    expected = {f"{name}#{op['operationId']}" for name in ("oauth2-clients.yaml", "directories.yaml", "scim.yaml")
                for _, _, op in operations(name)}
    assert expected == {row["id"] for row in table["operation"]}
    assert all(set(row["allowed"]) <= set(table["rule_sets"]) for row in table["operation"])


def test_mime_phases_cover_every_admin_operation_with_its_vendor_types() -> None:
    """Every IDS admin operation has a row, and its vendor types are the ones the spec lists beside JSON."""
    rows = {row["id"]: row for row in load_table("mime-phases.toml")["operation"]}
    for name in ("oauth2-clients.yaml", "directories.yaml"):
        for _, _, op in operations(name):
            row = rows[f"{name}#{op['operationId']}"]
            request_types = set(op.get("requestBody", {}).get("content", {})) - {"application/json"}
            success = next(resp for status, resp in op["responses"].items() if status.startswith("2"))
            response_types = set(success.get("content", {})) - {"application/json"}
            assert (request_types, response_types) == (
                {row["request_vendor_type"]} - {""}, {row["response_vendor_type"]} - {""})


def test_mime_phases_has_the_36_rules_of_the_brief() -> None:
    """3 phases x 3 request kinds x 4 accept kinds, each with the status, type and deprecation the BRIEF decides."""
    table = load_table("mime-phases.toml")
    actual = {(r["phase"], r["request"], r["accept"]): (r["status"], r["response_type"], r["deprecation"])
              for r in table["rule"]}
    expected = {(phase, request, accept): expected_rule(phase, request, accept)
                for phase in ("legacy", "transition", "json") for request in ("vendor", "json", "none")
                for accept in ("vendor", "json", "any", "missing")}
    assert (36, expected) == (len(table["rule"]), actual)
    assert ("@1751241600", "https://kb.omnissa.com/s/article/6000953") == (
        table["deprecation"], table["deprecation_link"])


def test_json_schema_files_are_valid_draft_2020_12() -> None:
    """specs/schemas/*.schema.json are valid JSON Schema 2020-12 documents."""
    from jsonschema import Draft202012Validator

    files = sorted(Path(specs_dir() / "schemas").glob("*.schema.json"))
    for path in files:
        Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))
    assert {f"{stem}.schema.json" for stem in ERROR_SCHEMAS.values()} <= {path.name for path in files}
