"""Property tests of specs/oauth2-clients.yaml (/acs/broker/oauth2-clients). Creates are run-prefixed and deleted
at once; changes and deletes only ever address random ids or clients this run created."""

from __future__ import annotations

import pytest
import schemathesis

from conformance.plugin.properties import CONTRACT_IDS, examples

schema = schemathesis.pytest.from_fixture("oauth2_clients_schema")


@pytest.mark.requirement(*CONTRACT_IDS, "CONTRACT-007")
@schema.parametrize()
@examples()
def test_oauth2_client_operations_conform(case, property_run):
    """Every generated request to the OAuth 2.0 client admin API gets a declared, schema-valid answer in the admin
    envelope and the active MIME phase's media type, never a 5xx or an echoed credential."""
    property_run.check(case)
