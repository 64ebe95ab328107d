"""/acs/broker/oauth2-clients of the emulator: create/read/list/patch/delete, validation, rule-set removal."""

from __future__ import annotations

import pytest

from conformance.emulator.core.clients import insert_client
from tests.support.acs_app import ADMIN_ID, BASE, CLIENTS

VENDOR_FIELDS = {"id", "client_id", "scope", "grant_types", "access_token_ttl", "refresh_token_ttl",
                 "refresh_token_idle_ttl", "redirect_uris", "post_logout_redirect_uris", "rule_set_names",
                 "rotate_secret", "primary_secret_auto_retires_at", "_links"}


def test_create_answers_201_with_location_and_no_given_secret(acs):
    """201, Location naming the client, the resource as sent, and no echo of the admin's own secret."""
    response = acs.create(client_id="c-new", secret="given-secret")
    body = response.json()
    assert (201, f"{BASE}{CLIENTS}/c-new") == (response.status_code, response.headers["location"])
    assert ("c-new", ["admin"], 5, False) == (body["client_id"], body["scope"], body["access_token_ttl"],
                                              "secret" in body)


def test_generated_secret_is_returned_once_and_authenticates(acs):
    """Without a secret, the create answer carries a generated one; GET and list never show it."""
    created = acs.create(secret=None).json()
    listed = acs.list().json()["items"]
    assert 200 == acs.token("c-1", created["secret"]).status_code
    assert (False, False) == ("secret" in acs.get("c-1").json(), any("secret" in item for item in listed))


def test_bootstrap_client_has_every_vendor_field(acs):
    """The bootstrap client reads like any vendor client resource (S1 BrokerOAuth2ClientMedia)."""
    body = acs.get(ADMIN_ID).json()
    assert (VENDOR_FIELDS, ["TENANT_ADMIN"]) == (set(body), body["rule_set_names"])


def test_duplicate_client_id_is_409_with_the_documented_code(acs):
    """Seed 000: code, message and parameters of oauth2.client.with.client.id.already.exists."""
    acs.new_client()
    error = acs.create().json()["errors"][0]
    expected = {"code": "oauth2.client.with.client.id.already.exists",
                "message": "OAuth2 Client with client id c-1 already exists.",
                "parameters": {"oauth2_client_id": "c-1"}}
    assert expected == error


@pytest.mark.parametrize(("fields", "field"), [
    ({"client_id": "bad id!"}, "client_id"), ({"client_id": "x" * 257}, "client_id"),
    ({"client_id": None}, "client_id"),
    ({"scope": None}, "scope"), ({"scope": []}, "scope"), ({"scope": ["root"]}, "scope"), ({"scope": "admin"}, "scope"),
    ({"grant_types": ["implicit"]}, "grant_types"), ({"grant_types": []}, "grant_types"),
    ({"rule_set_names": ["ROOT"]}, "rule_set_names"), ({"access_token_ttl": 0}, "access_token_ttl"),
    ({"access_token_ttl": True}, "access_token_ttl"), ({"access_token_ttl": 2**31}, "access_token_ttl"),
    ({"secret": ""}, "secret"), ({"secret": "tab\there"}, "secret"),
    ({"grant_types": ["authorization_code"]}, "redirect_uris"),
    ({"grant_types": ["authorization_code"], "redirect_uris": ["not a url"]}, "redirect_uris"),
    ({"grant_types": ["refresh_token"], "refresh_token_idle_ttl": 5}, "refresh_token_ttl"),
    ({"grant_types": ["refresh_token"], "refresh_token_ttl": 5}, "refresh_token_idle_ttl"),
    ({"refresh_token_ttl": 5, "refresh_token_idle_ttl": 6}, "refresh_token_idle_ttl"),
    ({"refresh_token_idle_ttl": -1}, "refresh_token_idle_ttl"),
])
def test_invalid_definitions_are_400_naming_the_field(acs, fields, field):
    """Each invalid create answers 400 in the envelope with the field in parameters; nothing is created."""
    response = acs.create(**fields)
    error = response.json()["errors"][0]
    assert (400, field) == (response.status_code, error["parameters"]["field"])
    assert 1 == acs.list().json()["totalCount"]


@pytest.mark.parametrize("body", [b"[]", b'"text"', b"null", b"{not json"])
def test_non_object_bodies_are_400(acs, body):
    """A body that is not a JSON object answers 400 in the envelope."""
    response = acs.client.post(CLIENTS, content=body, headers={**acs.admin(), "Content-Type": "application/json"})
    assert (400, True) == (response.status_code, "errors" in response.json())


def test_integral_floats_are_integers(acs):
    """1.0 is a JSON Schema integer: TTLs sent as integral floats are accepted and stored as integers."""
    response = acs.create(access_token_ttl=2.0, grant_types=["refresh_token"], refresh_token_ttl=60.0,
                          refresh_token_idle_ttl=30)
    assert (201, 2, 60) == (response.status_code, response.json()["access_token_ttl"],
                            response.json()["refresh_token_ttl"])


def test_zero_refresh_ttls_are_refused_with_the_refresh_grant(acs):
    """The refresh TTLs are "mandatory if grant_types includes refresh_token": 0 ("not set") is refused at create
    and as a PATCH that would clear one while the grant stays."""
    created = acs.create(grant_types=["refresh_token"], refresh_token_ttl=0, refresh_token_idle_ttl=0)
    client_id, _ = acs.new_client(client_id="c-2", grant_types=["refresh_token"], refresh_token_ttl=60,
                                  refresh_token_idle_ttl=30)
    cleared = acs.patch(client_id, {"refresh_token_idle_ttl": 0})
    assert (400, 400) == (created.status_code, cleared.status_code)
    assert "refresh_token_idle_ttl" == cleared.json()["errors"][0]["parameters"]["field"]


def test_list_pages_from_one(acs):
    """start_index is the 1-based page; pages hold every client once, with totals."""
    for number in range(4):
        acs.new_client(client_id=f"c-{number}")
    pages = [acs.list(start_index=index, page_size=2).json() for index in (1, 2, 3)]
    ids = [item["client_id"] for page in pages for item in page["items"]]
    assert ([ADMIN_ID, "c-0", "c-1", "c-2", "c-3"], 5, 3, 2) == (ids, pages[0]["totalCount"],
                                                               pages[0]["totalPages"], pages[1]["pageNumber"])
    assert 20 == acs.list().json()["pageSize"]


@pytest.mark.parametrize("params", [{"start_index": 0}, {"page_size": 0}, {"page_size": "ten"},
                                    {"start_index": 2**31}])
def test_invalid_paging_is_400(acs, params):
    """Invalid start_index or page_size answers 400 naming the parameter."""
    response = acs.list(**params)
    assert (400, next(iter(params))) == (response.status_code, response.json()["errors"][0]["parameters"]["parameter"])


def test_patch_changes_given_fields_and_replaces_arrays(acs):
    """Absent fields are kept, arrays replaced wholesale; a refresh TTL of 0 clears it."""
    acs.new_client(scope=["admin", "user"], refresh_token_ttl=10, refresh_token_idle_ttl=5)
    response = acs.patch("c-1", {"scope": ["email"], "refresh_token_ttl": 0, "refresh_token_idle_ttl": 0})
    body = response.json()
    assert (200, ["email"], 5, False) == (response.status_code, body["scope"], body["access_token_ttl"],
                                          "refresh_token_ttl" in body)
    assert body == acs.get("c-1").json()


@pytest.mark.parametrize(("body", "field"), [({"scope": []}, "scope"), ({"grant_types": []}, "grant_types"),
                                             ({"secret": "new"}, "secret"), ({"client_id": "other"}, "client_id"),
                                             ({"grant_types": ["refresh_token"]}, "refresh_token_ttl")])
def test_invalid_patches_are_400(acs, body, field):
    """Emptying scope/grant_types, changing secret or client_id, or adding refresh_token without TTLs: 400."""
    acs.new_client()
    response = acs.patch("c-1", body)
    assert (400, field) == (response.status_code, response.json()["errors"][0]["parameters"]["field"])


@pytest.mark.parametrize(("params", "status"), [({}, 401), ({"revoke_token_on_rule_set_removal": "false"}, 200)])
def test_rule_set_removal_revokes_tokens_unless_told_not_to(acs, params, status):
    """Dropping a rule set revokes the client's tokens by default; with the query flag false they keep working."""
    client_id, secret = acs.new_client(rule_set_names=["READ_ONLY_TENANT_ADMIN", "IDP_AND_DIRECTORY_ADMIN"])
    token = acs.access_token(client_id, secret)
    assert 200 == acs.patch(client_id, {"rule_set_names": ["READ_ONLY_TENANT_ADMIN"]}, **params).status_code
    assert (status, 200) == (acs.works(token), acs.works(acs.access_token(client_id, secret)))


def test_adding_a_rule_set_keeps_tokens(acs):
    """Only a removal revokes."""
    client_id, secret = acs.new_client()
    token = acs.access_token(client_id, secret)
    acs.patch(client_id, {"rule_set_names": ["READ_ONLY_TENANT_ADMIN", "TENANT_ADMIN"]})
    assert 200 == acs.works(token)


def test_delete_is_204_then_404_and_tokens_die(acs):
    """204; GET 404 in the envelope; the client's token 401; a re-created namesake does not revive it."""
    client_id, secret = acs.new_client()
    token = acs.access_token(client_id, secret)
    assert (204, 404) == (acs.delete(client_id).status_code, acs.get(client_id).status_code)
    acs.new_client()
    assert (401, "oauth2.client.not.found") == (acs.works(token), acs.delete("nobody").json()["errors"][0]["code"])


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_unknown_client_is_404(acs, method):
    """Every by-id operation answers 404 for an unknown client_id."""
    response = acs.client.request(method, f"{CLIENTS}/nobody", json={} if method == "PATCH" else None,
                                  headers=acs.admin())
    assert 404 == response.status_code


def test_directory_sync_clients_are_not_administered_here(acs):
    """Sync clients belong to their directory: neither listed nor readable through this API."""
    with acs.client.app.state.context.store.tx() as db:
        insert_client(db, {"client_id": "syncClientIdX"}, "sync-secret", 0.0, directory_id="dir-1")
    assert (1, 404) == (acs.list().json()["totalCount"], acs.get("syncClientIdX").status_code)


def test_405_lists_every_method_of_the_resource(acs):
    """A PUT on a client answers 405 with Allow naming GET, PATCH, POST and DELETE."""
    allow = acs.client.put(f"{CLIENTS}/c-1", headers=acs.admin()).headers["allow"]
    assert {"GET", "PATCH", "POST", "DELETE"} <= {method.strip() for method in allow.split(",")}


def test_reader_may_list_but_not_create(acs):
    """READ_ONLY_TENANT_ADMIN tokens may read (200) but not create (403)."""
    client_id, secret = acs.new_client()
    headers = {"Authorization": f"Bearer {acs.access_token(client_id, secret)}"}
    created = acs.client.post(CLIENTS, json={"client_id": "x", "scope": ["admin"], "grant_types": ["password"]},
                              headers=headers)
    assert (200, 403) == (acs.client.get(CLIENTS, headers=headers).status_code, created.status_code)
