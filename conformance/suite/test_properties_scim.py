"""Property tests of specs/scim.yaml (/usergroup/scim/v2) with the admin token (TENANT_ADMIN may call SCIM,
specs/access-policy.toml). userNames are run-prefixed in the session directory's domain; created resources are
deleted at once."""

from __future__ import annotations

import pytest
import schemathesis

from conformance.plugin.properties import CONTRACT_IDS, examples

schema = schemathesis.pytest.from_fixture("scim_schema")


@pytest.mark.requirement(*CONTRACT_IDS, "SCIM-025")
@schema.parametrize()
@examples()
def test_scim_operations_conform(case, property_run):
    """Every generated SCIM request gets a declared, schema-valid answer, errors as SCIM Error messages with
    status as a string, never a 5xx or an echoed credential."""
    property_run.check(case)
