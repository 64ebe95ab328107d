"""Property tests of specs/token.yaml: /acs/token, /acs/revoke, /acs/jwks, discovery and userinfo, with
positive and schema-violating inputs (schemathesis examples, coverage and fuzzing phases)."""

from __future__ import annotations

import pytest
import schemathesis

from conformance.plugin.properties import CONTRACT_IDS, examples

schema = schemathesis.pytest.from_fixture("token_schema")


@pytest.mark.requirement(*CONTRACT_IDS)
@schema.parametrize()
@examples()
def test_token_operations_conform(case, property_run):
    """Every generated request to a token or OpenID Connect endpoint gets a declared, schema-valid answer: no 5xx,
    OAuth 2.0 errors, no echoed credentials, 4xx for invalid input, 401 without client authentication."""
    property_run.check(case)
