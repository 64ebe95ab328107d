"""Directory sync clients of the emulator: credential generation and invalidation (DIR-007..DIR-012)."""

from __future__ import annotations

import secrets

import pytest

from conformance.emulator.core.clients import get_client
from tests.support.core_app import bearer

BASE = "/usergroup/broker/directories"
SCIM_PROBE = "/usergroup/scim/v2/probe"


@pytest.fixture
def directory(client, headers):
    name = "sync-" + secrets.token_hex(4)
    return client.post(BASE, json={"name": name, "domains": [f"{name}.test"]}, headers=headers).json()["id"]


def generate(client, headers, directory, params=None, **body):
    query = {"action": "generate_credentials"} if params is None else params
    return client.post(f"{BASE}/{directory}/sync-client", params=query, json=body, headers=headers)


def authenticates(client, client_id, secret):
    return get_client(client.app.state.context.store, client_id).authenticates(secret)


def test_a_new_directory_has_a_sync_client_configuration(client, headers, directory):
    """GET sync-client answers the client id, generate_token false and the six-month default TTL."""
    body = client.get(f"{BASE}/{directory}/sync-client", headers=headers).json()
    assert (True, False, 262800) == (body["client_id"].startswith("syncClientId"), body["generate_token"],
                                     body["token_ttl"])


def test_generated_token_lives_token_ttl_minutes(client, headers, directory):
    """DIR-007: access_token_expire_in is token_ttl x 60 s, and the token's exp says the same."""
    body = generate(client, headers, directory, generate_token=True, token_ttl=30).json()
    claims = client.app.state.context.key.verify(body["access_token"])
    assert (1800, 1800, directory) == (body["access_token_expire_in"], claims["exp"] - claims["iat"],
                                       claims["directory_id"])


def test_new_token_invalidates_the_old_one(client, headers, directory):
    """DIR-008: after a second generation the first token gets 401 and the second one works."""
    old = generate(client, headers, directory, generate_token=True).json()["access_token"]
    new = generate(client, headers, directory, generate_token=True).json()["access_token"]
    assert (401, 200) == (client.get(SCIM_PROBE, headers=bearer(old)).status_code,
                          client.get(SCIM_PROBE, headers=bearer(new)).status_code)


def test_new_secret_invalidates_the_old_one(client, headers, directory):
    """DIR-009: the first generated secret stops authenticating the sync client; the second one does."""
    first = generate(client, headers, directory, generate_token=False).json()
    second = generate(client, headers, directory, generate_token=False).json()
    assert (first["client_id"], False, True) == (second["client_id"],
                                                 authenticates(client, first["client_id"], first["client_secret"]),
                                                 authenticates(client, second["client_id"], second["client_secret"]))


def test_generating_a_secret_also_revokes_tokens(client, headers, directory):
    """Every generation invalidates all previous credentials, tokens included."""
    token = generate(client, headers, directory, generate_token=True).json()["access_token"]
    generate(client, headers, directory, generate_token=False)
    assert 401 == client.get(SCIM_PROBE, headers=bearer(token)).status_code


def test_reading_never_returns_a_secret_or_token(client, headers, directory):
    """DIR-012: GET sync-client after generation carries neither client_secret nor access_token."""
    generate(client, headers, directory, generate_token=False)
    generate(client, headers, directory, generate_token=True, token_ttl=10)
    body = client.get(f"{BASE}/{directory}/sync-client", headers=headers).json()
    assert (False, False, True, 10) == ("client_secret" in body, "access_token" in body, body["generate_token"],
                                        body["token_ttl"])


def test_an_integral_float_ttl_is_an_integer(client, headers, directory):
    """JSON Schema counts 2.0 as an integer: token_ttl 2.0 gives a 120 s token."""
    assert 120 == generate(client, headers, directory, generate_token=True, token_ttl=2.0).json()[
        "access_token_expire_in"]


def test_omitted_options_reuse_the_saved_ones(client, headers, directory):
    """For an existing sync client, omitted generate_token / token_ttl keep their saved values."""
    generate(client, headers, directory, generate_token=True, token_ttl=5)
    body = generate(client, headers, directory).json()
    assert (True, 5, 300) == (body["generate_token"], body["token_ttl"], body["access_token_expire_in"])


def test_sync_token_is_refused_by_admin_apis(client, headers, directory):
    """DIR-011: a sync token may call SCIM only: the directory list answers 403."""
    token = generate(client, headers, directory, generate_token=True).json()["access_token"]
    assert 403 == client.get(BASE, headers=bearer(token)).status_code


def test_deleting_the_directory_kills_its_sync_credentials(client, headers, directory):
    """Deletion removes the sync client: its token gets 401 and the configuration reads 404."""
    token = generate(client, headers, directory, generate_token=True).json()["access_token"]
    client.delete(f"{BASE}/{directory}", headers=headers)
    assert (401, 404) == (client.get(SCIM_PROBE, headers=bearer(token)).status_code,
                          client.get(f"{BASE}/{directory}/sync-client", headers=headers).status_code)


@pytest.mark.parametrize(("params", "body", "field"), [
    ({}, {}, "action"), ({"action": "rotate"}, {}, "action"),
    ({"action": "generate_credentials"}, {"token_ttl": 0}, "token_ttl"),
    ({"action": "generate_credentials"}, {"token_ttl": 1051201}, "token_ttl"),
    ({"action": "generate_credentials"}, {"token_ttl": "60"}, "token_ttl"),
    ({"action": "generate_credentials"}, {"token_ttl": True}, "token_ttl"),
    ({"action": "generate_credentials"}, {"generate_token": "yes"}, "generate_token")])
def test_invalid_generation_requests_are_400(client, headers, directory, params, body, field):
    """A missing/unknown action or an out-of-range option answers 400 naming it."""
    response = generate(client, headers, directory, params, **body)
    parameters = response.json()["errors"][0]["parameters"]
    assert (400, field) == (response.status_code, parameters.get("field") or parameters.get("parameter"))


def test_unknown_directory_sync_client_is_404(client, headers):
    """GET and POST sync-client of an unknown directory answer 404."""
    missing = "00000000-0000-4000-8000-000000000000"
    assert (404, 404) == (client.get(f"{BASE}/{missing}/sync-client", headers=headers).status_code,
                          generate(client, headers, missing, generate_token=True).status_code)


def test_sync_client_row_is_bound_to_its_directory(client, headers, directory):
    """The sync client is an oauth2_clients row with directory_id set, no rule set and the token_ttl as TTL."""
    body = generate(client, headers, directory, generate_token=False, token_ttl=45).json()
    record = get_client(client.app.state.context.store, body["client_id"])
    assert (directory, frozenset(), 45, ["client_credentials"]) == (
        record.directory_id, record.rule_sets, record.resource["access_token_ttl"], record.resource["grant_types"])
