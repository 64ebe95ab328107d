"""Schemathesis wiring of the property and stateful tests (``tests/conformance/test_properties_*.py``,
``test_stateful_*.py``).

- ``load_spec`` loads one of ``specs/*.yaml`` with the kit's schemathesis configuration and auth provider; the
  tests send every case to the session's target (``property_run.base_url``), so the spec is bound at run time.
- ``KitAuth`` gives each operation the credential its security scheme names: HTTP Basic with the admin client,
  or a client-credentials bearer token of it fetched at /acs/token (cached; fetched again after a 401).
- A global ``before_call`` hook keeps live tenants safe: created resources are named with the run prefix, and
  a state-changing call addresses only ids this run created (any other id becomes a random, run-prefixed one).
  An ``after_call`` hook registers every created resource with the tracker; tests delete them as they go.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import settings
from schemathesis.core.failures import CustomFailure, FailureGroup
from schemathesis.generation.meta import CONTENT_TYPE_PROBES, CoveragePhaseData, CoverageScenario

from conformance.checks import property_checks
from conformance.checks.core import fail
from conformance.paths import spec_path
from conformance.results import RequirementFailure
from conformance.target.auth import TokenSource
from conformance.target.client import TargetClient
from conformance.target.config import TargetConfig
from conformance.target.tracking import ResourceTracker

CONTRACT_IDS = ("CONTRACT-001", "CONTRACT-002", "CONTRACT-003", "CONTRACT-004", "CONTRACT-005", "CONTRACT-006",
                "CONTRACT-009")
"""What every property test checks (CONTRACT-007, the MIME phase, only applies to the admin APIs)."""
FAILURE_IDS = {"ServerError": "CONTRACT-002", "ContentTypeServerError": "CONTRACT-002",
               "AcceptedNegativeData": "CONTRACT-005", "RejectedPositiveData": "CONTRACT-005",
               "IgnoredAuth": "CONTRACT-006", "MissingHeaderNotRejected": "CONTRACT-006",
               "UnsupportedMethodResponse": "CONTRACT-009", "AllowHeaderMismatch": "CONTRACT-009",
               "UseAfterFree": "CONTRACT-008", "EnsureResourceAvailability": "CONTRACT-008"}
"""Schemathesis failure classes -> requirement; any other built-in failure is a CONTRACT-001 deviation."""
SCHEMATHESIS_CONFIG: dict[str, Any] = {
    "request-timeout": 15,
    "generation": {"mode": "all", "allow-x00": False, "codec": "utf-8"},
    "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
               "stateful": {"max-steps": 6}},
    "output": {"sanitization": {"enabled": True}},
}
NAME_FIELDS = ("client_id", "clientId", "name", "idp_name", "displayName")
DOMAIN_LISTS = ("domains",)
ID_FIELDS = ("client_id", "clientId", "directoryId", "id")
ASYNC_DELETE = {"/SAAS/jersey/manager/api/connectormanagement/directoryconfigs": "?asyncDelete=true"}
DEFAULT_EXAMPLES = 12
"""Examples per operation under the ``dev``/``ci`` profiles; ``--hypothesis-profile nightly`` keeps its own."""


def deep() -> bool:
    """Whether the loaded Hypothesis profile asks for a deep run (``nightly``: hundreds of examples)."""
    return bool(settings.default.max_examples > 100)


def examples() -> settings:
    """Hypothesis settings of one property test: cheap by default, deep under the nightly profile."""
    current = settings.default.max_examples
    return settings(max_examples=current if deep() else min(current, DEFAULT_EXAMPLES))


@dataclass
class PropertyRun:
    """The session as the property tests see it."""

    target: TargetConfig
    client: TargetClient
    tokens: TokenSource
    tracker: ResourceTracker
    domain: str | None = None
    created: set[str] = field(default_factory=set)
    pending: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        """Where every case is sent."""
        return self.target.base_url

    @property
    def prefix(self) -> str:
        """The run prefix of every name the tests give a resource."""
        return self.target.resource_prefix

    def check(self, case: Any) -> Any:
        """Send ``case``, run every check, delete what it created; a failure names its requirement."""
        __tracebackhide__ = True
        try:
            return case.call_and_validate(base_url=self.base_url)
        except FailureGroup as group:
            raise as_requirement_failure(group) from None
        finally:
            self.delete_created()

    def delete_created(self) -> None:
        """Best-effort delete of what the last calls created (the tracker retries at session end)."""
        while self.pending:
            path = self.pending.pop()
            if self.client.delete(path, token=self.tokens.token()).status_code in (200, 202, 204, 404):
                self.tracker.forget(path)


_RUN: list[PropertyRun] = []


def _restore_node_id_attribute() -> None:
    """schemathesis 4.32.5's lazy loader (``from_fixture``) renames the running item per operation through
    ``Node._nodeid``, which pytest 9.2 replaced by ``Node._id``: give the loader the attribute it expects."""
    from _pytest.nodeid import coerce_node_id
    from _pytest.nodes import Node

    if not hasattr(Node, "_nodeid"):
        Node._nodeid = property(lambda node: node.nodeid,  # type: ignore[attr-defined]
                                lambda node, value: setattr(node, "_id", coerce_node_id(value)))


_restore_node_id_attribute()


def current_run() -> PropertyRun:
    """The active session (the auth provider and the hooks are instantiated by schemathesis, not by pytest)."""
    if not _RUN:
        raise RuntimeError("property tests need the `property_run` fixture")
    return _RUN[-1]


def as_requirement_failure(group: FailureGroup) -> RequirementFailure:
    """The kit's failure for schemathesis' failures: the requirement of the first one, every message."""
    first = group.exceptions[0]
    if isinstance(first, CustomFailure) and isinstance(first.exception, RequirementFailure):
        requirement_id = first.exception.requirement_id
    else:
        requirement_id = FAILURE_IDS.get(type(first).__name__, "CONTRACT-001")
    return fail(requirement_id, str(group))


def security_scheme(operation: Any) -> str | None:
    """``basic`` or ``bearer``: the HTTP scheme of the operation's first security requirement, if any."""
    raw = operation.schema.raw_schema
    requirements = operation.definition.raw.get("security", raw.get("security")) or []
    schemes = raw.get("components", {}).get("securitySchemes", {})
    for requirement in requirements:
        for name in requirement:
            if schemes.get(name, {}).get("type") == "http":
                return str(schemes[name].get("scheme", "")).lower()
    return None


class Masked(str):
    """A credential whose repr is masked: schemathesis and Hypothesis print cases (headers included) on failure."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(self.split(" ", 1)[0] + " ***")


class KitAuth:
    """The admin client's credential for each operation (schemathesis caches it per scheme)."""

    def get(self, case: Any, ctx: Any) -> str | None:
        """``Basic ...`` or ``Bearer ...``, or None for operations without security."""
        run, scheme = current_run(), security_scheme(case.operation)
        if scheme == "basic":
            pair = f"{run.target.client_id}:{run.target.client_secret}".encode()
            return "Basic " + base64.b64encode(pair).decode()
        if scheme == "bearer":
            run.tokens.invalidate()  # called only when schemathesis' cache is empty, stale or was refused
            return "Bearer " + run.tokens.token()
        return None

    def set(self, case: Any, data: str, ctx: Any) -> None:
        """Put the credential in the Authorization header."""
        case.headers = case.headers or {}
        case.headers["Authorization"] = Masked(data)


def load_spec(name: str) -> Any:
    """One of ``specs/*.yaml`` as a schemathesis schema with the kit's configuration and auth."""
    generation = {**SCHEMATHESIS_CONFIG["generation"], "no-shrink": not deep()}
    config = schemathesis.Config.from_dict({**SCHEMATHESIS_CONFIG, "generation": generation})
    schema = schemathesis.openapi.from_path(spec_path(name), config=config)
    schema.auth(refresh_interval=240, cache_by_key=lambda case, ctx: security_scheme(case.operation) or "",
                retry_on=[401])(KitAuth)
    return schema


def _safe_id(case: Any, name: str, run: PropertyRun) -> str:
    schema = next((p.get("schema", {}) for p in _path_parameters(case.operation) if p.get("name") == name), {})
    return str(uuid.uuid4()) if schema.get("format") == "uuid" else f"{run.prefix}nx-{uuid.uuid4().hex[:12]}"


def _path_parameters(operation: Any) -> list[dict[str, Any]]:
    path_item = operation.schema.raw_schema.get("paths", {}).get(operation.path, {})
    return [*path_item.get("parameters", []), *operation.definition.raw.get("parameters", [])]


def _prefixed(value: str, run: PropertyRun) -> str:
    return value if value.startswith(run.prefix) else run.prefix + value


def _safe_body(body: dict[str, Any], run: PropertyRun) -> None:
    for key in NAME_FIELDS:
        if isinstance(body.get(key), str):
            body[key] = _prefixed(body[key], run)
    if isinstance(body.get("userName"), str) and not body["userName"].startswith(run.prefix):
        local = body["userName"].partition("@")[0] or "u"
        body["userName"] = run.prefix + local + (f"@{run.domain}" if run.domain else "")
    for key in DOMAIN_LISTS:
        if isinstance(body.get(key), list):
            renamed = {d: f"{run.prefix}{uuid.uuid4().hex[:8]}.example.test" for d in body[key] if isinstance(d, str)}
            body[key] = [renamed.get(d, d) if isinstance(d, str) else d for d in body[key]]
            if isinstance(body.get("default_domain"), str) and body[key]:
                body["default_domain"] = renamed.get(body["default_domain"], body[key][0])


def _cross_field(body: dict[str, Any], run: PropertyRun) -> None:
    """Constraints the specs state in prose (JSON Schema cannot): idle TTL below the TTL, default domain listed."""
    idle, ttl = body.get("refresh_token_idle_ttl"), body.get("refresh_token_ttl", -1)
    if type(idle) is int and type(ttl) is int and idle >= ttl:
        body["refresh_token_ttl"] = idle + 1  # "idle lifetime [...] below refresh_token_ttl"
    if isinstance(body.get("default_domain"), str):
        if not isinstance(body.get("domains"), list) or not body["domains"]:
            body["domains"] = [f"{run.prefix}{uuid.uuid4().hex[:8]}.example.test"]
        if body["default_domain"] not in body["domains"]:
            body["default_domain"] = body["domains"][0]


_COVERAGE_SEEN: set[tuple[Any, ...]] = set()
ALWAYS = frozenset({CoverageScenario.UNSPECIFIED_HTTP_METHOD, CoverageScenario.MISSING_PARAMETER,
                    CoverageScenario.DEFAULT_POSITIVE_TEST, *CONTENT_TYPE_PROBES})


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    """Outside the nightly profile, the coverage phase keeps every request-shape probe and missing parameter but
    one case per scenario and parameter location (a SCIM User alone has a thousand coverage cases)."""
    meta = case._meta
    if deep() or meta is None or not isinstance(meta.phase.data, CoveragePhaseData):
        return True
    data = meta.phase.data
    key = (id(case.operation), data.scenario, data.parameter_location,
           data.parameter if data.scenario in ALWAYS else None, case.method)
    if key in _COVERAGE_SEEN:
        return False
    _COVERAGE_SEEN.add(key)
    return True


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Keep the run inside its own resources (see the module docstring)."""
    if not _RUN:
        return
    run = current_run()
    if case.method.upper() != "GET":
        for name, value in list((case.path_parameters or {}).items()):
            if str(value) not in run.created:
                case.path_parameters[name] = _safe_id(case, name, run)
    if isinstance(case.body, dict) and case.method.upper() in ("POST", "PUT", "PATCH"):
        _safe_body(case.body, run)
        _cross_field(case.body, run)


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    """Register what a create made, for the test to delete and the tracker as a fallback."""
    if not _RUN or response.status_code != 201 or case.method.upper() != "POST":
        return
    run = current_run()
    try:
        body = response.json()
    except ValueError:
        body = {}
    ident = next((str(body[key]) for key in ID_FIELDS if isinstance(body, dict) and body.get(key)), None)
    if ident is None:
        return
    run.created.add(ident)
    path = f"{case.operation.path}/{ident}{ASYNC_DELETE.get(case.operation.path, '')}"
    run.tracker.add("property", path)
    run.pending.append(path)


def run_stateful(schema: Any, run: PropertyRun, domain: str | None = None, max_examples: int = 6) -> None:
    """Walk the spec's links (create -> read -> update -> delete) from the target's base URL; leftovers of each
    scenario are deleted in its teardown, and a failure names its requirement."""
    schema.config.update(base_url=run.base_url)
    run.domain = domain

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            try:
                super().validate_response(response, case, additional_checks, **kwargs)
            except FailureGroup as group:
                raise as_requirement_failure(group) from None

        def teardown(self) -> None:
            run.delete_created()

    current = settings.default.max_examples
    Workflow.run(settings=settings(max_examples=current if current > 100 else max_examples,
                                   stateful_step_count=6, deadline=None))


def _resolve_phase(target: TargetConfig) -> str | None:
    if target.mime_phase != "auto":
        return target.mime_phase
    return "transition" if target.is_emulator else None


@pytest.fixture(scope="session")
def property_run(target: TargetConfig, client: TargetClient, tracker: ResourceTracker) -> Iterator[PropertyRun]:
    """The session's schemathesis context; checks learn the MIME phase and the secrets that must not echo."""
    if not (target.client_id and target.client_secret):
        pytest.skip("no admin client credentials (--client-id/--client-secret)")
    tokens = TokenSource(client, target.client_id, target.client_secret)
    run = PropertyRun(target, client, tokens, tracker)
    property_checks.configure(_resolve_phase(target), target.secrets)
    _RUN.append(run)
    yield run
    _RUN.remove(run)
    run.delete_created()


def _bound(name: str, run: PropertyRun, domain: str | None = None) -> Any:
    schema = load_spec(name)
    schema.config.update(base_url=run.base_url)
    run.domain = domain
    return schema


@pytest.fixture
def token_schema(property_run: PropertyRun) -> Any:
    """specs/token.yaml bound to the target (for ``schemathesis.pytest.from_fixture``)."""
    return _bound("token.yaml", property_run)


@pytest.fixture
def oauth2_clients_schema(property_run: PropertyRun) -> Any:
    """specs/oauth2-clients.yaml bound to the target."""
    return _bound("oauth2-clients.yaml", property_run)


@pytest.fixture
def directories_schema(property_run: PropertyRun) -> Any:
    """specs/directories.yaml bound to the target."""
    return _bound("directories.yaml", property_run)


@pytest.fixture
def scim_schema(property_run: PropertyRun, scim_domain: str) -> Any:
    """specs/scim.yaml bound to the target; userNames go to the session directory's domain."""
    return _bound("scim.yaml", property_run, scim_domain)


@pytest.fixture
def legacy_schema(property_run: PropertyRun, scim_domain: str) -> Any:
    """specs/legacy-access.yaml bound to the target; userNames go to the session directory's domain."""
    return _bound("legacy-access.yaml", property_run, scim_domain)
