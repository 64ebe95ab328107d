"""Stateful test of specs/directories.yaml: create a directory -> read -> change -> sync-client -> delete over the
spec's links, with run-prefixed names and domains; every scenario deletes what it created."""

from __future__ import annotations

import pytest

from conformance.plugin.properties import CONTRACT_IDS, load_spec, run_stateful


@pytest.mark.requirement(*CONTRACT_IDS, "CONTRACT-007", "CONTRACT-008")
def test_directory_lifecycle_over_links(property_run):
    """A directory created with random valid data is readable at once, accepts the linked changes and sync-client
    calls, and is gone (or being deleted) after its delete; every step's answer conforms to the spec."""
    schema = load_spec("directories.yaml").include(path_regex="^/usergroup/broker/directories")
    assert 0 < run_stateful(schema, property_run)
