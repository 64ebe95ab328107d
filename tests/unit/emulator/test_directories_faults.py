"""Each fault of the directories family really changes the behaviour its requirement forbids."""

from __future__ import annotations

from conformance.emulator.core.clients import get_client
from conformance.emulator.core.faults import REGISTRY
from tests.support.core_app import bearer, make_client, sign

DIRECTORIES = "/usergroup/broker/directories"
IDPS = "/federation/broker/identity-providers"
SCIM_PROBE = "/usergroup/scim/v2/probe"
SECRET = "oidc-secret"


def emulator(fault):
    client = make_client(faults=(fault,))
    return client, {**bearer(sign(client)), "Accept": "application/json"}


def directory(client, headers, name="dir", **fields):
    body = {"name": name, "domains": [f"{name}.test"], **fields}
    return client.post(DIRECTORIES, json=body, headers=headers)


def generate(client, headers, directory_id, **body):
    return client.post(f"{DIRECTORIES}/{directory_id}/sync-client", params={"action": "generate_credentials"},
                       json=body, headers=headers).json()


def oidc(name, directory_id):
    return {"idp_name": name, "idp_type": "OIDC", "directory_list": [{"id": directory_id}],
            "oidc_profile": {"client_id": "c", "client_secret": SECRET, "configuration_url": "https://idp.test/x"}}


def test_the_family_declares_its_faults_with_directory_requirements():
    """Ten faults, each naming DIR-/IDP- requirements only."""
    declared = [fault for fault in REGISTRY.values() if fault.family == "directories"]
    assert (10, True) == (len(declared), all(r.startswith(("DIR-", "IDP-")) for f in declared for r in f.requirements))


def test_duplicate_name_accepted():
    """directory-duplicate-name-accepted: a second directory with the same name is created (201)."""
    client, headers = emulator("directory-duplicate-name-accepted")
    directory(client, headers)
    assert 201 == client.post(DIRECTORIES, json={"name": "dir", "domains": ["other.test"]}, headers=headers).status_code


def test_delete_answers_204():
    """directory-delete-answers-204: DELETE answers 204 instead of 202."""
    client, headers = emulator("directory-delete-answers-204")
    created = directory(client, headers).json()
    assert 204 == client.delete(f"{DIRECTORIES}/{created['id']}", headers=headers).status_code


def test_list_shows_default_domain():
    """directory-list-shows-default-domain: list items carry default_domain."""
    client, headers = emulator("directory-list-shows-default-domain")
    directory(client, headers, default_domain="dir.test")
    assert ["dir.test"] == [item.get("default_domain") for item in
                            client.get(DIRECTORIES, headers=headers).json()["items"]]


def test_patch_merges_arrays():
    """directory-patch-merges-arrays: PATCH domains adds to the old list instead of replacing it."""
    client, headers = emulator("directory-patch-merges-arrays")
    created = directory(client, headers).json()
    patched = client.patch(f"{DIRECTORIES}/{created['id']}", json={"domains": ["new.test"]}, headers=headers)
    assert ["dir.test", "new.test"] == patched.json()["domains"]


def test_unknown_directory_answers_400():
    """directory-unknown-answers-400: an unknown directory id answers 400, not 404."""
    client, headers = emulator("directory-unknown-answers-400")
    assert 400 == client.get(f"{DIRECTORIES}/00000000-0000-4000-8000-000000000000", headers=headers).status_code


def test_old_sync_token_stays_valid():
    """sync-old-token-valid: the first token still works after a second generation."""
    client, headers = emulator("sync-old-token-valid")
    created = directory(client, headers).json()
    old = generate(client, headers, created["id"], generate_token=True)["access_token"]
    generate(client, headers, created["id"], generate_token=True)
    assert 200 == client.get(SCIM_PROBE, headers=bearer(old)).status_code


def test_old_sync_secret_stays_valid():
    """sync-old-secret-valid: the first secret still authenticates after a second generation."""
    client, headers = emulator("sync-old-secret-valid")
    created = directory(client, headers).json()
    first = generate(client, headers, created["id"], generate_token=False)
    generate(client, headers, created["id"], generate_token=False)
    record = get_client(client.app.state.context.store, first["client_id"])
    assert record.authenticates(first["client_secret"])


def test_sync_token_ttl_ignored():
    """sync-token-ttl-ignored: a token asked for 60 minutes lives six months."""
    client, headers = emulator("sync-token-ttl-ignored")
    created = directory(client, headers).json()
    assert 262800 * 60 == generate(client, headers, created["id"], generate_token=True,
                                   token_ttl=60)["access_token_expire_in"]


def test_idp_duplicate_name_accepted():
    """idp-duplicate-name-accepted: a second IdP with the same idp_name is created (201)."""
    client, headers = emulator("idp-duplicate-name-accepted")
    created = directory(client, headers).json()
    client.post(IDPS, json=oidc("idp", created["id"]), headers=headers)
    assert 201 == client.post(IDPS, json=oidc("idp", created["id"]), headers=headers).status_code


def test_idp_echoes_client_secret():
    """idp-echoes-client-secret: the 201 answer carries oidc_profile.client_secret."""
    client, headers = emulator("idp-echoes-client-secret")
    created = directory(client, headers).json()
    response = client.post(IDPS, json=oidc("idp", created["id"]), headers=headers)
    assert SECRET == response.json()["oidc_profile"].get("client_secret")


def test_faults_leave_everything_else_alone():
    """A fault changes only its own behaviour: with duplicate names accepted, domains stay unique."""
    client, headers = emulator("directory-duplicate-name-accepted")
    directory(client, headers)
    assert 409 == client.post(DIRECTORIES, json={"name": "x", "domains": ["dir.test"]}, headers=headers).status_code
