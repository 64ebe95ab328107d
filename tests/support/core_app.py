"""A core-only emulator app for unit tests: the real app plus one probe route behind ``admin_call``/``scim_call``.

Tokens are signed directly with the instance key, so these tests need no family's token endpoint.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from conformance.emulator import Settings, create_app
from conformance.emulator.core.calls import admin_call, scim_call
from conformance.emulator.core.clients import get_client

HOST = "testserver"
ISSUER = f"http://{HOST}/acs"
BOOTSTRAP = "unit-admin"
PROBE_OPERATION = "directories.yaml#patchDirectoryById"
SCIM_PROBE_OPERATION = "scim.yaml#getUserSearch"


async def probe(request: Request) -> Response:
    """An admin operation that echoes the caller and the parsed body."""
    call = await admin_call(request, PROBE_OPERATION)
    return call.respond({"client_id": call.principal.client_id, "body": call.body})


async def scim_probe(request: Request) -> Response:
    """A SCIM operation that echoes the caller."""
    call = await scim_call(request, SCIM_PROBE_OPERATION)
    return call.respond({"client_id": call.principal.client_id})


def make_client(**settings: Any) -> TestClient:
    """A TestClient on a fresh in-memory emulator with the probe routes."""
    options = {"db": ":memory:", "fqdn": HOST, "bootstrap_client_id": BOOTSTRAP,
               "bootstrap_client_secret": "unit-secret", "control": True, **settings}
    app = create_app(Settings(**options))
    app.router.routes.insert(0, Route("/usergroup/broker/probe", probe, methods=["PATCH"]))
    app.router.routes.insert(0, Route("/usergroup/scim/v2/probe", scim_probe, methods=["GET"]))
    return TestClient(app, base_url=f"http://{HOST}")


def claims(**overrides: Any) -> dict[str, Any]:
    """Valid claims of a bootstrap-client token (override any of them)."""
    now = int(time.time())
    base = {"iss": ISSUER, "aud": f"http://{HOST}", "sub": BOOTSTRAP, "client_id": BOOTSTRAP, "scope": "admin",
            "iat": now, "nbf": now, "exp": now + 600, "jti": secrets.token_hex(8), "gen": 0}
    return {**base, **overrides}


def sign(client: TestClient, **overrides: Any) -> str:
    """A token signed by the instance key, in the current token generation of its client."""
    ctx = client.app.state.context  # type: ignore[attr-defined]
    record = get_client(ctx.store, str(overrides.get("client_id", BOOTSTRAP)))
    generation = record.token_generation if record else 0
    return str(ctx.key.sign(claims(**{"gen": generation, **overrides})))


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}
