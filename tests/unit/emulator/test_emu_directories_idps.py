"""Identity providers of the emulator (specs/directories.yaml; IDP-001..IDP-005)."""

from __future__ import annotations

import json
import uuid

import pytest

IDPS = "/federation/broker/identity-providers"
DIRECTORIES = "/usergroup/broker/directories"
SECRET = "oidc-secret-never-returned"


@pytest.fixture
def directory(client, headers, tag):
    body = {"name": f"{tag}-dir", "domains": [f"{tag}.test"]}
    return client.post(DIRECTORIES, json=body, headers=headers).json()["id"]


def oidc(name, directory, **extra):
    return {"idp_name": name, "idp_type": "OIDC", "directory_list": [{"id": directory}],
            "oidc_profile": {"client_id": "c", "client_secret": SECRET,
                             "configuration_url": "https://idp.test/.well-known/openid-configuration"}, **extra}


def create(client, headers, body):
    return client.post(IDPS, json=body, headers=headers)


def field_of(response):
    return response.json()["errors"][0]["parameters"].get("field")


def test_create_answers_201_never_showing_the_secret(client, headers, tag, directory):
    """IDP-001: 201 with Location; neither the answer nor GET carries the OIDC client secret."""
    response = create(client, headers, oidc(tag, directory))
    created = response.json()
    fetched = client.get(f"{IDPS}/{created['id']}", headers=headers)
    assert (201, f"http://testserver{IDPS}/{created['id']}") == (response.status_code, response.headers["location"])
    assert (False, False) == (SECRET in response.text, SECRET in fetched.text)
    assert ("sub", [{"id": directory, "name": f"{tag}-dir"}]) == (
        fetched.json()["oidc_profile"]["open_id_user_identifier_attribute"], fetched.json()["directory_list"])


def test_auth_type_list_is_defaulted_when_omitted(client, headers, tag, directory):
    """IDP-002: one auth method with id and name is added on create."""
    auth_types = create(client, headers, oidc(tag, directory)).json()["auth_type_list"]
    assert (1, True) == (len(auth_types), all(item["id"] and item["auth_method_name"] for item in auth_types))


def test_duplicate_name_is_409(client, headers, tag, directory):
    """IDP-003: idp_name is unique per tenant, ignoring case."""
    create(client, headers, oidc(tag, directory))
    response = create(client, headers, oidc(tag.upper(), directory))
    assert (409, "identity.provider.name.already.exists") == (response.status_code,
                                                               response.json()["errors"][0]["code"])


def test_rename_shows_in_the_list(client, headers, tag, directory):
    """IDP-004: PATCH idp_name; the list entry has the new name, the type and the directory ids."""
    created = create(client, headers, oidc(tag, directory)).json()
    assert 200 == client.patch(f"{IDPS}/{created['id']}", json={"idp_name": tag + "-2"}, headers=headers).status_code
    items = client.get(IDPS, headers=headers).json()["items"]
    assert [{"id": created["id"], "idp_name": tag + "-2", "idp_type": "OIDC", "directory_ids": [directory]}] == [
        {k: v for k, v in item.items() if k != "_links"} for item in items if item["id"] == created["id"]]


def test_patch_merges_profiles_and_replaces_lists(client, headers, tag, directory):
    """Profiles are patched field by field; auth_type_list is replaced, keeping the id of a named method."""
    body = oidc(tag, directory, trust_certificates=["pem"])
    body["oidc_profile"]["token_params"] = {"t": "1"}
    created = create(client, headers, body).json()
    kept = created["auth_type_list"][0]
    profile = {"client_id": "c2", "client_secret": "s2", "configuration_url": "https://idp.test/c"}
    body = {"oidc_profile": {**profile, "authorize_params": {"p": "v"}}, "trust_certificates": [],
            "auth_type_list": [{**kept, "auth_method_name": "renamed"},
                               {"auth_method_name": "extra", "saml_authn_context": "ctx"}]}
    patched = client.patch(f"{IDPS}/{created['id']}", json=body, headers=headers).json()
    profile = patched["oidc_profile"]
    assert ("c2", {"p": "v"}, {"t": "1"}, "https://idp.test/c", False) == (
        profile["client_id"], profile["authorize_params"], profile["token_params"], profile["configuration_url"],
        "trust_certificates" in patched)
    assert [kept["id"], "renamed", "extra"] == [patched["auth_type_list"][0]["id"],
                                                 *[a["auth_method_name"] for a in patched["auth_type_list"]]]


def test_delete_is_204_then_404(client, headers, tag, directory):
    """IDP-005: DELETE answers 204 with no body; GET then answers 404 identity.provider.not.found."""
    created = create(client, headers, oidc(tag, directory)).json()
    response = client.delete(f"{IDPS}/{created['id']}", headers=headers)
    after = client.get(f"{IDPS}/{created['id']}", headers=headers)
    assert (204, b"", 404, "identity.provider.not.found") == (response.status_code, response.content,
                                                              after.status_code, after.json()["errors"][0]["code"])


def test_deleted_directory_reads_back_with_an_empty_name(client, headers, tag, directory):
    """DirectoryTO.name is "" once the directory no longer exists."""
    created = create(client, headers, oidc(tag, directory)).json()
    client.delete(f"{DIRECTORIES}/{directory}", headers=headers)
    client.app.state.context.clock.advance(60)
    assert [{"id": directory, "name": ""}] == client.get(f"{IDPS}/{created['id']}",
                                                         headers=headers).json()["directory_list"]


def test_saml_idp_ignores_an_oidc_profile(client, headers, tag, directory):
    """A profile that does not match idp_type is ignored; the SAML profile gets its defaults."""
    body = {**oidc(tag, directory), "idp_type": "SAML",
            "saml_profile": {"saml_metadata_url": "https://idp.test/metadata.xml"}}
    created = create(client, headers, body).json()
    assert (False, "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified") == (
        "oidc_profile" in created, created["saml_profile"]["request_name_id_format_type"])


def test_saml_idp_still_checks_a_given_oidc_profile(client, headers, tag, directory):
    """The ignored profile must still be valid: an empty client_secret answers 400."""
    body = {**oidc(tag, directory), "idp_type": "SAML"}
    body["oidc_profile"]["client_secret"] = ""
    response = create(client, headers, body)
    assert (400, "oidc_profile.client_secret") == (response.status_code, field_of(response))


@pytest.mark.parametrize(("change", "field"), [
    ({"idp_name": None}, "idp_name"), ({"idp_type": "LDAP"}, "idp_type"), ({"oidc_profile": None}, "oidc_profile"),
    ({"idp_name": "bad/name"}, "idp_name"), ({"directory_list": [{"id": "nope"}]}, "directory_list[0].id"),
    ({"directory_list": {}}, "directory_list"), ({"idp_source_type": "AZURE"}, "idp_source_type"),
    ({"trust_certificates": ["a", "b", "c", "d"]}, "trust_certificates"),
    ({"auth_type_list": []}, "auth_type_list"), ({"auth_type_list": [{"auth_method_name": "x"}]},
                                                 "auth_type_list[0].saml_authn_context"),
    ({"oidc_profile": {"client_id": "c", "client_secret": "s"}}, "oidc_profile.configuration_url"),
    ({"oidc_profile": {"client_id": "c", "client_secret": "s", "configuration_url": "not a uri"}},
     "oidc_profile.configuration_url"),
    ({"oidc_profile": {"client_id": "", "client_secret": "s", "configuration_url": "https://x"}},
     "oidc_profile.client_id")])
def test_invalid_create_is_400_naming_the_field(client, headers, tag, directory, change, field):
    """An invalid identity provider answers 400 in the admin envelope, naming the field."""
    body = {key: value for key, value in {**oidc(tag, directory), **change}.items() if value is not None}
    response = create(client, headers, body)
    assert (400, field) == (response.status_code, field_of(response))


@pytest.mark.parametrize(("body", "field"), [
    ({"idp_type": "SAML"}, "idp_type"), ({"idp_name": ""}, "idp_name"),
    ({"oidc_profile": {"configuration_url": ""}}, "oidc_profile.configuration_url"),
    ({"auth_type_list": [{"id": str(uuid.uuid4()), "auth_method_name": "a", "saml_authn_context": ""}]},
     "auth_type_list[0].id")])
def test_invalid_patch_is_400_naming_the_field(client, headers, tag, directory, body, field):
    """PATCH refuses a type change, empty non-clearable values and auth method ids of another IdP."""
    created = create(client, headers, oidc(tag, directory)).json()
    response = client.patch(f"{IDPS}/{created['id']}", json=body, headers=headers)
    assert (400, field) == (response.status_code, field_of(response))


def test_unknown_idp_is_404(client, headers):
    """GET, PATCH and DELETE of an unknown identity provider answer 404."""
    missing = f"{IDPS}/{uuid.uuid4()}"
    statuses = [client.get(missing, headers=headers).status_code,
                client.patch(missing, json={}, headers=headers).status_code,
                client.delete(missing, headers=headers).status_code]
    assert [404, 404, 404] == statuses


def test_stored_row_keeps_only_a_hash_of_the_secret(client, headers, tag, directory):
    """The OIDC client secret is stored hashed, never in clear."""
    created = create(client, headers, oidc(tag, directory)).json()
    rows = client.app.state.context.store.all("SELECT resource, client_secret_hash FROM identity_providers "
                                              "WHERE id = ?", (created["id"],))
    assert (False, True) == (SECRET in json.dumps([dict(r) for r in rows]), all(r["client_secret_hash"] for r in rows))
