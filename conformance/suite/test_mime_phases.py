"""Media types of the admin APIs across the KB 6000953 phases, driven by specs/mime-phases.toml.

The phase is detected (or taken from --mime-phase) and recorded. The by-id GET and PATCH of each family run the
full matrix (request vendor/json/none x Accept vendor/json/*/*/missing); every operation of the table gets the
basic application/json exchange. An emulator-only test starts emulators in the legacy and json phases and runs the
same exchanges there. Resources are created in the phase's own media types and tracked for cleanup.
"""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest

from conformance.checks.core import require
from conformance.checks.mime import JSON, exchange, headers_for, operation_spec, phase_table, phases_matching
from conformance.housekeeping.tracking import ResourceTracker
from conformance.plugin.authz import OIDC_SECRET, call, client_body, directory_body, idp_body, send, track_created
from conformance.target.auth import TokenSource
from conformance.target.client import TargetClient
from conformance.target.config import TargetConfig
from conformance.target.launcher import start_emulator, stop_emulator

TABLE = phase_table()
OPERATIONS = list(TABLE.operations.values())
MATRIX = [op for op in OPERATIONS if op.path.endswith("}") and op.method in ("GET", "PATCH")]
COLLECTIONS = {"/acs/broker/oauth2-clients": "client", "/usergroup/broker/directories": "directory",
               "/federation/broker/identity-providers": "idp"}
COLLECTION_OF = {family: path for path, family in COLLECTIONS.items()}
CREATES = {"client": "oauth2-clients.yaml#createNewOAuth2Client", "directory": "directories.yaml#createNewDirectory",
           "idp": "directories.yaml#createNewIdentityProvider"}
PATCHES = {"client": {"access_token_ttl": 60}, "directory": {"source": "GENERIC"},
           "idp": {"idp_source_type": "GENERIC"}}
ACTION_BODIES = {"start-rotate-secret": lambda: {"secondary_secret": secrets.token_urlsafe(24)},
                 "generate_credentials": lambda: {"generate_token": False}}
OTHER_PHASES = ("legacy", "json")
SECRET_FIELDS = ("secret", "client_secret", "access_token", "secondary_secret")


def collection_of(path):
    """(family, collection path) of an operation path."""
    collection = next(c for c in COLLECTIONS if path.startswith(c))
    return COLLECTIONS[collection], collection


def action_of(operation):
    """The first value of the operation's required enum query parameter (``action``), if it has one."""
    for parameter in operation_spec(operation.id).get("parameters", []):
        if parameter.get("in") == "query" and parameter.get("required") and parameter["schema"].get("enum"):
            return {parameter["name"]: parameter["schema"]["enum"][0]}
    return None


class World:
    """A target (client, admin token, tracker, phase) and the resources the exchanges act on."""

    def __init__(self, client, admin, tracker, phase):
        self.client, self.admin, self.tracker, self.phase = client, admin, tracker, phase
        client.redactor.register(OIDC_SECRET)
        self.ids = {"directory": self.create("directory")}
        self.ids.update(idp=self.create("idp"), client=self.create("client"))
        sync = next(op for op in OPERATIONS if op.method == "POST" and op.path.endswith("sync-client"))
        self.act(sync, "json" if phase != "legacy" else "vendor", "missing")

    def body(self, family):
        """A valid create body of ``family``."""
        prefix = self.tracker.prefix
        if family == "idp":
            return idp_body(prefix, self.ids["directory"])
        return client_body(prefix, ["READ_ONLY_TENANT_ADMIN"]) if family == "client" else directory_body(prefix)

    def create(self, family):
        """A new resource of ``family`` in the phase's media types; returns its path id."""
        body, collection = self.body(family), COLLECTION_OF[family]
        self.redact(body)
        response = call(self.client, self.phase, CREATES[family], "POST", collection, token=self.admin.token(),
                        body=body, tracker=self.tracker)
        if response.status_code != 201:
            pytest.fail(f"setup: creating a {family} in phase {self.phase} answered {response.status_code}")
        return body["client_id"] if family == "client" else response.json()["id"]

    def path(self, operation, family):
        """The concrete path: a fresh resource for DELETE and secret rotation, the shared one otherwise."""
        if "{" not in operation.path:
            return operation.path
        fresh = operation.method == "DELETE" or (family == "client" and operation.method == "POST")
        resource_id = self.create(family) if fresh else self.ids[family]
        return operation.path.replace("{id}", resource_id).replace("{idpId}", resource_id)

    def act(self, operation, request_kind, accept_kind):
        """Send the operation with these media kinds; returns the response."""
        family, collection = collection_of(operation.path)
        path, params, body = self.path(operation, family), action_of(operation), None
        if request_kind != "none":
            body = (self.body(family) if path == collection else
                    ACTION_BODIES[next(iter(params.values()))]() if params else PATCHES[family])
            self.redact(body)
        response = send(self.client, operation.method, path, token=self.admin.token(), body=body, params=params,
                        headers=headers_for(operation, request_kind, accept_kind))
        track_created(self.tracker, collection, response)
        if operation.method == "DELETE" and response.is_success:
            self.tracker.forget(path)
        if response.content and response.headers.get("content-type", "").split(";")[0].endswith("json"):
            self.redact(response.json())
        return response

    def redact(self, body):
        """Register the secrets a body carries with the redactor."""
        if isinstance(body, dict):
            self.client.redactor.register(*(str(body[field]) for field in SECRET_FIELDS if body.get(field)))


def cells(operation):
    """Every (request kind, Accept kind) that exists for the operation."""
    return [(rk, ak) for rk in operation.request_kinds() for ak in operation.accept_kinds()]


def basic_kinds(operation):
    """The application/json exchange: json body when the operation takes one, Accept json."""
    return ("json" if operation.request_vendor_type else "none"), "json"


@pytest.fixture(scope="module")
def world(client, admin, tracker, mime_phase):
    """The session target with a client, a directory (with a sync client) and an identity provider."""
    return World(client, admin, tracker, mime_phase)


@pytest.mark.requirement("MIME-008")
def test_phase_is_detected(target, detected_phases, record_property):
    """A vendor and a json GET match exactly one phase of the table (the configured one, if any); it is recorded."""
    record_property("mime_phase", ",".join(detected_phases) or "none")
    require("MIME-008", 1 == len(detected_phases), f"phases matching the target's answers: {detected_phases}")
    require("MIME-008", target.mime_phase in ("auto", detected_phases[0]),
            f"--mime-phase {target.mime_phase} but the target behaves as {detected_phases[0]}")


@pytest.mark.requirement("MIME-001", "MIME-002", "MIME-003", "MIME-004", "MIME-007", "ERR-001", "ERR-004")
@pytest.mark.parametrize(("operation", "request_kind", "accept_kind"),
                         [pytest.param(op, rk, ak, id=f"{op.id.split('#')[1]}-{rk}-{ak}")
                          for op in MATRIX for rk, ak in cells(op)])
def test_matrix(world, operation, request_kind, accept_kind):
    """The exchange answers the status, Content-Type, Deprecation and Link the phase's rule gives."""
    response = world.act(operation, request_kind, accept_kind)
    exchange(response, operation, TABLE.expect(world.phase, operation, request_kind, accept_kind))


@pytest.mark.requirement("MIME-005")
@pytest.mark.parametrize("operation", MATRIX, ids=lambda op: op.id.split("#")[1])
def test_vendor_and_json_bodies_match(world, operation):
    """Where the phase serves both representations, the vendor and the json response bodies are the same."""
    bodies = {}
    for request_kind, accept_kind in cells(operation):
        expected = TABLE.expect(world.phase, operation, request_kind, accept_kind)
        if accept_kind in ("vendor", "json") and not expected.refused and expected.response_type == accept_kind:
            bodies.setdefault(accept_kind, world.act(operation, request_kind, accept_kind))
    if len(bodies) < 2:
        pytest.skip(f"the {world.phase} phase serves one representation of {operation.id}")
    vendor, json_response = bodies["vendor"], bodies["json"]
    require("MIME-005", vendor.json() == json_response.json(), "the vendor and the json bodies differ", json_response)


@pytest.mark.requirement("MIME-006", "MIME-001", "MIME-002", "MIME-003", "MIME-007", "ERR-001", "ERR-004")
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.id.split("#")[1])
def test_basic_json_exchange(world, operation):
    """application/json in and out: accepted in the transition and json phases (as the table says in legacy)."""
    request_kind, accept_kind = basic_kinds(operation)
    response = world.act(operation, request_kind, accept_kind)
    expected = TABLE.expect(world.phase, operation, request_kind, accept_kind)
    if world.phase != "legacy":
        require("MIME-006", expected.status == response.status_code,
                f"application/json: expected {expected.status}, got {response.status_code}", response)
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        require("MIME-006", not operation.response_vendor_type or JSON == media_type,
                f"expected Content-Type application/json, got {media_type!r}", response)
    exchange(response, operation, expected)


def run_phase(emulator, phase, redactor):
    """Detect ``phase`` on a started emulator and run every matrix cell and basic exchange there."""
    config = TargetConfig(base_url=emulator.base_url, client_id=emulator.client_id,
                          client_secret=emulator.client_secret, tenant_host=emulator.fqdn, mime_phase=phase)
    http = TargetClient(config, redactor)
    try:
        admin = TokenSource(http, emulator.client_id, emulator.client_secret)
        operation = TABLE.operations["oauth2-clients.yaml#getAllOAuth2ClientSummaries"]
        answers = {kind: send(http, "GET", operation.path, token=admin.token(),
                              headers=headers_for(operation, "none", kind)) for kind in ("vendor", "json")}
        detected = phases_matching(TABLE, operation, answers)
        require("MIME-008", [phase] == detected, f"an emulator in phase {phase} is detected as {detected}")
        world = World(http, admin, ResourceTracker(config.resource_prefix), phase)
        exchanges = [(op, *cell) for op in MATRIX for cell in cells(op)] + [(op, *basic_kinds(op)) for op in OPERATIONS]
        for each, request_kind, accept_kind in exchanges:
            exchange(world.act(each, request_kind, accept_kind), each, TABLE.expect(phase, each, request_kind,
                                                                                       accept_kind))
    finally:
        http.close()


@pytest.mark.emulator_only
@pytest.mark.requirement("MIME-008", "MIME-001", "MIME-002", "MIME-003", "MIME-004", "MIME-007", "ERR-001", "ERR-004")
def test_emulators_in_the_legacy_and_json_phases(target, redactor):
    """Emulators started in the legacy and in the json phase (in parallel) are detected as such and answer the whole
    matrix and every basic json exchange as the table says."""
    if not target.is_emulator:
        pytest.skip("starts the kit's own emulator in other phases; nothing to compare on a live tenant")
    with ThreadPoolExecutor(max_workers=len(OTHER_PHASES)) as pool:
        futures = [pool.submit(start_emulator, mime_phase=phase) for phase in OTHER_PHASES]
    started = [future.result() for future in futures if future.exception() is None]
    try:
        problems = [future.exception() for future in futures if future.exception() is not None]
        if problems:
            raise problems[0]
        for emulator, phase in zip(started, OTHER_PHASES, strict=True):
            run_phase(emulator, phase, redactor)
    finally:
        for emulator in started:
            stop_emulator(emulator.pid)
