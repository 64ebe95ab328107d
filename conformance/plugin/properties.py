"""Schemathesis wiring of the property and stateful tests (``conformance/suite/test_properties_*.py``,
``test_stateful_*.py``).

- ``load_spec`` loads one of ``specs/*.yaml`` with the kit's schemathesis configuration and auth provider; the
  tests send every case to the session's target (``property_run.base_url``), so the spec is bound at run time.
- ``KitAuth`` gives each operation the credential its security scheme names: HTTP Basic with the admin client,
  or a client-credentials bearer token of it fetched at /acs/token (cached; fetched again after a 401).
- Global hooks (active while ``property_run`` is): ``map_case`` keeps live tenants safe and cases valid
  (``property_cases.shape``: run-prefixed names, only run-created ids in state-changing calls); ``after_call``
  registers every created resource with the tracker, and the tests delete them as they go; ``filter_case``
  samples the coverage phase outside the nightly profile.
- Built-in checks that are inapplicable by design to an operation are listed, with the reason, in ``EXCLUDED``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import Flaky
from schemathesis.core.failures import FailureGroup

from conformance.checks import property_checks
from conformance.housekeeping.tracking import ResourceTracker
from conformance.paths import spec_path
from conformance.plugin.property_cases import (
    as_requirement_failure,
    created_id,
    excluded,
    keep_coverage_case,
    restore_node_id_attribute,
    shape,
)
from conformance.target.auth import TokenSource
from conformance.target.client import TargetClient
from conformance.target.config import TargetConfig

CONTRACT_IDS = ("CONTRACT-001", "CONTRACT-002", "CONTRACT-003", "CONTRACT-004", "CONTRACT-005", "CONTRACT-006",
                "CONTRACT-009")
"""What every property test checks (CONTRACT-007, the MIME phase, only applies to the admin APIs)."""
SCHEMATHESIS_CONFIG: dict[str, Any] = {
    "request-timeout": 15,
    "generation": {"mode": "all", "allow-x00": False, "codec": "utf-8"},
    "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
               # Only the spec's own links: inferred ones (list -> delete) would aim at resources of others.
               "stateful": {"max-steps": 6, "inference": {"algorithms": []}}},
    "output": {"sanitization": {"enabled": True}},
    # RFC 9110 §13.1.1: a valid request whose If-Match (a generated, never-matching ETag) fails answers 412.
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "412",
                                                                  "429", "5xx"]}},
}
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

    def __repr__(self) -> str:
        return f"PropertyRun(base_url={self.base_url!r}, created={len(self.created)} resources)"

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
            return case.call_and_validate(base_url=self.base_url, excluded_checks=excluded(case))
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
restore_node_id_attribute()


def current_run() -> PropertyRun:
    """The active session (the auth provider and the hooks are instantiated by schemathesis, not by pytest)."""
    if not _RUN:
        raise RuntimeError("property tests need the `property_run` fixture")
    return _RUN[-1]


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


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    """Sample the coverage phase outside the nightly profile (see ``property_cases.keep_coverage_case``)."""
    return deep() or not _RUN or keep_coverage_case(case)


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    """Keep the run inside its own resources and the cases valid (see ``property_cases.shape``)."""
    if _RUN:
        run = current_run()
        shape(case, run.prefix, run.domain, run.created)
    return case


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    """Register what a create made, for the test to delete and the tracker as a fallback."""
    if not _RUN or response.status_code != 201 or case.method.upper() != "POST":
        return
    run = current_run()
    try:
        ident = created_id(response.json())
    except ValueError:
        ident = None
    if ident is None:
        return
    run.created.add(ident)
    path = f"{case.operation.path}/{ident}{ASYNC_DELETE.get(case.operation.path, '')}"
    run.tracker.add("property", path)
    run.pending.append(path)


def run_stateful(schema: Any, run: PropertyRun, domain: str | None = None, max_examples: int = 6) -> int:
    """Walk the spec's links (create -> read -> update -> delete) from the target's base URL and return the number
    of calls made; each scenario deletes its leftovers, and a failure names its requirement."""
    schema.config.update(base_url=run.base_url)
    run.domain = domain
    seen: dict[str, Any] = {"calls": 0, "failure": None}

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            seen["calls"] += 1
            try:
                case.validate_response(response, additional_checks=additional_checks, excluded_checks=excluded(case),
                                       transport_kwargs=kwargs or None, recorder=getattr(self, "recorder", None))
            except FailureGroup as group:
                seen["failure"] = seen["failure"] or as_requirement_failure(group)
                raise seen["failure"] from None

        def teardown(self) -> None:
            run.delete_created()

    # No shrinking and no example database: against a live server a replay meets state that has moved on, which
    # Hypothesis reports as Flaky. As schemathesis' own engine does, a Flaky run counts for the failure it found.
    try:
        Workflow.run(settings=settings(max_examples=settings.default.max_examples if deep() else max_examples,
                                       stateful_step_count=6, deadline=None, database=None,
                                       phases=(Phase.explicit, Phase.generate),
                                       suppress_health_check=list(HealthCheck)))
    except Flaky:
        if seen["failure"] is not None:
            raise seen["failure"] from None
    return int(seen["calls"])


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


def _schema_fixture(spec: str, domain_fixture: str | None = None) -> Any:
    """A fixture loading ``specs/<spec>`` bound to the target, for ``schemathesis.pytest.from_fixture``; SCIM
    userNames go to the domain the fixture named ``domain_fixture`` holds (a directory the session created)."""

    def bound(request: pytest.FixtureRequest, property_run: PropertyRun) -> Any:
        schema = load_spec(spec)
        schema.config.update(base_url=property_run.base_url)
        property_run.domain = request.getfixturevalue(domain_fixture) if domain_fixture else None
        return schema

    bound.__doc__ = f"specs/{spec} bound to the target."
    return pytest.fixture(name=spec.removesuffix(".yaml").replace("-access", "").replace("-", "_") + "_schema")(bound)


token_schema = _schema_fixture("token.yaml")
oauth2_clients_schema = _schema_fixture("oauth2-clients.yaml")
directories_schema = _schema_fixture("directories.yaml")
scim_schema = _schema_fixture("scim.yaml", "scim_domain")
legacy_schema = _schema_fixture("legacy-access.yaml", "legacy_domain")


@pytest.fixture
def legacy_domain(legacy_directory: dict[str, Any]) -> str:
    """The domain of a directory created the seed 003 way: legacy users must belong to one."""
    return str(legacy_directory["domains"][0])
