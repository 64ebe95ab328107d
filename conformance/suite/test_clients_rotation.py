"""Secret rotation: POST /acs/broker/oauth2-clients/{id}?action=start-rotate-secret | retire-primary-secret."""

from __future__ import annotations

import secrets

import httpx
import pytest

from conformance.checks.core import require
from conformance.checks.legacy import admin_envelope, oauth_error
from conformance.checks.scim import json_object, status_is

START, RETIRE = "start-rotate-secret", "retire-primary-secret"


def start(client_admin, oauth_client, requirement_id, duration_minutes=60):
    """Start a rotation to a fresh secondary secret (204); returns that secret."""
    secondary = secrets.token_urlsafe(24)
    body = {"secondary_secret": secondary, "primary_secret_auto_retire_duration": duration_minutes}
    status_is(requirement_id, client_admin.rotate(oauth_client.client_id, START, body), 204)
    return secondary


def works(requirement_id, client_admin, client_id, secret, which):
    """``secret`` obtains a token for ``client_id``."""
    response = client_admin.token(httpx.BasicAuth(client_id, secret))
    require(requirement_id, 200 == response.status_code, f"the {which} secret: expected 200, got "
            f"{response.status_code}", response)


def refused(requirement_id, client_admin, client_id, secret, which):
    """``secret`` no longer authenticates ``client_id``: invalid_client (its 401 status is TOKEN-003's matter)."""
    response = client_admin.token(httpx.BasicAuth(client_id, secret))
    require(requirement_id, response.status_code in (400, 401), f"the {which} secret: expected invalid_client, got "
            f"{response.status_code}", response)
    oauth_error(requirement_id, response, response.status_code, "invalid_client")


def rotating(requirement_id, client_admin, client_id):
    """The client's rotate_secret as GET shows it."""
    response = client_admin.get(client_id)
    status_is(requirement_id, response, 200)
    return json_object(requirement_id, response).get("rotate_secret")


@pytest.mark.requirement("CLIENT-016")
def test_both_secrets_work_during_rotation_and_only_the_new_one_after(client_admin, new_client):
    """After start-rotate-secret the old and new secrets both obtain tokens; after retire-primary-secret only the
    new one does (the old one gets 401 invalid_client)."""
    oauth_client = new_client()
    secondary = start(client_admin, oauth_client, "CLIENT-016")
    works("CLIENT-016", client_admin, oauth_client.client_id, oauth_client.secret, "primary (during rotation)")
    works("CLIENT-016", client_admin, oauth_client.client_id, secondary, "secondary (during rotation)")
    status_is("CLIENT-016", client_admin.rotate(oauth_client.client_id, RETIRE), 204)
    works("CLIENT-016", client_admin, oauth_client.client_id, secondary, "new primary")
    refused("CLIENT-016", client_admin, oauth_client.client_id, oauth_client.secret, "retired")


@pytest.mark.requirement("CLIENT-017")
def test_rotate_secret_shows_the_rotation(client_admin, new_client):
    """rotate_secret is not true before a rotation, true during it, and not true after retire-primary-secret."""
    oauth_client = new_client()
    require("CLIENT-017", True is not rotating("CLIENT-017", client_admin, oauth_client.client_id),
            "rotate_secret is true before any rotation")
    start(client_admin, oauth_client, "CLIENT-017")
    during = rotating("CLIENT-017", client_admin, oauth_client.client_id)
    require("CLIENT-017", True is during, f"rotate_secret during a rotation: expected true, got {during!r}")
    status_is("CLIENT-017", client_admin.rotate(oauth_client.client_id, RETIRE), 204)
    require("CLIENT-017", True is not rotating("CLIENT-017", client_admin, oauth_client.client_id),
            "rotate_secret is still true after retire-primary-secret")


@pytest.mark.requirement("CLIENT-018")
def test_rotation_actions_out_of_order_are_400(client_admin, new_client):
    """retire without a rotation, start without secondary_secret, and a second start all answer 400 (envelope)."""
    oauth_client = new_client()
    admin_envelope("CLIENT-018", client_admin.rotate(oauth_client.client_id, RETIRE), 400)
    admin_envelope("CLIENT-018", client_admin.rotate(oauth_client.client_id, START, {}), 400)
    start(client_admin, oauth_client, "CLIENT-018")
    again = {"secondary_secret": secrets.token_urlsafe(24)}
    admin_envelope("CLIENT-018", client_admin.rotate(oauth_client.client_id, START, again), 400)


@pytest.mark.emulator_only
@pytest.mark.requirement("CLIENT-019")
def test_primary_secret_retires_after_the_duration(client_admin, new_client, exclusive_clock):
    """With primary_secret_auto_retire_duration 1, 90 s later the old secret gets 401 and the new one works."""
    oauth_client = new_client()
    secondary = start(client_admin, oauth_client, "CLIENT-019", duration_minutes=1)
    works("CLIENT-019", client_admin, oauth_client.client_id, oauth_client.secret, "primary (before the duration)")
    exclusive_clock(90)
    refused("CLIENT-019", client_admin, oauth_client.client_id, oauth_client.secret, "auto-retired")
    works("CLIENT-019", client_admin, oauth_client.client_id, secondary, "new primary")
    require("CLIENT-019", True is not rotating("CLIENT-019", client_admin, oauth_client.client_id),
            "rotate_secret is still true after the primary secret retired")
