"""Host check (444), body limit (413), malformed JSON, unknown routes: right status, right dialect, never 500."""

from __future__ import annotations

import pytest

from conformance.emulator.core.calls import MAX_JSON_DEPTH
from tests.support.core_app import bearer, make_client, sign

PROBE = "/usergroup/broker/probe"


@pytest.fixture
def client():
    return make_client(max_body_bytes=1024)


def test_foreign_host_gets_444_with_empty_body(client):
    """Seed 000: "returns HTTP 444 (No Response) (with no response body) when the request Host header doesn't match"."""
    response = client.get("/acs/jwks", headers={"Host": "evil.example"})
    assert (444, b"") == (response.status_code, response.content)


def test_host_with_port_passes_the_check(client):
    """Only the host name is compared: ``testserver:8443`` is the tenant."""
    assert 200 == client.get("/acs/jwks", headers={"Host": "testserver:8443"}).status_code


def test_host_check_fault_serves_foreign_hosts():
    """Fault host-check-off really disables the check."""
    assert 200 == make_client(faults=("host-check-off",)).get("/acs/jwks", headers={"Host": "evil"}).status_code


@pytest.mark.parametrize(("path", "dialect_key"), [(PROBE, "errors"), ("/usergroup/scim/v2/Users", "schemas"),
                                                   ("/acs/token", "error")])
def test_oversized_body_gets_413_in_the_dialect(client, path, dialect_key):
    """Bodies over the documented limit are refused with 413 in the endpoint's error dialect."""
    response = client.post(path, content=b"x" * 2048, headers={"Content-Type": "application/json"})
    assert (413, True) == (response.status_code, dialect_key in response.json())


def test_malformed_json_gets_400_envelope(client):
    """Invalid JSON in an admin operation: 400 with the admin envelope."""
    headers = {**bearer(sign(client)), "Content-Type": "application/json"}
    response = client.patch(PROBE, content=b"{nope", headers=headers)
    assert (400, "request.body.invalid.json") == (response.status_code, response.json()["errors"][0]["code"])


@pytest.mark.parametrize("payload", [b"\xff\xfe{}", b"[" * (MAX_JSON_DEPTH + 5) + b"]" * (MAX_JSON_DEPTH + 5)])
def test_bad_encoding_and_deep_nesting_get_400(client, payload):
    """Invalid UTF-8 and absurdly deep nesting are client errors, not crashes."""
    headers = {**bearer(sign(client)), "Content-Type": "application/json"}
    response = client.patch(PROBE, content=payload, headers=headers)
    assert 400 == response.status_code


def test_unknown_admin_route_is_404_envelope(client):
    """An unknown path answers 404 with the admin envelope."""
    response = client.get("/usergroup/broker/nothing-here")
    assert (404, "resource.not.found") == (response.status_code, response.json()["errors"][0]["code"])


def test_wrong_method_is_405_in_scim_dialect(client):
    """A wrong method on a SCIM probe answers 405 as a SCIM error."""
    response = client.delete("/usergroup/scim/v2/probe")
    assert (405, "405") == (response.status_code, response.json()["status"])


def test_unknown_fault_is_refused():
    """Starting with a fault nobody declared is a configuration error."""
    with pytest.raises(ValueError, match="unknown fault"):
        make_client(faults=("no-such-fault",))


def test_clock_advance_via_control_surface(client):
    """POST /_emulator/clock moves the emulator's clock; bad input is a 400, not a crash."""
    before = client.get("/_emulator/state").json()["now"]
    moved = client.post("/_emulator/clock", json={"advance_seconds": 3600}).json()["now"]
    bad = client.post("/_emulator/clock", json={"advance_seconds": -1}).status_code
    assert (True, 400) == (moved - before >= 3600, bad)


def test_control_surface_is_off_unless_enabled():
    """Without --control there is no /_emulator route."""
    assert 404 == make_client(control=False).get("/_emulator/state").status_code
