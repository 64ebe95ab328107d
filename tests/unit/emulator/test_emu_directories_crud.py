"""Directories CRUD of the emulator (specs/directories.yaml; DIR-001..006, DIR-013, DIR-014)."""

from __future__ import annotations

import pytest

from conformance.emulator.core.clients import insert_client
from conformance.emulator.directories.store import directory_for_domain, get_directory
from tests.support.core_app import bearer, sign

BASE = "/usergroup/broker/directories"


def create(client, headers, name, domains=None, **fields):
    body = {"name": name, "domains": [f"{name}.test"] if domains is None else list(domains), **fields}
    return client.post(BASE, json=body, headers=headers)


def errors(response):
    return [(e["code"], e["parameters"].get("field")) for e in response.json()["errors"]]


def test_create_answers_201_with_location_and_reads_back(client, headers, tag):
    """POST answers 201, a Location naming the new directory, and GET returns the same fields."""
    response = create(client, headers, tag, type="JIT", source="OKTA", default_domain=f"{tag}.test")
    created = response.json()
    assert (201, f"http://testserver{BASE}/{created['id']}") == (response.status_code, response.headers["location"])
    fetched = client.get(f"{BASE}/{created['id']}", headers=headers).json()
    expected = (tag, [f"{tag}.test"], "JIT", "OKTA", f"{tag}.test", False)
    fields = ("name", "domains", "type", "source", "default_domain", "delete_in_progress")
    assert expected == tuple(fetched[f] for f in fields) == tuple(created[f] for f in fields)


def test_type_defaults_to_provisioned(client, headers, tag):
    """A directory created without a type is PROVISIONED (the SCIM kind)."""
    assert "PROVISIONED" == create(client, headers, tag).json()["type"]


def test_list_omits_default_domain(client, headers, tag):
    """DIR-002: the list shows every directory, none with default_domain."""
    created = create(client, headers, tag, default_domain=f"{tag}.test").json()
    items = client.get(BASE, headers=headers).json()["items"]
    assert (True, []) == (created["id"] in [i["id"] for i in items], [i for i in items if "default_domain" in i])


def test_patch_replaces_arrays_and_clears_with_empty_values(client, headers, tag):
    """DIR-003: domains are replaced wholesale; "" clears default_domain; other fields stay."""
    created = create(client, headers, tag, [f"{tag}.one", f"{tag}.two"], default_domain=f"{tag}.one",
                     source="AZURE").json()
    response = client.patch(f"{BASE}/{created['id']}", json={"domains": [f"{tag}.three"], "default_domain": ""},
                            headers=headers)
    body = response.json()
    assert (200, [f"{tag}.three"], "AZURE", False) == (response.status_code, body["domains"], body["source"],
                                                       "default_domain" in body)


def test_patch_releases_old_domains(client, headers, tag):
    """A domain removed by PATCH can be taken by another directory."""
    first = create(client, headers, tag).json()
    client.patch(f"{BASE}/{first['id']}", json={"domains": [f"{tag}.other"]}, headers=headers)
    assert 201 == create(client, headers, tag + "b", [f"{tag}.test"]).status_code


@pytest.mark.parametrize(("body", "field"), [
    ({"type": "JIT"}, "type"), ({"default_domain": "nowhere.test"}, "default_domain"),
    ({"domains": ["x.test"]}, "default_domain"), ({"name": ""}, "name"), ({"source": ""}, "source")])
def test_patch_validation_names_the_field(client, headers, tag, body, field):
    """PATCH refuses a type change, a default_domain outside domains (also indirectly) and empty required values."""
    created = create(client, headers, tag, default_domain=f"{tag}.test").json()
    response = client.patch(f"{BASE}/{created['id']}", json=body, headers=headers)
    assert (400, field) == (response.status_code, errors(response)[0][1])


@pytest.mark.parametrize(("clash", "code"), [("name", "directory.name.already.exists"),
                                             ("domain", "directory.domain.already.exists")])
def test_duplicate_name_or_domain_is_409(client, headers, tag, clash, code):
    """DIR-004: names and domains are unique across the tenant, ignoring case."""
    create(client, headers, tag)
    second = {"name": tag.upper() if clash == "name" else tag + "b",
              "domains": [f"{tag}.TEST" if clash == "domain" else f"{tag}.new"]}
    response = client.post(BASE, json=second, headers=headers)
    assert (409, code) == (response.status_code, errors(response)[0][0])


def test_patch_to_a_taken_name_is_409(client, headers, tag):
    """Renaming onto another directory's name answers 409."""
    create(client, headers, tag)
    other = create(client, headers, tag + "b").json()
    assert 409 == client.patch(f"{BASE}/{other['id']}", json={"name": tag}, headers=headers).status_code


@pytest.mark.parametrize(("body", "field"), [
    ({"domains": ["a.test"]}, "name"), ({"name": "x", "type": "WEIRD"}, "type"), ({"name": "bad/name!"}, "name"),
    ({"name": "x" * 129}, "name"), ({"name": "x", "domains": ["a.test", "A.TEST"]}, "domains"),
    ({"name": "x", "domains": [f"d{i}.test" for i in range(31)]}, "domains"),
    ({"name": "x", "domains": [""]}, "domains"), ({"name": "x", "source": "LDAP"}, "source"),
    ({"name": "x", "attributes": {"attemptDecodeExternalIdAsMSGuid": 1}}, "attributes.attemptDecodeExternalIdAsMSGuid"),
    ({"name": 5}, "name"), ({"name": "x", "domains": "a.test"}, "domains")])
def test_invalid_definition_is_400_naming_the_field(client, headers, body, field):
    """DIR-014: an invalid definition answers 400 in the admin envelope, naming the field."""
    response = client.post(BASE, json=body, headers=headers)
    assert (400, field) == (response.status_code, errors(response)[0][1])


@pytest.mark.parametrize("body", [[1, 2], "text", None])
def test_non_object_body_is_400(client, headers, body):
    """A body that is not a JSON object answers 400."""
    assert 400 == client.post(BASE, json=body, headers=headers).status_code


def test_unicode_names_are_allowed(client, headers, tag):
    """Names take letters in any language."""
    assert 201 == create(client, headers, f"Verzeichnis Ärzte_{tag}", [f"{tag}.test"]).status_code


@pytest.mark.parametrize("raw_id", ["3f2b9c1e-5d7a-4e8b-9c0d-1a2b3c4d5e6f", "not-a-uuid"])
def test_unknown_directory_is_404(client, headers, raw_id):
    """DIR-013: GET, PATCH and DELETE of an unknown directory answer 404 directory.not.found."""
    responses = [client.get(f"{BASE}/{raw_id}", headers=headers),
                 client.patch(f"{BASE}/{raw_id}", json={}, headers=headers),
                 client.delete(f"{BASE}/{raw_id}", headers=headers)]
    assert [(404, "directory.not.found")] * 3 == [(r.status_code, errors(r)[0][0]) for r in responses]


def test_delete_is_202_then_in_progress_then_gone(client, headers, tag):
    """DIR-005: 202 with no body; the directory reads delete_in_progress, refuses PATCH, then reads 404."""
    path = f"{BASE}/{create(client, headers, tag).json()['id']}"
    response = client.delete(path, headers=headers)
    assert (202, b"") == (response.status_code, response.content)
    assert (True, 409, 409) == (client.get(path, headers=headers).json()["delete_in_progress"],
                                client.patch(path, json={"name": "z"}, headers=headers).status_code,
                                create(client, headers, tag).status_code)
    client.app.state.context.clock.advance(30)
    assert (404, 201) == (client.get(path, headers=headers).status_code, create(client, headers, tag).status_code)


def test_delete_runs_the_directory_deleted_hooks_in_the_transaction(client, headers, tag):
    """DIR-006: the directory-deleted hooks get the open transaction and the directory id."""
    seen = []
    ctx = client.app.state.context
    hooks = ctx.hooks.setdefault("directory-deleted", [])
    hooks.append(lambda c, db, directory_id: seen.append((c is ctx, db.in_transaction, directory_id)))
    created = create(client, headers, tag).json()
    client.delete(f"{BASE}/{created['id']}", headers=headers)
    hooks.pop()
    assert [(True, True, created["id"])] == seen


def test_other_families_stop_seeing_a_deleted_directory(client, headers, tag):
    """get_directory / directory_for_domain return the live directory, and None once deletion started."""
    store = client.app.state.context.store
    created = create(client, headers, tag).json()
    before = (get_directory(store, created["id"])["name"], directory_for_domain(store, f"{tag}.TEST")["id"])
    client.delete(f"{BASE}/{created['id']}", headers=headers)
    assert ((tag, created["id"]), None, None) == (before, get_directory(store, created["id"]),
                                                  directory_for_domain(store, f"{tag}.test"))


def test_read_only_admin_may_list_but_not_create(client, tag):
    """The access-policy matrix applies: READ_ONLY_TENANT_ADMIN lists (200) but cannot create (403)."""
    with client.app.state.context.store.tx() as db:
        insert_client(db, {"client_id": tag, "rule_set_names": ["READ_ONLY_TENANT_ADMIN"]}, "x", 0.0)
    headers = bearer(sign(client, client_id=tag))
    assert (200, 403) == (client.get(BASE, headers=headers).status_code, create(client, headers, tag).status_code)
