"""Property tests of specs/directories.yaml (directories, sync clients, identity providers). Names and domains
of created directories are run-prefixed and deleted at once; other ids in paths are random."""

from __future__ import annotations

import pytest
import schemathesis

from conformance.plugin.properties import CONTRACT_IDS, examples

schema = schemathesis.pytest.from_fixture("directories_schema")


@pytest.mark.requirement(*CONTRACT_IDS, "CONTRACT-007")
@schema.parametrize()
@examples()
def test_directory_operations_conform(case, property_run):
    """Every generated request to the directory and identity-provider admin APIs gets a declared, schema-valid
    answer in the admin envelope and the active MIME phase's media type, never a 5xx or an echoed credential."""
    property_run.check(case)
