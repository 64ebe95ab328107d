"""Bearer authentication and rule-set authorization of the emulator core (RFC 6750 §3, seed 000)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from conformance.emulator.core.clients import insert_client, revoke_all_tokens
from tests.support.core_app import bearer, make_client, sign

PROBE = "/usergroup/broker/probe"


@pytest.fixture
def client():
    return make_client()


def _unsigned(client) -> str:
    token = sign(client)
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode()).rstrip(b"=").decode()
    return f"{header}.{token.split('.')[1]}."


def test_valid_token_is_accepted(client):
    """A token signed by the tenant key for the bootstrap client reaches the handler."""
    response = client.patch(PROBE, headers=bearer(sign(client)))
    assert (200, "unit-admin") == (response.status_code, response.json()["client_id"])


def test_missing_token_gets_401_bearer_challenge_without_error(client):
    """RFC 6750 §3.1: with no credentials the challenge SHOULD NOT include an error code."""
    response = client.patch(PROBE)
    challenge = response.headers["www-authenticate"]
    assert (401, True, False) == (response.status_code, challenge.startswith("Bearer "), "error=" in challenge)
    assert "auth.token.missing" == response.json()["errors"][0]["code"]


@pytest.mark.parametrize("kind", ["malformed", "expired", "future", "issuer", "audience", "alg-none", "foreign-key",
                                  "hs256-public-key", "tampered", "unknown-client", "old-generation"])
def test_bad_tokens_get_401_invalid_token(client, kind):
    """Every kind of unusable token is refused with 401 and error="invalid_token"."""
    token = _bad_token(client, kind)
    response = client.patch(PROBE, headers=bearer(token))
    assert (401, True) == (response.status_code, 'error="invalid_token"' in response.headers["www-authenticate"])


def _bad_token(client, kind: str) -> str:
    ctx = client.app.state.context
    if kind == "old-generation":
        token = sign(client)
        with ctx.store.tx() as db:
            revoke_all_tokens(db, "unit-admin")
        return token
    simple = {"malformed": lambda: "not-a-jwt", "expired": lambda: sign(client, exp=1000),
              "future": lambda: sign(client, nbf=4_000_000_000), "issuer": lambda: sign(client, iss="http://x/acs"),
              "audience": lambda: sign(client, aud="http://x"), "alg-none": lambda: _unsigned(client),
              "unknown-client": lambda: sign(client, client_id="nobody")}
    if kind in simple:
        return simple[kind]()
    if kind == "foreign-key":
        other = RSAKey.generate_key(2048, parameters={"kid": ctx.key.kid})
        return jwt.encode({"alg": "RS256", "kid": ctx.key.kid}, json.loads(_payload(sign(client))), other)
    if kind == "hs256-public-key":
        public_pem = RSAKey.import_key(ctx.key.jwks()["keys"][0]).as_pem(private=False)
        return _hs256({"alg": "HS256", "kid": ctx.key.kid}, _payload(sign(client)), public_pem)
    header, payload, signature = sign(client).split(".")
    forged = json.loads(_payload(".".join((header, payload, signature))))
    forged["scope"] = "admin root"
    encoded = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hs256(header: dict, payload: str, secret: bytes) -> str:
    """The key-confusion attack: HMAC over the token with the RSA public key as the shared secret."""
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(payload.encode())}"
    return f"{signing_input}.{_b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"


def _payload(token: str) -> str:
    part = token.split(".")[1]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode()


def test_scim_401_is_a_scim_error(client):
    """SCIM endpoints answer 401 in the SCIM error schema with the Bearer challenge."""
    response = client.get("/usergroup/scim/v2/probe")
    body = response.json()
    assert (401, "401", "application/scim+json") == (response.status_code, body["status"],
                                                      response.headers["content-type"])


@pytest.mark.parametrize(("rule_set", "expected"), [("TENANT_ADMIN", 200), ("IDP_AND_DIRECTORY_ADMIN", 200),
                                                    ("READ_ONLY_TENANT_ADMIN", 403)])
def test_rule_sets_decide_between_200_and_403(client, rule_set, expected):
    """PATCH on a directory is allowed to TENANT_ADMIN and IDP_AND_DIRECTORY_ADMIN, forbidden to READ_ONLY."""
    ctx = client.app.state.context
    with ctx.store.tx() as db:
        insert_client(db, {"client_id": "c-" + rule_set, "rule_set_names": [rule_set]}, "x", 0.0)
    response = client.patch(PROBE, headers=bearer(sign(client, client_id="c-" + rule_set)))
    assert expected == response.status_code


def test_rule_set_matrix_fault_flips_one_cell():
    """With the fault on, READ_ONLY_TENANT_ADMIN may PATCH a directory (the fault really changes behaviour)."""
    client = make_client(faults=("rule-set-matrix-off",))
    with client.app.state.context.store.tx() as db:
        insert_client(db, {"client_id": "ro", "rule_set_names": ["READ_ONLY_TENANT_ADMIN"]}, "x", 0.0)
    assert 200 == client.patch(PROBE, headers=bearer(sign(client, client_id="ro"))).status_code


def test_sync_tokens_may_call_scim_only(client):
    """A directory sync token carries no rule set: admin operations answer 403 (core policy only: the directories
    family's own "latest sync token" rule is switched off here)."""
    client.app.state.context.token_checks.clear()
    with client.app.state.context.store.tx() as db:
        insert_client(db, {"client_id": "sync-1", "rule_set_names": []}, "x", 0.0, directory_id="d1")
    token = sign(client, client_id="sync-1", directory_id="d1")
    statuses = (client.patch(PROBE, headers=bearer(token)).status_code,
                client.get("/usergroup/scim/v2/probe", headers=bearer(token)).status_code)
    assert (403, 200) == statuses
