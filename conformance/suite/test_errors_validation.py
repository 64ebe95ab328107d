"""400 and 409 answers of the three admin families, judged as the admin envelope.

Each invalid body differs from a valid one in exactly one field, so that field is the one the error's parameters
should name (ERR-003). Anything the target wrongly creates is registered for cleanup.
"""

from __future__ import annotations

import pytest

from conformance.checks.envelope import admin_error, names_field
from conformance.checks.scim import status_is
from conformance.plugin.authz import (
    OIDC_SECRET,
    call,
    client_body,
    directory_body,
    idp_body,
    media_headers,
    send,
    track_created,
)

CLIENTS = ("oauth2-clients.yaml#createNewOAuth2Client", "/acs/broker/oauth2-clients")
DIRECTORIES = ("directories.yaml#createNewDirectory", "/usergroup/broker/directories")
IDPS = ("directories.yaml#createNewIdentityProvider", "/federation/broker/identity-providers")
FAMILIES = {"client": CLIENTS, "directory": DIRECTORIES, "idp": IDPS}


def without(body, field):
    """``body`` minus ``field``."""
    return {key: value for key, value in body.items() if key != field}


INVALID = {  # case: (family, field, change of a valid body)
    "client-no-client_id": ("client", "client_id", lambda body: without(body, "client_id")),
    "client-bad-client_id": ("client", "client_id", lambda body: {**body, "client_id": "ctk bad id!"}),
    "client-bad-grant_types": ("client", "grant_types", lambda body: {**body, "grant_types": ["ctk-grant"]}),
    "directory-no-name": ("directory", "name", lambda body: without(body, "name")),
    "directory-bad-name": ("directory", "name", lambda body: {**body, "name": "ctk/bad name!"}),
    "directory-bad-type": ("directory", "type", lambda body: {**body, "type": "CTK_WEIRD"}),
    "idp-no-idp_name": ("idp", "idp_name", lambda body: without(body, "idp_name")),
    "idp-bad-idp_type": ("idp", "idp_type", lambda body: {**body, "idp_type": "CTK_WEIRD"}),
}


@pytest.fixture(scope="module")
def directory(client, admin, tracker, target, mime_phase):
    """A directory for the identity-provider bodies and the duplicate-name check."""
    client.redactor.register(OIDC_SECRET)
    response = call(client, mime_phase, DIRECTORIES[0], "POST", DIRECTORIES[1], token=admin.token(),
                    body=directory_body(target.resource_prefix), tracker=tracker)
    status_is("DIR-001", response, 201)
    return response.json()


def valid_body(family, target, directory):
    """A body the family accepts."""
    if family == "client":
        return client_body(target.resource_prefix, ["READ_ONLY_TENANT_ADMIN"])
    if family == "directory":
        return directory_body(target.resource_prefix)
    return idp_body(target.resource_prefix, directory["id"])


def create(client, admin, tracker, phase, family, body):
    """POST ``body`` to the family's collection in the phase's media type."""
    operation_id, path = FAMILIES[family]
    return call(client, phase, operation_id, "POST", path, token=admin.token(), body=body, tracker=tracker)


@pytest.mark.requirement("ERR-008", "ERR-003", "ERR-001", "ERR-004")
@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_field_is_400_naming_the_field(client, admin, tracker, target, mime_phase, directory, case):
    """A create body with one missing or invalid field answers 400; an error's parameters name that field."""
    family, field, change = INVALID[case]
    response = create(client, admin, tracker, mime_phase, family, change(valid_body(family, target, directory)))
    errors = admin_error("ERR-008", response, 400)
    names_field(response, errors, field)


@pytest.mark.requirement("ERR-008", "ERR-001", "ERR-004")
@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_body_that_is_not_json_is_400(client, admin, tracker, mime_phase, family):
    """A create whose body is not JSON at all (in an accepted media type) answers 400 in the envelope."""
    operation_id, path = FAMILIES[family]
    response = send(client, "POST", path, token=admin.token(), content=b"{ctk: not json",
                    headers=media_headers(mime_phase, operation_id, path, True))
    track_created(tracker, path, response)
    admin_error("ERR-008", response, 400)


@pytest.mark.requirement("DIR-004", "ERR-001", "ERR-004")
def test_duplicate_directory_name_is_409(client, admin, tracker, target, mime_phase, directory):
    """A second directory named like an existing one answers 409 in the envelope."""
    body = {**directory_body(target.resource_prefix), "name": directory["name"]}
    admin_error("DIR-004", create(client, admin, tracker, mime_phase, "directory", body), 409)


@pytest.mark.requirement("IDP-003", "ERR-001", "ERR-004")
def test_duplicate_idp_name_is_409(client, admin, tracker, target, mime_phase, directory):
    """A second identity provider named like an existing one answers 409 in the envelope."""
    first = idp_body(target.resource_prefix, directory["id"])
    status_is("IDP-003", create(client, admin, tracker, mime_phase, "idp", first), 201)
    second = {**idp_body(target.resource_prefix, directory["id"]), "idp_name": first["idp_name"]}
    admin_error("IDP-003", create(client, admin, tracker, mime_phase, "idp", second), 409)
