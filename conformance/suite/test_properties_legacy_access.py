"""Property tests of specs/legacy-access.yaml (/SAAS token, SCIM 1.1, directory configs, OAuth2 clients). Names are
run-prefixed; created resources are deleted at once; changes and deletes address random or run-created ids."""

from __future__ import annotations

import pytest
import schemathesis

from conformance.plugin.properties import CONTRACT_IDS, examples

schema = schemathesis.pytest.from_fixture("legacy_schema")


@pytest.mark.requirement(*CONTRACT_IDS, "LEGACY-013")
@schema.parametrize()
@examples()
def test_legacy_operations_conform(case, property_run):
    """Every generated request to the legacy Access endpoints gets a declared, schema-valid answer in the admin
    envelope (OAuth 2.0 errors at /SAAS/auth/oauthtoken), never a 5xx or an echoed credential."""
    property_run.check(case)
