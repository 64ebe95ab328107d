"""Legacy directoryconfigs (seed 003) and the legacy OAuth 2.0 client API, including their media types."""

from __future__ import annotations

import json

import pytest

from tests.support.core_app import bearer, make_client, sign

DIRECTORIES = "/SAAS/jersey/manager/api/connectormanagement/directoryconfigs"
VENDOR = "application/vnd.vmware.horizon.manager.connector.management.directory"
OTHER_TYPE, JIT_TYPE, LIST_TYPE = f"{VENDOR}.other+json", f"{VENDOR}.jit+json", f"{VENDOR}.list+json"
CLIENTS = "/SAAS/jersey/manager/api/oauth2clients"
CLIENT_TYPE = "application/vnd.vmware.horizon.manager.oauth2client+json"
TOKEN = "/SAAS/auth/oauthtoken"


@pytest.fixture
def client():
    return make_client()


@pytest.fixture
def admin(client):
    return bearer(sign(client))


@pytest.fixture(scope="module")
def shared():
    """One emulator (and admin headers) for the validation tests, which create at most one resource each."""
    http = make_client()
    return http, bearer(sign(http))


def post(client, admin, path, body, content_type, accept="application/json"):
    return client.post(path, content=json.dumps(body),
                       headers={**admin, "Content-Type": content_type, "Accept": accept})


def test_seed_003_directory_of_type_other(client, admin):
    """LEGACY-008: the seed's POST with the vendor type -> 201; the list (vendor Accept) shows it."""
    body = {"type": "OTHER_DIRECTORY", "domains": ["OKTA.COM"], "name": "Okta Universal Directory"}
    created = post(client, admin, DIRECTORIES, body, OTHER_TYPE)
    listed = client.get(DIRECTORIES, headers={**admin, "Accept": LIST_TYPE})
    directory = created.json()
    assert (201, "OTHER_DIRECTORY", ["OKTA.COM"], "application/json") == (
        created.status_code, directory["type"], directory["domains"], created.headers["content-type"])
    assert (LIST_TYPE, [directory["directoryId"]]) == (listed.headers["content-type"],
                                                       [d["directoryId"] for d in listed.json()["items"]])


def test_jit_directories_are_listed_only_on_request(client, admin):
    """C1: JIT directories (vendor jit type) show with includeJitDirectories=true only."""
    jit = post(client, admin, DIRECTORIES, {"name": "Jit", "domains": ["jit.test"]}, JIT_TYPE, JIT_TYPE)
    hidden = client.get(DIRECTORIES, headers=admin).json()["items"]
    shown = client.get(DIRECTORIES, headers=admin, params={"includeJitDirectories": "true"}).json()["items"]
    assert (201, JIT_TYPE, "JIT_DIRECTORY", [], 1) == (jit.status_code, jit.headers["content-type"],
                                                       jit.json()["type"], hidden, len(shown))


@pytest.mark.parametrize(("body", "content_type", "status"), [
    ({"name": "x", "domains": ["x.test"]}, OTHER_TYPE, 400),
    ({"type": "JIT_DIRECTORY", "name": "x", "domains": ["x.test"]}, OTHER_TYPE, 400),
    ({"type": "LOCAL_DIRECTORY", "name": "x", "domains": ["x.test"]}, "application/json", 400),
    ({"type": "OTHER_DIRECTORY", "name": "x", "domains": []}, "application/json", 400),
    ({"type": "OTHER_DIRECTORY", "name": "x", "domains": ["a.test", "a.test"]}, "application/json", 400),
    ({"type": "OTHER_DIRECTORY", "name": "x", "domains": None}, "application/json", 400),
    ({"type": "OTHER_DIRECTORY", "name": "", "domains": ["x.test"]}, "application/json", 400),
    ({"type": "OTHER_DIRECTORY", "name": "x", "domains": ["x.test"]}, "application/xml", 415),
    ({"type": "OTHER_DIRECTORY", "name": "x", "domains": ["x.test"]}, "application/json", 201),
])
def test_directory_validation(shared, body, content_type, status):
    """Body and Content-Type rules of legacyCreateDirectoryConfig (JSON: the body's type decides)."""
    assert status == post(*shared, DIRECTORIES, body, content_type).status_code


def test_domains_differing_in_case_are_one_domain(client, admin):
    """Domains compare without case (seed 003 writes OKTA.COM, Okta maps okta.com): a second spelling is dropped."""
    body = {"name": "x", "domains": ["a.test", "A.TEST", "b.test"]}
    assert ["a.test", "b.test"] == post(client, admin, DIRECTORIES, body, JIT_TYPE).json()["domains"]


def test_directory_conflicts_and_delete(client, admin):
    """A taken domain (any case) or name -> 409; DELETE 204, asyncDelete=true 200, unknown 404."""
    first = post(client, admin, DIRECTORIES, {"name": "A", "domains": ["a.test"]}, JIT_TYPE).json()
    clash_domain = post(client, admin, DIRECTORIES, {"name": "B", "domains": ["A.test"]}, JIT_TYPE)
    clash_name = post(client, admin, DIRECTORIES, {"name": "a", "domains": ["b.test"]}, JIT_TYPE)
    second = post(client, admin, DIRECTORIES, {"name": "C", "domains": ["c.test"]}, JIT_TYPE).json()
    statuses = [client.delete(f"{DIRECTORIES}/{first['directoryId']}", headers=admin).status_code,
                client.delete(f"{DIRECTORIES}/{second['directoryId']}?asyncDelete=true", headers=admin).status_code,
                client.delete(f"{DIRECTORIES}/{second['directoryId']}", headers=admin).status_code,
                client.delete(f"{DIRECTORIES}/x?asyncDelete=maybe", headers=admin).status_code]
    assert [409, 409, 204, 200, 404, 400] == [clash_domain.status_code, clash_name.status_code, *statuses]


def test_legacy_client_lifecycle_and_tokens(client, admin):
    """Create (vendor type) -> 201 with the secret; its token works on /SAAS; GET hides the secret; DELETE 204
    revokes its tokens; GET then 404."""
    body = {"clientId": "legacy-1", "secret": "s3cret", "scope": "admin", "authGrantTypes": "client_credentials",
            "accessTokenTTL": 10, "rememberAs": "legacy one"}
    created = post(client, admin, CLIENTS, body, CLIENT_TYPE, CLIENT_TYPE)
    token = client.post(TOKEN, params={"grant_type": "client_credentials"}, auth=("legacy-1", "s3cret")).json()
    read = client.get(f"{CLIENTS}/legacy-1", headers=admin)
    assert (201, CLIENT_TYPE, "s3cret", 600) == (created.status_code, created.headers["content-type"],
                                                 created.json()["secret"], token["expires_in"])
    assert ("legacy one", "client_credentials", False) == (read.json()["rememberAs"], read.json()["authGrantTypes"],
                                                           "secret" in read.json())
    assert 200 == client.get(CLIENTS, headers=bearer(token["access_token"])).status_code
    assert 204 == client.delete(f"{CLIENTS}/legacy-1", headers=admin).status_code
    assert [401, 404] == [client.get(CLIENTS, headers=bearer(token["access_token"])).status_code,
                          client.get(f"{CLIENTS}/legacy-1", headers=admin).status_code]


def test_legacy_client_is_an_ids_client(client, admin):
    """One client store: the legacy client authenticates at /acs/token as well."""
    post(client, admin, CLIENTS, {"clientId": "both", "secret": "pw", "scope": "admin user",
                                  "authGrantTypes": "client_credentials"}, "application/json")
    response = client.post("/acs/token", data={"grant_type": "client_credentials"}, auth=("both", "pw"))
    assert (200, "admin user") == (response.status_code, response.json()["scope"])


def test_recreated_client_does_not_revive_old_tokens(client, admin):
    """Tokens of a deleted client stay dead when a client with the same id is created again."""
    body = {"clientId": "again", "secret": "pw", "scope": "admin", "authGrantTypes": "client_credentials"}
    post(client, admin, CLIENTS, body, "application/json")
    old = client.post(TOKEN, params={"grant_type": "client_credentials"}, auth=("again", "pw")).json()["access_token"]
    client.delete(f"{CLIENTS}/again", headers=admin)
    post(client, admin, CLIENTS, body, "application/json")
    assert 401 == client.get(CLIENTS, headers=bearer(old)).status_code


@pytest.mark.parametrize("change", [
    {"clientId": "bad id"}, {"scope": "root"}, {"authGrantTypes": "implicit"}, {"accessTokenTTL": 0},
    {"tokenType": "MAC"}, {"secret": None}, {"secret": "tab\there"}, {"displayUserGrant": 1}, {"rememberAs": None}])
def test_legacy_client_validation(shared, change):
    """LegacyOAuth2ClientCreate rules: patterns, TTL minimum, Bearer only, no nulls for typed fields."""
    body = {"clientId": "valid", "scope": "admin", "authGrantTypes": "client_credentials"} | change
    assert 400 == post(*shared, CLIENTS, body, "application/json").status_code


def test_legacy_client_conflict_paging_and_generated_secret(client, admin):
    """A taken clientId -> 409 (not the vendor's 500); a generated secret is returned once; pages of pageSize."""
    created = post(client, admin, CLIENTS, {"clientId": "gen", "scope": "admin",
                                            "authGrantTypes": "client_credentials"}, "application/json")
    again = post(client, admin, CLIENTS, {"clientId": "GEN", "scope": "admin",
                                          "authGrantTypes": "client_credentials"}, "application/json")
    page = client.get(CLIENTS, headers={**admin, "Accept": "application/json"},
                      params={"startIndex": 2, "pageSize": 1}).json()
    assert (201, True, 409) == (created.status_code, len(created.json()["secret"]) >= 32, again.status_code)
    assert (["gen"], 2, 2, 2) == ([i["clientId"] for i in page["items"]], page["totalCount"], page["pageNumber"],
                                  page["totalPages"])
    assert 400 == client.get(CLIENTS, headers=admin, params={"pageSize": 0}).status_code


def test_client_list_clamps_huge_paging_values(client, admin):
    """pageSize/startIndex have no maximum in the spec: huge values page past the end instead of failing."""
    response = client.get(CLIENTS, headers=admin, params={"startIndex": 10**15, "pageSize": 10**15})
    assert (200, []) == (response.status_code, response.json()["items"])
