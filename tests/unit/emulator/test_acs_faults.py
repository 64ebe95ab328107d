"""Every fault of the /acs family changes the behaviour it names (the fault-free twin is tested elsewhere)."""

from __future__ import annotations

from joserfc import jwt

from conformance.emulator.acs import faults
from conformance.emulator.core.faults import REGISTRY
from tests.support.acs_app import ADMIN_ID, ADMIN_SECRET, BASE


def test_family_declares_eight_to_twelve_faults_with_requirements():
    """The family's catalogue: 8-12 faults, each naming TOKEN-/CLIENT-/ERR- requirements."""
    ours = [fault for fault in REGISTRY.values() if fault.family == faults.FAMILY]
    assert (True, True) == (8 <= len(ours) <= 12, all(f.requirements for f in ours))


def test_expires_in_minutes(make_acs):
    """expires_in is the TTL in minutes (the token still lives ttl x 60 s)."""
    acs = make_acs(faults.EXPIRES_IN_MINUTES.name)
    assert 60 == acs.token().json()["expires_in"]


def test_invalid_client_400(make_acs):
    """A wrong secret answers 400 without a Basic challenge."""
    response = make_acs(faults.INVALID_CLIENT_400.name).token(ADMIN_ID, "wrong")
    assert (400, "invalid_client", None) == (response.status_code, response.json()["error"],
                                             response.headers.get("www-authenticate"))


def test_token_cache_control_missing(make_acs):
    """A 200 token response has no Cache-Control and no Pragma."""
    response = make_acs(faults.TOKEN_CACHE_CONTROL_MISSING.name).token()
    assert (200, None, None) == (response.status_code, response.headers.get("cache-control"),
                                 response.headers.get("pragma"))


def test_form_credentials_ignored(make_acs):
    """client_secret_post no longer authenticates."""
    acs = make_acs(faults.FORM_CREDENTIALS_IGNORED.name)
    response = acs.client.post("/acs/token", data={"grant_type": "client_credentials", "client_id": ADMIN_ID,
                                                   "client_secret": ADMIN_SECRET})
    assert 401 == response.status_code


def test_revoke_foreign_token(make_acs):
    """The admin revokes another client's token: 200, and the token dies."""
    acs = make_acs(faults.REVOKE_FOREIGN_TOKEN.name)
    client_id, secret = acs.new_client()
    token = acs.access_token(client_id, secret)
    assert (200, 401) == (acs.revoke(token).status_code, acs.works(token))


def test_jwks_kid_mismatch(make_acs):
    """The published kid differs from the token header's kid."""
    acs = make_acs(faults.JWKS_KID_MISMATCH.name)
    header_kid = jwt.decode(acs.access_token(), acs.client.app.state.context.key._key).header["kid"]
    published = {key["kid"] for key in acs.client.get("/acs/jwks").json()["keys"]}
    assert header_kid not in published


def test_discovery_issuer_wrong(make_acs):
    """The discovery issuer lacks /acs while tokens say <base>/acs."""
    acs = make_acs(faults.DISCOVERY_ISSUER_WRONG.name)
    assert BASE == acs.client.get("/acs/.well-known/openid-configuration").json()["issuer"]


def test_secret_on_get(make_acs):
    """GET of a client carries a secret field."""
    acs = make_acs(faults.SECRET_ON_GET.name)
    assert "secret" in acs.get(ADMIN_ID).json()


def test_start_index_off_by_one(make_acs):
    """start_index=1 answers the second page (the bootstrap client on page 1 of size 1 is skipped)."""
    acs = make_acs(faults.START_INDEX_OFF_BY_ONE.name)
    acs.new_client()
    assert ["c-1"] == [item["client_id"] for item in acs.list(start_index=1, page_size=1).json()["items"]]


def test_conflict_code_misspelt(make_acs):
    """The 409 code is oauth2.client.with.clientid.already.exists."""
    acs = make_acs(faults.CONFLICT_CODE_MISSPELT.name)
    acs.new_client()
    response = acs.create()
    assert (409, "oauth2.client.with.clientid.already.exists") == (response.status_code,
                                                                   response.json()["errors"][0]["code"])


def test_rotation_old_secret_kept(make_acs):
    """After retire-primary-secret the old secret still authenticates."""
    acs = make_acs(faults.OLD_SECRET_KEPT.name)
    client_id, old = acs.new_client()
    acs.rotate(client_id, "start-rotate-secret", {"secondary_secret": "new-one"})
    acs.rotate(client_id, "retire-primary-secret")
    assert (200, 200) == (acs.token(client_id, old).status_code, acs.token(client_id, "new-one").status_code)


def test_rule_set_removal_keeps_tokens(make_acs):
    """Dropping a rule set (default revoke flag) leaves the token working."""
    acs = make_acs(faults.RULE_SET_REMOVAL_KEEPS_TOKENS.name)
    client_id, secret = acs.new_client(rule_set_names=["READ_ONLY_TENANT_ADMIN", "IDP_AND_DIRECTORY_ADMIN"])
    token = acs.access_token(client_id, secret)
    acs.patch(client_id, {"rule_set_names": ["READ_ONLY_TENANT_ADMIN"]})
    assert 200 == acs.works(token)
