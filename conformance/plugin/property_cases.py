"""How the property and stateful tests shape schemathesis cases before they are sent (imported by
``conformance.plugin.properties``, which registers the hooks that call it).

- Safety on live tenants: a state-changing call addresses only ids the run created (any other id becomes a random
  one: a fresh UUID, or ``<run prefix>nx-<hex>``), and created resources get run-prefixed names and domains.
- Constraints the specs can only state in prose (JSON Schema cannot, or the rule depends on the stored resource a
  PATCH schema cannot see) are made to hold, so a schema-valid case is also a valid request.
- Outside the nightly profile the coverage phase is sampled: a SCIM User alone has a thousand coverage cases.
- Judging: built-in checks inapplicable by design to an operation (``EXCLUDED``), and the requirement a
  schemathesis failure breaks (``as_requirement_failure``).
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import unquote

from schemathesis.core.failures import CustomFailure, FailureGroup
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import CONTENT_TYPE_PROBES, CoveragePhaseData, CoverageScenario
from schemathesis.specs.openapi.checks import ensure_resource_availability, positive_data_acceptance, use_after_free

from conformance.checks.core import fail
from conformance.results import RequirementFailure

NAME_FIELDS = ("client_id", "clientId", "name", "idp_name", "displayName")
TRANSPORT_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})
SCIM_PATHS = ("/usergroup/scim/v2/", "/SAAS/jersey/manager/api/scim/")
ALWAYS_COVERED = frozenset({CoverageScenario.UNSPECIFIED_HTTP_METHOD, CoverageScenario.MISSING_PARAMETER,
                            CoverageScenario.DEFAULT_POSITIVE_TEST, *CONTENT_TYPE_PROBES})
"""Coverage scenarios kept in full: request-shape probes, each missing parameter (Authorization too)."""
_COVERAGE_SEEN: set[tuple[Any, ...]] = set()
FAILURE_IDS = {"ServerError": "CONTRACT-002", "ContentTypeServerError": "CONTRACT-002",
               "AcceptedNegativeData": "CONTRACT-005", "RejectedPositiveData": "CONTRACT-005",
               "IgnoredAuth": "CONTRACT-006", "MissingHeaderNotRejected": "CONTRACT-006",
               "UnsupportedMethodResponse": "CONTRACT-009", "AllowHeaderMismatch": "CONTRACT-009",
               "UseAfterFree": "CONTRACT-008", "EnsureResourceAvailability": "CONTRACT-008"}
"""Schemathesis failure classes -> requirement; any other built-in failure is a CONTRACT-001 deviation."""
# DIR-005: deleting a directory is asynchronous (202); meanwhile it reads 200 with delete_in_progress, and a second
# DELETE reached through another link answers 404 once the first has completed.
_ASYNC_DIRECTORY_DELETE = (use_after_free, ensure_resource_availability)
EXCLUDED: dict[str, tuple[Any, ...]] = {
    # The spec answers 400 to a well-formed rotation when one is already running (start) or none is (retire):
    # whether valid data is accepted depends on state the generator cannot see.
    "rotateSecretForOAuth2ClientById": (positive_data_acceptance,),
    # A PatchOp's "path" is the RFC 7644 §3.10 attribute-path grammar and whether "value" is required, and of which
    # type, depends on "op" and on that path: JSON Schema cannot say which schema-valid PatchOps are valid requests.
    "patchUser": (positive_data_acceptance,), "patchGroup": (positive_data_acceptance,),
    "getDirectoryById": _ASYNC_DIRECTORY_DELETE, "patchDirectoryById": _ASYNC_DIRECTORY_DELETE,
    "deleteDirectoryById": _ASYNC_DIRECTORY_DELETE, "getDirectorySyncClientById": _ASYNC_DIRECTORY_DELETE,
    "generateCredentialsForSyncClient": _ASYNC_DIRECTORY_DELETE,
}
"""Built-in checks switched off per operation (by operationId), each for the reason given."""


def keep_coverage_case(case: Any) -> bool:
    """One coverage case per operation, scenario and parameter location, plus every ``ALWAYS_COVERED`` one."""
    meta = case._meta
    if meta is None or not isinstance(meta.phase.data, CoveragePhaseData):
        return True
    data = meta.phase.data
    key = (id(case.operation), data.scenario, data.parameter_location,
           data.parameter if data.scenario in ALWAYS_COVERED else None, case.method)
    if key in _COVERAGE_SEEN:
        return False
    _COVERAGE_SEEN.add(key)
    return True


def shape(case: Any, prefix: str, domain: str | None, created: set[str]) -> None:
    """Make ``case`` safe for a live tenant and valid where the spec's prose says more than its schemas. Runs when
    the case is generated (``map_case``): schemathesis takes edits made later, in ``before_call``, for explicit
    overrides, and then judges e.g. a replaced id as if a link had supplied it."""
    if case.method.upper() != "GET":
        for name, value in list((case.path_parameters or {}).items()):
            if unquote(str(value)) not in created:  # link values arrive percent-encoded
                case.path_parameters[name] = safe_id(case.operation, name, prefix)
                _record_as_generated(case, name)
    _valid_filter(case)
    for name in [n for n in (case.headers or {}) if n.lower() in TRANSPORT_HEADERS]:
        del case.headers[name]  # a generated "Host" would be answered 444 (Host check) instead of being judged
    if isinstance(case.body, dict) and case.method.upper() in ("POST", "PUT", "PATCH"):
        _prefix_names(case.body, prefix, domain)
        _cross_field(case.body, prefix)
        if (case.query or {}).get("action") == "start-rotate-secret":  # "mandatory to start a rotation"
            case.body.setdefault("secondary_secret", f"{prefix}{uuid.uuid4().hex}")
    _ = case.meta  # reading it revalidates the positive/negative labels of what was changed


def _record_as_generated(case: Any, name: str) -> None:
    """Let schemathesis see a replaced path parameter as generated data, not as a value a link supplied: a
    stateful step that explored without its link's id must not be judged by "a created resource is readable"
    (ST302). Relies on schemathesis 4.32.5's ``Case._components`` (pinned); without it nothing is recorded."""
    stored = getattr(case, "_components", {}).get(ParameterLocation.PATH)
    if stored is not None and isinstance(stored.value, dict):
        stored.value[name] = case.path_parameters[name]


def safe_id(operation: Any, name: str, prefix: str) -> str:
    """An id nobody else's resource has: a fresh UUID where the parameter is a UUID, else a run-prefixed one."""
    path_item = operation.schema.raw_schema.get("paths", {}).get(operation.path, {})
    parameters = [*path_item.get("parameters", []), *operation.definition.raw.get("parameters", [])]
    schema = next((p.get("schema", {}) for p in parameters if p.get("name") == name), {})
    return str(uuid.uuid4()) if schema.get("format") == "uuid" else f"{prefix}nx-{uuid.uuid4().hex[:12]}"


LEGACY_WORKSPACE = "urn:scim:schemas:extension:workspace:1.0"


def _domain(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}.example.test"


def _prefix_names(body: dict[str, Any], prefix: str, domain: str | None) -> None:
    for key in NAME_FIELDS:
        if isinstance(body.get(key), str) and not body[key].startswith(prefix):
            body[key] = prefix + body[key]
    if isinstance(body.get("userName"), str) and not body["userName"].startswith(prefix):
        local = body["userName"].partition("@")[0] or "u"
        body["userName"] = prefix + local + (f"@{domain}" if domain else "")
    workspace = body.get(LEGACY_WORKSPACE)
    if domain and isinstance(workspace, dict) and isinstance(workspace.get("domain"), str):
        workspace["domain"] = domain  # seed 003: the domain must belong to a directory (the session's)
    if isinstance(body.get("domains"), list):
        renamed = {d: _domain(prefix) for d in body["domains"] if isinstance(d, str)}
        body["domains"] = [renamed.get(d, d) if isinstance(d, str) else d for d in body["domains"]]
        if isinstance(body.get("default_domain"), str):
            body["default_domain"] = renamed.get(body["default_domain"], body["default_domain"])


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cross_field(body: dict[str, Any], prefix: str) -> None:
    """One primary value per multi-valued attribute; group members only from this run (none); redirect URIs and
    refresh TTLs for the grants that need them (the stored client may have none, or the grant: no TTL is cleared
    by a PATCH that leaves grant_types alone); the idle TTL "below
    refresh_token_ttl"; a default domain "one of domains"."""
    for values in [v for v in body.values() if isinstance(v, list)]:  # RFC 7643 §2.4: "primary" true at most once
        primaries = [item for item in values if isinstance(item, dict) and item.get("primary") is True]
        for item in primaries[1:]:
            item["primary"] = False
    if isinstance(body.get("members"), list):
        body["members"] = []  # members reference existing Users/Groups: random ids are refused, real ones not ours
    grants = body.get("grant_types") if isinstance(body.get("grant_types"), list) else []
    if "authorization_code" in grants and not body.get("redirect_uris"):
        body["redirect_uris"] = [f"https://{prefix}app.example.test/callback"]
    for name, minutes in (("refresh_token_ttl", 60), ("refresh_token_idle_ttl", 30)):
        needed = "refresh_token" in grants and not body.get(name)
        clearing = body.get(name) == 0 and "grant_types" not in body  # refused if the stored client has the grant
        if needed or clearing:
            body[name] = minutes
    idle, ttl = body.get("refresh_token_idle_ttl"), body.get("refresh_token_ttl", -1)
    if _number(idle) and _number(ttl) and idle >= ttl:
        body["refresh_token_ttl"] = int(idle) + 1
    elif _number(ttl) and ttl >= 0 and "refresh_token_idle_ttl" not in body:  # the stored idle TTL may be longer
        body["refresh_token_idle_ttl"] = max(int(ttl) - 1, 0)
    if isinstance(body.get("domains"), list) and "default_domain" not in body:  # the stored one must stay listed
        body["domains"] = body["domains"] or [_domain(prefix)]
        body["default_domain"] = body["domains"][0]
    if isinstance(body.get("default_domain"), str):
        if not isinstance(body.get("domains"), list) or not body["domains"]:
            body["domains"] = [_domain(prefix)]
        if body["default_domain"] not in body["domains"]:
            body["default_domain"] = body["domains"][0]


def _valid_filter(case: Any) -> None:
    """A SCIM ``filter`` is a grammar (RFC 7644 §3.4.2.2) the spec can only type as a string: a generated string
    becomes the comparison value of an ``eq`` filter, so the request stays what the case meant it to be."""
    if not case.operation.path.startswith(SCIM_PATHS):
        return
    attribute = "displayName" if "/Groups" in case.operation.path else "userName"
    for container in (case.query, case.body):
        if isinstance(container, dict) and isinstance(container.get("filter"), str):
            container["filter"] = f"{attribute} eq {json.dumps(container['filter'])}"


def created_id(body: Any) -> str | None:
    """The identifier a create answered with (``client_id`` for OAuth2 clients, else ``directoryId`` or ``id``)."""
    if not isinstance(body, dict):
        return None
    return next((str(body[key]) for key in ("client_id", "clientId", "directoryId", "id") if body.get(key)), None)


def excluded(case: Any) -> list[Any]:
    """The built-in checks ``EXCLUDED`` switches off for the case's operation."""
    return list(EXCLUDED.get(case.operation.definition.raw.get("operationId", ""), ()))


def as_requirement_failure(group: FailureGroup) -> RequirementFailure:
    """The kit's failure for schemathesis' failures: the requirement of the first one, every message."""
    first = group.exceptions[0]
    if isinstance(first, CustomFailure) and isinstance(first.exception, RequirementFailure):
        requirement_id = first.exception.requirement_id
    else:
        requirement_id = FAILURE_IDS.get(type(first).__name__, "CONTRACT-001")
    return fail(requirement_id, str(group))


def restore_node_id_attribute() -> None:
    """schemathesis 4.32.5's lazy loader (``from_fixture``) renames the running item per operation through
    ``Node._nodeid``, which pytest 9.2 replaced by ``Node._id``: give the loader the attribute it expects."""
    from _pytest.nodeid import coerce_node_id
    from _pytest.nodes import Node

    if not hasattr(Node, "_nodeid"):
        Node._nodeid = property(lambda node: node.nodeid,  # type: ignore[attr-defined]
                                lambda node, value: setattr(node, "_id", coerce_node_id(value)))

