"""HTTP 444 when the Host header is not the tenant FQDN, for every operation whose contract declares 444.

Seed 000: "The API will fail and returns HTTP 444 (No Response) (with no response body) when the request Host header
doesn't match the server FQDN." The check comes before authentication, so the requests carry no token. A server
(or its proxy) that closes the connection without any response shows the same outcome on the wire; the test
accepts it and records which of the two it saw.
"""

from __future__ import annotations

import uuid

import httpx
import pytest
import yaml

from conformance.checks.core import require
from conformance.errors import TargetUnavailable
from conformance.paths import specs_dir

SPECS = ("oauth2-clients.yaml", "directories.yaml", "scim.yaml", "token.yaml", "legacy-access.yaml")
NO_RESPONSE = 444


def operations_declaring(status, first_only=False):
    """(method, path) of every operation whose OpenAPI document declares ``status`` (or the first one per
    document)."""
    for name in SPECS:
        spec = yaml.safe_load((specs_dir() / name).read_text())
        found = [pytest.param(method.upper(), path, id=f"{name.split('.')[0]}-{details['operationId']}")
                 for path, item in spec["paths"].items() for method, details in item.items()
                 if isinstance(details, dict) and str(status) in map(str, details.get("responses", {}))]
        yield from found[:1] if first_only else found


def concrete(path):
    """The path with every template parameter replaced by a random id."""
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + str(uuid.uuid4()) + path[end + 1:]
    return path


def exchange(client, method, path, host):
    """Send without a token and with ``Host: host``; None when the server closed the connection unanswered."""
    request = client.http.build_request(method, concrete(path), headers={"Host": host})
    try:
        response = client.http.send(request)
        response.read()
    except (httpx.RemoteProtocolError, httpx.ReadError):
        return None
    except httpx.TransportError as exc:
        raise TargetUnavailable(f"{method} {path}: {type(exc).__name__}: {exc}") from None
    return response


def variants():
    """A foreign name on every operation; the tenant FQDN with a suffix (a prefix-match bug) on one per document."""
    cases = [pytest.param(*case.values, "foreign", id=f"{case.id}-foreign")
             for case in operations_declaring(NO_RESPONSE)]
    return cases + [pytest.param(*case.values, "suffixed", id=f"{case.id}-suffixed")
                    for case in operations_declaring(NO_RESPONSE, first_only=True)]


@pytest.mark.requirement("AUTHZ-009")
@pytest.mark.parametrize(("method", "path", "variant"), variants())
def test_foreign_host_answers_444_without_body(client, target, record_property, method, path, variant):
    """A foreign Host (a different name, or the tenant FQDN followed by another domain) answers 444 with an empty
    body before authentication, or the connection is closed without a response."""
    host = "ctk-foreign.invalid" if variant == "foreign" else f"{target.expected_host}.ctk-foreign.invalid"
    response = exchange(client, method, path, host)
    record_property("host_mismatch_outcome", "connection closed" if response is None else str(response.status_code))
    if response is None:
        return
    require("AUTHZ-009", NO_RESPONSE == response.status_code,
            f"Host {host!r} (tenant {target.expected_host!r}): expected 444, got {response.status_code}", response)
    require("AUTHZ-009", b"" == response.content, f"a 444 must have no body, got {len(response.content)} bytes",
            response)


@pytest.mark.requirement("AUTHZ-009")
@pytest.mark.parametrize(("method", "path"), list(operations_declaring(NO_RESPONSE, first_only=True)))
def test_tenant_host_is_answered(client, target, method, path):
    """The same request with the tenant FQDN in Host gets a real answer (the 444 is about the Host alone)."""
    port = httpx.URL(target.base_url).port
    host = target.expected_host + (f":{port}" if port else "")
    response = exchange(client, method, path, host)
    require("AUTHZ-009", response is not None, f"Host {host!r}: the connection was closed without a response")
    require("AUTHZ-009", NO_RESPONSE != response.status_code, f"the tenant's own Host {host!r} was answered 444",
            response)
