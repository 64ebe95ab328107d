"""Client secret rotation of the emulator (S1 rotateSecretForOAuth2ClientById)."""

from __future__ import annotations

import pytest

START, RETIRE = "start-rotate-secret", "retire-primary-secret"


def test_both_secrets_work_during_rotation_then_only_the_new_one(acs):
    """start: 204 and both secrets authenticate, rotate_secret true; retire: 204 and only the new one works."""
    client_id, old = acs.new_client()
    assert 204 == acs.rotate(client_id, START, {"secondary_secret": "the-new-secret"}).status_code
    during = (acs.token(client_id, old).status_code, acs.token(client_id, "the-new-secret").status_code,
              acs.get(client_id).json()["rotate_secret"])
    assert 204 == acs.rotate(client_id, RETIRE).status_code
    after = (acs.token(client_id, old).status_code, acs.token(client_id, "the-new-secret").status_code,
             acs.get(client_id).json()["rotate_secret"])
    assert ((200, 200, True), (401, 200, False)) == (during, after)


def test_primary_secret_retires_by_itself(acs):
    """After primary_secret_auto_retire_duration minutes the rotation ends on its own."""
    client_id, old = acs.new_client()
    acs.rotate(client_id, START, {"secondary_secret": "the-new-secret", "primary_secret_auto_retire_duration": 10})
    retires_at = acs.get(client_id).json()["primary_secret_auto_retires_at"]
    acs.advance(9 * 60)
    before = acs.token(client_id, old).status_code
    acs.advance(2 * 60)
    assert (True, 200, 401, False) == (retires_at > 0, before, acs.token(client_id, old).status_code,
                                       acs.get(client_id).json()["rotate_secret"])


@pytest.mark.parametrize(("body", "field"), [(None, "secondary_secret"), ({}, "secondary_secret"),
                                             ({"secondary_secret": ""}, "secondary_secret"),
                                             ({"secondary_secret": "s", "primary_secret_auto_retire_duration": 10081},
                                              "primary_secret_auto_retire_duration")])
def test_invalid_start_is_400(acs, body, field):
    """A start without a usable secondary_secret, or with a duration above 7 days, answers 400 naming the field."""
    client_id, _ = acs.new_client()
    response = acs.rotate(client_id, START, body)
    assert (400, field) == (response.status_code, response.json()["errors"][0]["parameters"]["field"])


def test_actions_out_of_order_are_400(acs):
    """retire without a rotation, a second start, and an unknown action answer 400 with their codes."""
    client_id, _ = acs.new_client()
    retire = acs.rotate(client_id, RETIRE)
    acs.rotate(client_id, START, {"secondary_secret": "one"})
    again = acs.rotate(client_id, START, {"secondary_secret": "two"})
    unknown = acs.rotate(client_id, "shred")
    codes = [r.json()["errors"][0]["code"] for r in (retire, again, unknown)]
    assert ["oauth2.client.secret.rotation.not.started", "oauth2.client.secret.rotation.already.started",
            "oauth2.client.secret.rotation.action.invalid"] == codes


def test_rotating_an_unknown_client_is_404(acs):
    """404 for an unknown client_id."""
    assert 404 == acs.rotate("nobody", START, {"secondary_secret": "s"}).status_code


def test_vendor_media_type_is_accepted_for_rotation(acs):
    """The pre-2025 secret.rotation+json type is accepted in the transition phase (with a Deprecation header)."""
    client_id, _ = acs.new_client()
    vendor = "application/vnd.vmware.horizon.manager.accesscontrol.broker.oauth2client.secret.rotation+json"
    response = acs.client.post(f"/acs/broker/oauth2-clients/{client_id}", params={"action": START},
                               content=b'{"secondary_secret": "s2"}', headers={**acs.admin(), "Content-Type": vendor})
    assert (204, True) == (response.status_code, "deprecation" in response.headers)
