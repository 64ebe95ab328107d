"""SCIM errors (RFC 7644 §3.12): uniqueness 409, stale If-Match 412, missing values 400, authentication 401."""

from __future__ import annotations

import pytest

from conformance.checks import scim as check
from conformance.checks.core import require
from conformance.target.scim_client import USER_SCHEMA

pytestmark = pytest.mark.scim_generic


@pytest.fixture
def user(scim, scim_names):
    """A fresh User."""
    return check.created(scim.create_user(scim_names.user()))


@pytest.mark.requirement("SCIM-023", "SCIM-025")
def test_duplicate_user_name_is_409_uniqueness(scim, user):
    """Creating a second User with the same userName answers 409 scimType uniqueness (Okta SPEC test step 8)."""
    check.scim_error("SCIM-023", scim.create_user(user["userName"]), 409, "uniqueness")


@pytest.mark.requirement("SCIM-024", "SCIM-025")
def test_duplicate_user_name_in_other_case_is_409(scim, user):
    """userName is caseExact false, so the upper-case spelling of an existing userName is a duplicate too."""
    check.scim_error("SCIM-024", scim.create_user(user["userName"].upper()), 409, "uniqueness")


@pytest.mark.requirement("SCIM-022", "SCIM-025")
@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_stale_if_match_is_412_and_changes_nothing(scim, user, scim_supports, method):
    """After a change, a PUT or PATCH carrying the old ETag in If-Match answers 412 and leaves the User alone."""
    scim_supports("etag")
    path = f"/Users/{user['id']}"
    stale = check.etag_header(scim.get(path))
    check.resource("SCIM-005", scim.put(path, replacement(user, displayName="Moved On")))
    if method == "PATCH":
        scim_supports("patch")
        response = scim.patch(path, {"op": "replace", "path": "displayName", "value": "Lost Update"},
                              headers={"If-Match": stale})
    else:
        response = scim.put(path, replacement(user, displayName="Lost Update"), headers={"If-Match": stale})
    check.scim_error("SCIM-022", response, 412)
    after = check.resource("SCIM-004", scim.get(path))
    require("SCIM-022", "Moved On" == after.get("displayName"), f"412 yet displayName is {after.get('displayName')!r}")


@pytest.mark.requirement("SCIM-022")
def test_current_if_match_succeeds(scim, user, scim_supports):
    """A PUT carrying the current ETag in If-Match succeeds."""
    scim_supports("etag")
    path = f"/Users/{user['id']}"
    current = check.etag_header(scim.get(path))
    response = scim.put(path, replacement(user, displayName="Fresh"), headers={"If-Match": current})
    check.resource("SCIM-022", response)


@pytest.mark.requirement("SCIM-042", "SCIM-025")
def test_missing_user_name_is_400_invalid_value(scim):
    """A User without the REQUIRED userName answers 400 scimType invalidValue ("A required value was missing")."""
    body = {"schemas": [USER_SCHEMA], "name": {"givenName": "No", "familyName": "Name"}}
    check.scim_error("SCIM-042", scim.create("/Users", body), 400, "invalidValue")


@pytest.mark.requirement("SCIM-030", "SCIM-025")
@pytest.mark.parametrize("token", ["", "not-a-valid-token"], ids=["missing", "invalid"])
def test_bad_token_is_a_scim_401(scim, token):
    """Without a valid bearer token, GET /Users answers 401 with a SCIM Error (Okta SPEC test step 11)."""
    check.scim_error("SCIM-030", scim.request("GET", "/Users", token=token), 401)


def replacement(user, **changes):
    """A PUT body: the User without ``meta``, with ``changes`` applied."""
    return {**{key: value for key, value in user.items() if key != "meta"}, **changes}
